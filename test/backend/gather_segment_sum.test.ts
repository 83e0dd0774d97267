// Parity of the native GatherV2 and UnsortedSegmentSum kernels with tfjs cpu: axes, batch
// dimensions, repeated and dropped indices, empty tensors, the embedding gradient that made the
// conditional presets slow, fallbacks and argument errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf } from '../../src/index.js';
import type { NativeBackend } from '../../src/backend/native_backend.js';
import { assertParity, onBothBackends, randInt, randValues, rng } from '../helpers/parity.js';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

test('GatherV2 matches cpu exactly on every axis, with batch dimensions and empty tensors', () => {
  const r = rng(51);
  const cases: { x: number[]; idx: number[]; axis: number; batchDims?: number }[] = [
    { x: [10, 6272], idx: [64], axis: 0 }, // a class embedding's forward pass (threaded)
    { x: [5], idx: [7], axis: 0 },
    { x: [4, 3, 5], idx: [2, 3], axis: 1 },
    { x: [4, 3, 5], idx: [6], axis: -1 },
    { x: [3, 4, 5], idx: [3, 2], axis: 1, batchDims: 1 },
    { x: [2, 3, 4, 2], idx: [2, 3, 5], axis: 2, batchDims: 2 },
    { x: [4, 3], idx: [0], axis: 0 },
    { x: [0, 3], idx: [0], axis: 1 },
  ];
  for (const c of cases) {
    const ax = c.axis < 0 ? c.x.length + c.axis : c.axis;
    const dim = c.x[ax]!;
    const idx = Array.from({ length: size(c.idx) }, () => (dim > 0 ? randInt(r, 0, dim - 1) : 0));
    if (dim === 0) idx.length = 0;
    const res = onBothBackends(
      [
        { values: randValues(r, size(c.x)), shape: c.x },
        { values: idx, shape: dim === 0 ? [0] : c.idx, dtype: 'int32' },
      ],
      (x, i) => tf.gather(x, i, c.axis, c.batchDims ?? 0),
    );
    assertParity(res, 0, `gather ${JSON.stringify(c)}`);
  }
});

test('GatherV2 rejects an index out of range like cpu, naming the value and the range', () => {
  const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
  for (const bad of [2, -1]) {
    assert.throws(
      () => tf.gather(x, tf.tensor1d([0, bad], 'int32')),
      /GatherV2: the index value -?\d+ is not in \[0, 1\]/,
    );
  }
  const backend = tf.findBackend('native') as NativeBackend;
  assert.throws(
    () => backend.run('GatherV2', new Float32Array(4), new Int32Array([0]), 1, 1, 2, 3, new Float32Array(3)),
    /GatherV2: x has 4 elements, batch x outer x dim x slice is 6/,
  );
  assert.throws(
    () => backend.run('GatherV2', new Float32Array(4), new Float32Array([0]), 1, 1, 2, 2, new Float32Array(2)),
    /GatherV2: argument 'indices' must be a Int32Array/,
  );
  x.dispose();
});

test('UnsortedSegmentSum matches cpu, with repeated ids, ids out of range and empty segments', () => {
  const r = rng(52);
  const cases: { x: number[]; segs: number; ids?: number[] }[] = [
    { x: [64, 6272], segs: 10 }, // the class embedding's gradient (threaded over columns)
    { x: [64, 50], segs: 10 },
    { x: [7], segs: 3 },
    { x: [6, 2, 3], segs: 4, ids: [3, 3, -1, 0, 9, 3] }, // -1 and 9 are dropped, segments 1 and 2 stay 0
    { x: [0, 4], segs: 3 },
  ];
  for (const c of cases) {
    const ids = c.ids ?? Array.from({ length: c.x[0]! }, () => randInt(r, 0, Math.max(0, c.segs - 1)));
    const res = onBothBackends(
      [
        { values: randValues(r, size(c.x)), shape: c.x },
        { values: ids, shape: [c.x[0]!], dtype: 'int32' },
      ],
      (x, i) => tf.unsortedSegmentSum(x, i, c.segs),
    );
    assertParity(res, 1e-6, `unsortedSegmentSum ${JSON.stringify(c)}`);
  }
});

test('UnsortedSegmentSum: a NaN or infinity stays in its own segment (tfjs cpu spreads NaN to every segment)', () => {
  const x = tf.tensor2d([1, NaN, 2, 3, Infinity, 4, 5, 6], [4, 2]);
  const s = tf.unsortedSegmentSum(x, tf.tensor1d([0, 1, 2, 0], 'int32'), 3);
  const v = Array.from(s.dataSync());
  assert.equal(v[0], 6);
  assert.ok(Number.isNaN(v[1]!));
  assert.deepEqual(v.slice(2), [2, 3, Infinity, 4]);
  tf.dispose([x, s]);
});

test('the gradient of a gather (an embedding lookup) matches cpu', () => {
  const r = rng(53);
  const labels = Array.from({ length: 64 }, () => randInt(r, 0, 9));
  const res = onBothBackends(
    [
      { values: randValues(r, 10 * 300), shape: [10, 300] },
      { values: labels, shape: [64], dtype: 'int32' },
      { values: randValues(r, 64 * 300), shape: [64, 300] },
    ],
    (emb, y, w) => tf.grad((e: tf.Tensor) => tf.sum(tf.mul(tf.gather(e, y), w)))(emb),
  );
  assertParity(res, 1e-6, 'gather gradient');
});

test('UnsortedSegmentSum with int32 values or rank-2 ids falls back to cpu', () => {
  const res = onBothBackends(
    [
      { values: [1, 2, 3, 4], shape: [4], dtype: 'int32' },
      { values: [1, 0, 1, 1], shape: [4], dtype: 'int32' },
    ],
    (x, i) => tf.unsortedSegmentSum(x, i, 2),
  );
  assertParity(res, 0, 'int32 unsortedSegmentSum');
  const res2 = onBothBackends(
    [
      { values: [1, 2, 3, 4, 5, 6], shape: [2, 3] },
      { values: [1, 0, 1, 1, 0, 0], shape: [2, 3], dtype: 'int32' },
    ],
    (x, i) => tf.unsortedSegmentSum(x, i, 2),
  );
  assertParity(res2, 0, 'rank-2 ids');
});

test('GatherV2 and UnsortedSegmentSum run their native kernels; bad arguments are named', () => {
  for (const name of ['GatherV2', 'UnsortedSegmentSum']) {
    assert.notEqual(tf.getKernel(name, 'native')!.kernelFunc, tf.getKernel(name, 'cpu')!.kernelFunc, name);
  }
  const backend = tf.findBackend('native') as NativeBackend;
  assert.throws(
    () => backend.run('UnsortedSegmentSum', new Float32Array(6), new Int32Array(4), 2, new Float32Array(4)),
    /UnsortedSegmentSum: x has 6 elements, not a multiple of the 4 segment ids/,
  );
  assert.throws(
    () => backend.run('UnsortedSegmentSum', new Float32Array(6), new Int32Array(3), 2, new Float32Array(5)),
    /UnsortedSegmentSum: out has 5 elements, numSegments x inner is 4/,
  );
});
