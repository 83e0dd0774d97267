import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';

import { encodeIdx, IdxFormatError, parseIdx, readIdxFile } from '../../src/data/idx.js';

const dir = mkdtempSync(path.join(tmpdir(), 'tsgan-idx-'));

test('IDX round trip for every dtype, big-endian, gzipped or not', () => {
  const cases = [
    { dtype: 'uint8', data: Uint8Array.from([0, 1, 255, 7, 8, 9]) },
    { dtype: 'int8', data: Int8Array.from([-128, -1, 0, 1, 127, 5]) },
    { dtype: 'int16', data: Int16Array.from([-32768, -2, 0, 300, 32767, 9]) },
    { dtype: 'int32', data: Int32Array.from([-2147483648, -70000, 0, 1, 2147483647, 123456]) },
    { dtype: 'float32', data: Float32Array.from([-1.5, 0, 3.25, 1e-7, 65504, -0.125]) },
    { dtype: 'float64', data: Float64Array.from([Math.PI, -Math.E, 0, 1e300, -1e-300, 2]) },
  ] as const;
  for (const c of cases) {
    const bytes = encodeIdx({ dtype: c.dtype, dims: [2, 3], data: c.data });
    // Big-endian header: magic 00 00, type, ndims, then dims.
    assert.deepEqual([...bytes.subarray(0, 2)], [0, 0]);
    assert.equal(bytes[3], 2);
    assert.deepEqual([...bytes.subarray(4, 8)], [0, 0, 0, 2]);
    const f = path.join(dir, `${c.dtype}.idx`);
    writeFileSync(f, bytes);
    writeFileSync(`${f}.gz`, gzipSync(bytes));
    for (const file of [f, `${f}.gz`]) {
      const t = readIdxFile(file);
      assert.equal(t.dtype, c.dtype);
      assert.deepEqual(t.dims, [2, 3]);
      assert.deepEqual([...t.data], [...c.data], `${c.dtype} values from ${file}`);
    }
  }
});

test('IDX: a wrong header is an error naming the file', () => {
  const good = encodeIdx({ dtype: 'uint8', dims: [2, 2], data: Uint8Array.from([1, 2, 3, 4]) });
  const badMagic = Uint8Array.from(good);
  badMagic[0] = 0x12;
  const f = path.join(dir, 'bad-magic-idx3-ubyte');
  writeFileSync(f, badMagic);
  assert.throws(
    () => readIdxFile(f),
    (e: Error) => e instanceof IdxFormatError && e.message.includes(f) && /magic/.test(e.message),
  );

  const badType = Uint8Array.from(good);
  badType[2] = 0x07;
  assert.throws(() => parseIdx(badType, 'x.idx'), /x\.idx: .*unknown data type code 0x07/);

  const zeroDims = Uint8Array.from([0, 0, 8, 0]);
  assert.throws(() => parseIdx(zeroDims, 'z.idx'), /z\.idx: .*zero dimensions/);

  const shortHeader = good.subarray(0, 9); // ndims=2 needs 12 header bytes
  assert.throws(() => parseIdx(shortHeader, 'h.idx'), /h\.idx: .*truncated header/);
  assert.throws(() => parseIdx(Uint8Array.from([0, 0]), 'tiny.idx'), /tiny\.idx/);
});

test('IDX: truncated data, trailing bytes and a broken gzip are errors naming the file', () => {
  const good = encodeIdx({ dtype: 'int32', dims: [3, 2], data: Int32Array.from([1, 2, 3, 4, 5, 6]) });
  const f = path.join(dir, 'trunc.idx');
  writeFileSync(f, good.subarray(0, good.length - 3));
  assert.throws(
    () => readIdxFile(f),
    (e: Error) =>
      e.message.includes(f) && /truncated: dims \[3, 2\] of int32 need 24 data bytes, found 21/.test(e.message),
  );

  const extra = new Uint8Array(good.length + 5);
  extra.set(good);
  assert.throws(() => parseIdx(extra, 'extra.idx'), /extra\.idx: .*5 unexpected trailing bytes/);

  const gz = gzipSync(good);
  const fz = path.join(dir, 'trunc.idx.gz');
  writeFileSync(fz, gz.subarray(0, gz.length - 10));
  assert.throws(
    () => readIdxFile(fz),
    (e: Error) => e.message.includes(fz) && /gzip/.test(e.message),
  );

  assert.throws(() => readIdxFile(path.join(dir, 'missing.idx')), /missing\.idx: cannot read/);
});

test('loadIdxDataset: generic IDX image sets from a folder or a file, labels optional', async () => {
  const { loadIdxDataset } = await import('../../src/data/idx_dataset.js');
  const d = mkdtempSync(path.join(tmpdir(), 'tsgan-idxds-'));
  const imgs = Uint8Array.from({ length: 4 * 3 * 2 }, (_, i) => i * 10);
  writeFileSync(
    path.join(d, 'train-images-idx3-ubyte.gz'),
    gzipSync(encodeIdx({ dtype: 'uint8', dims: [4, 3, 2], data: imgs })),
  );
  writeFileSync(
    path.join(d, 'train-labels-idx1-ubyte'),
    encodeIdx({ dtype: 'uint8', dims: [4], data: Uint8Array.from([0, 4, 2, 1]) }),
  );
  const ds = loadIdxDataset(d);
  assert.deepEqual([ds.n, ds.height, ds.width, ds.channels, ds.numClasses], [4, 3, 2, 1, 5]);
  assert.deepEqual([...ds.labels!], [0, 4, 2, 1]);
  assert.equal(ds.images[7], Math.fround(70 / 127.5 - 1));
  const only = loadIdxDataset(path.join(d, 'train-images-idx3-ubyte.gz'), { limit: 2 });
  assert.equal(only.labels, null);
  assert.equal(only.n, 2);
  assert.throws(() => loadIdxDataset(d, { classNames: ['a'] }), /5 classes .* but 1 class names/);
  const empty = mkdtempSync(path.join(tmpdir(), 'tsgan-idxds-empty-'));
  assert.throws(() => loadIdxDataset(empty), /no file named like \*images\*idx\*/);
  writeFileSync(
    path.join(d, 'train-labels-idx1-ubyte'),
    encodeIdx({ dtype: 'uint8', dims: [3], data: Uint8Array.from([0, 1, 2]) }),
  );
  assert.throws(() => loadIdxDataset(d), /3 labels for 4 images/);
});
