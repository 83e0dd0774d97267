// IDX file reader (the MNIST / Fashion-MNIST container format, gzipped or not), with strict header
// checks: magic bytes, data type code, number of dimensions, and dims against the byte length.
// Layout: 2 zero bytes, 1 type byte, 1 byte ndims, ndims big-endian uint32 sizes, then the data
// (big-endian for multi-byte types).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxTensor {
  dtype: IdxDtype;
  /** Sizes of each dimension, outermost first. */
  dims: number[];
  /** Values in row-major order, converted to native endianness. */
  data: IdxData;
}

const DTYPES: Record<number, { dtype: IdxDtype; bytes: number }> = {
  8: { dtype: 'uint8', bytes: 1 },
  9: { dtype: 'int8', bytes: 1 },
  11: { dtype: 'int16', bytes: 2 },
  12: { dtype: 'int32', bytes: 4 },
  13: { dtype: 'float32', bytes: 4 },
  14: { dtype: 'float64', bytes: 8 },
};

/** A malformed IDX file; the message names the file. */
export class IdxFormatError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: not a valid IDX file: ${detail}`);
    this.name = 'IdxFormatError';
  }
}

/** Whether the bytes start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Parses IDX bytes (already decompressed). `name` is used in error messages. */
export function parseIdx(bytes: Uint8Array, name = '<buffer>'): IdxTensor {
  if (bytes.length < 4) throw new IdxFormatError(name, `only ${bytes.length} bytes, shorter than the 4-byte magic`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const hex = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new IdxFormatError(name, `bad magic ${hex} (the first two bytes must be 00 00)`);
  }
  const type = DTYPES[bytes[2]];
  if (!type) throw new IdxFormatError(name, `unknown data type code 0x${bytes[2].toString(16).padStart(2, '0')}`);
  const ndims = bytes[3];
  if (ndims === 0) throw new IdxFormatError(name, 'zero dimensions');
  const headerLen = 4 + 4 * ndims;
  if (bytes.length < headerLen) {
    throw new IdxFormatError(
      name,
      `truncated header: ${ndims} dimensions need ${headerLen} bytes, file has ${bytes.length}`,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  let count = 1;
  for (let i = 0; i < ndims; i++) {
    const d = view.getUint32(4 + 4 * i, false);
    dims.push(d);
    count *= d;
  }
  const expected = count * type.bytes;
  const actual = bytes.length - headerLen;
  if (actual < expected) {
    throw new IdxFormatError(
      name,
      `truncated: dims [${dims.join(', ')}] of ${type.dtype} need ${expected} data bytes, found ${actual}`,
    );
  }
  if (actual > expected) {
    throw new IdxFormatError(
      name,
      `${actual - expected} unexpected trailing bytes after the data of dims [${dims.join(', ')}] (${type.dtype})`,
    );
  }
  const body = bytes.subarray(headerLen);
  let data: IdxData;
  switch (type.dtype) {
    case 'uint8':
      data = new Uint8Array(body); // copy: detaches from the (possibly large) file buffer
      break;
    case 'int8':
      data = new Int8Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
      break;
    default: {
      const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);
      if (type.dtype === 'int16') {
        const a = new Int16Array(count);
        for (let i = 0; i < count; i++) a[i] = dv.getInt16(2 * i, false);
        data = a;
      } else if (type.dtype === 'int32') {
        const a = new Int32Array(count);
        for (let i = 0; i < count; i++) a[i] = dv.getInt32(4 * i, false);
        data = a;
      } else if (type.dtype === 'float32') {
        const a = new Float32Array(count);
        for (let i = 0; i < count; i++) a[i] = dv.getFloat32(4 * i, false);
        data = a;
      } else {
        const a = new Float64Array(count);
        for (let i = 0; i < count; i++) a[i] = dv.getFloat64(8 * i, false);
        data = a;
      }
    }
  }
  return { dtype: type.dtype, dims, data };
}

/** Reads an IDX file from disk; gzip is detected from the content, not the file name. */
export function readIdxFile(file: string): IdxTensor {
  let raw: Uint8Array;
  try {
    raw = readFileSync(file);
  } catch (e) {
    throw new Error(`${file}: cannot read IDX file: ${(e as Error).message}`);
  }
  if (isGzip(raw)) {
    try {
      raw = gunzipSync(raw);
    } catch (e) {
      throw new IdxFormatError(file, `gzip data is corrupt or truncated (${(e as Error).message})`);
    }
  }
  return parseIdx(raw, file);
}

/** Encodes a tensor as IDX bytes (used to write test fixtures and small exports). */
export function encodeIdx(t: IdxTensor): Uint8Array {
  const code = Number(Object.keys(DTYPES).find((k) => DTYPES[Number(k)].dtype === t.dtype));
  const bytes = DTYPES[code].bytes;
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (count !== t.data.length)
    throw new RangeError(`encodeIdx: dims [${t.dims.join(', ')}] hold ${count} values, data has ${t.data.length}`);
  const out = new Uint8Array(4 + 4 * t.dims.length + count * bytes);
  const dv = new DataView(out.buffer);
  out[2] = code;
  out[3] = t.dims.length;
  t.dims.forEach((d, i) => {
    dv.setUint32(4 + 4 * i, d, false);
  });
  const off = 4 + 4 * t.dims.length;
  for (let i = 0; i < count; i++) {
    const v = Number(t.data[i]);
    switch (t.dtype) {
      case 'uint8':
        dv.setUint8(off + i, v);
        break;
      case 'int8':
        dv.setInt8(off + i, v);
        break;
      case 'int16':
        dv.setInt16(off + 2 * i, v, false);
        break;
      case 'int32':
        dv.setInt32(off + 4 * i, v, false);
        break;
      case 'float32':
        dv.setFloat32(off + 4 * i, v, false);
        break;
      case 'float64':
        dv.setFloat64(off + 8 * i, v, false);
        break;
    }
  }
  return out;
}
