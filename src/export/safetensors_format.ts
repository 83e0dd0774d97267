// The safetensors file format (Hugging Face, https://github.com/huggingface/safetensors):
//   u64 little-endian N | N bytes of JSON header | raw tensor bytes
// The header maps each tensor name to {dtype, shape, data_offsets: [begin, end]} (offsets relative to
// the end of the header) plus an optional "__metadata__" map of string to string. tsgan writes the
// keys sorted ("__metadata__" first), the tensors' bytes in that order with no gaps, little-endian,
// and pads the header with spaces to a multiple of 8 (as the reference writer does), so the same
// tensors and metadata always give the same bytes.

/** The dtypes tsgan reads and writes (safetensors names). */
export type SafetensorsDtype = 'F32' | 'F16' | 'I32' | 'U8' | 'I64';

const DTYPE_BYTES: Record<SafetensorsDtype, number> = { F32: 4, F16: 2, I32: 4, U8: 1, I64: 8 };

/** One tensor: its name, dtype, shape and little-endian bytes. */
export interface SafetensorsTensor {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  /** Raw little-endian bytes (length = product(shape) * bytes per element). */
  bytes: Uint8Array;
}

export interface SafetensorsFile {
  tensors: SafetensorsTensor[];
  metadata: Record<string, string>;
}

const METADATA = '__metadata__';

function isLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

/** A float32 array as little-endian bytes (a copy on big-endian hosts, a view otherwise). */
export function f32Bytes(a: Float32Array): Uint8Array {
  if (isLittleEndian()) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.length * 4);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) dv.setFloat32(4 * i, a[i]!, true);
  return out;
}

/** An int32 array as little-endian bytes. */
export function i32Bytes(a: Int32Array): Uint8Array {
  if (isLittleEndian()) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const out = new Uint8Array(a.length * 4);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < a.length; i++) dv.setInt32(4 * i, a[i]!, true);
  return out;
}

/** Little-endian F32 bytes as a Float32Array (a copy). */
export function bytesToF32(b: Uint8Array): Float32Array {
  const out = new Float32Array(b.length / 4);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < out.length; i++) out[i] = dv.getFloat32(4 * i, true);
  return out;
}

/** A float32 tensor entry. */
export function f32Tensor(name: string, shape: number[], data: Float32Array): SafetensorsTensor {
  return { name, dtype: 'F32', shape, bytes: f32Bytes(data) };
}

/** Serializes tensors and metadata to safetensors bytes (sorted keys, no gaps, header padded to 8). */
export function encodeSafetensors(file: SafetensorsFile): Uint8Array {
  const sorted = [...file.tensors].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const header: Record<string, unknown> = {};
  const metaKeys = Object.keys(file.metadata).sort();
  if (metaKeys.length) {
    const meta: Record<string, string> = {};
    for (const k of metaKeys) {
      const v = file.metadata[k];
      if (typeof v !== 'string') throw new Error(`safetensors metadata '${k}' must be a string`);
      meta[k] = v;
    }
    header[METADATA] = meta;
  }
  let offset = 0;
  const seen = new Set<string>();
  for (const t of sorted) {
    if (t.name === METADATA || t.name === '') throw new Error(`safetensors: invalid tensor name '${t.name}'`);
    if (seen.has(t.name)) throw new Error(`safetensors: tensor '${t.name}' appears twice`);
    seen.add(t.name);
    const n = t.shape.reduce((a, b) => a * b, 1);
    const want = n * DTYPE_BYTES[t.dtype];
    if (t.bytes.length !== want)
      throw new Error(
        `safetensors: tensor '${t.name}' of shape [${t.shape}] needs ${want} bytes, has ${t.bytes.length}`,
      );
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + want] };
    offset += want;
  }
  let json = JSON.stringify(header);
  const jsonLen = Buffer.byteLength(json, 'utf8');
  json += ' '.repeat((8 - (jsonLen % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of sorted) {
    out.set(t.bytes, at);
    at += t.bytes.length;
  }
  return out;
}

/** Parses and checks safetensors bytes; `name` is used in error messages. Tensors are copies. */
export function decodeSafetensors(bytes: Uint8Array, name = 'safetensors file'): SafetensorsFile {
  if (bytes.length < 8) throw new Error(`${name}: too short to be a safetensors file (${bytes.length} bytes)`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = dv.getBigUint64(0, true);
  if (n > BigInt(bytes.length - 8))
    throw new Error(`${name}: header length ${n} runs past the file (${bytes.length} bytes): not a safetensors file`);
  const hlen = Number(n);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(bytes.subarray(8, 8 + hlen)).toString('utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${name}: the header is not valid JSON (${(e as Error).message})`);
  }
  const data = bytes.subarray(8 + hlen);
  const metadata = (header[METADATA] ?? {}) as Record<string, string>;
  const tensors: SafetensorsTensor[] = [];
  const ranges: [number, number, string][] = [];
  for (const [key, v] of Object.entries(header)) {
    if (key === METADATA) continue;
    const e = v as { dtype?: string; shape?: number[]; data_offsets?: [number, number] };
    if (!e || typeof e.dtype !== 'string' || !(e.dtype in DTYPE_BYTES))
      throw new Error(`${name}: tensor '${key}' has an unsupported dtype '${String(e?.dtype)}'`);
    const dtype = e.dtype as SafetensorsDtype;
    const shape = e.shape ?? [];
    const [b, end] = e.data_offsets ?? [-1, -1];
    const count = shape.reduce((a, s) => a * s, 1);
    if (!(b >= 0 && end <= data.length && end - b === count * DTYPE_BYTES[dtype]))
      throw new Error(`${name}: tensor '${key}' has offsets [${b}, ${end}] that do not fit its shape or the file`);
    ranges.push([b, end, key]);
    tensors.push({ name: key, dtype, shape, bytes: data.slice(b, end) });
  }
  ranges.sort((x, y) => x[0] - y[0]);
  let at = 0;
  for (const [b, end, key] of ranges) {
    if (b !== at) throw new Error(`${name}: tensor '${key}' starts at ${b}, expected ${at} (gap or overlap)`);
    at = end;
  }
  if (at !== data.length) throw new Error(`${name}: ${data.length - at} bytes after the last tensor`);
  return { tensors, metadata };
}
