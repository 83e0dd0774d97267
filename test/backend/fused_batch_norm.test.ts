// Parity of the native FusedBatchNorm kernel with tfjs cpu: [C] parameters on ranks 1-4,
// parameters of x's shape, scalar-like [1] parameters, missing offset/scale, gradients through
// tf.batchNorm, and argument errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf } from '../../src/index.js';
import type { NativeBackend } from '../../src/backend/native_backend.js';
import { assertParity, onBothBackends, randValues, rng } from '../helpers/parity.js';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

type Case = { x: number[]; p: number[]; offset: boolean; scale: boolean; eps?: number };

test('FusedBatchNorm matches cpu for every parameter layout tfjs allows', () => {
  const r = rng(51);
  const cases: Case[] = [
    { x: [16, 14, 14, 64], p: [64], offset: true, scale: true }, // dcgan, threaded
    { x: [2, 3, 3, 5], p: [5], offset: false, scale: true },
    { x: [2, 3, 3, 5], p: [5], offset: true, scale: false },
    { x: [2, 3, 3, 5], p: [5], offset: false, scale: false, eps: 1e-5 },
    { x: [4, 6], p: [6], offset: true, scale: true },
    { x: [7], p: [7], offset: true, scale: true },
    { x: [2, 3, 4], p: [2, 3, 4], offset: true, scale: true }, // parameters of x's shape
    { x: [2, 3, 3, 5], p: [1], offset: true, scale: true }, // one value for everything
    { x: [3, 2, 2, 1], p: [1], offset: true, scale: true },
    { x: [0, 2, 2, 3], p: [3], offset: true, scale: true },
  ];
  for (const c of cases) {
    const inputs = [
      { values: randValues(r, size(c.x)).map((v) => v * 4), shape: c.x },
      { values: randValues(r, size(c.p)), shape: c.p },
      { values: randValues(r, size(c.p)).map((v) => Math.abs(v) + 0.01), shape: c.p },
      { values: randValues(r, size(c.p)), shape: c.p },
      { values: randValues(r, size(c.p)).map((v) => v * 2), shape: c.p },
    ];
    const res = onBothBackends(inputs, (x, m, v, o, s) =>
      tf.batchNorm(x, m, v, c.offset ? o : undefined, c.scale ? s : undefined, c.eps),
    );
    assertParity(res, 1e-5, `batchNorm ${JSON.stringify(c)}`);
  }
});

test('FusedBatchNorm with zero variance, NaN and Inf inputs matches cpu', () => {
  const res = onBothBackends(
    [
      { values: [1, NaN, Infinity, -2, 0, 3], shape: [2, 3] },
      { values: [0.5, 0, -1], shape: [3] },
      { values: [0, 1, 0.25], shape: [3] },
    ],
    (x, m, v) => tf.batchNorm(x, m, v, undefined, undefined, 1e-3),
  );
  assertParity(res, 1e-5, 'batchNorm special values');
});

test('batchNorm gradients through tf.grads match cpu', () => {
  const r = rng(52);
  const xs = [3, 4, 4, 6];
  const ps = [6];
  const res = onBothBackends(
    [
      { values: randValues(r, size(xs)), shape: xs },
      { values: randValues(r, 6), shape: ps },
      { values: randValues(r, 6).map((v) => Math.abs(v) + 0.1), shape: ps },
      { values: randValues(r, 6), shape: ps },
      { values: randValues(r, 6), shape: ps },
    ],
    (x, m, v, o, s) => {
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor, d: tf.Tensor, e: tf.Tensor) =>
        tf.sum(tf.square(tf.batchNorm(a, b, c, d, e, 1e-3))),
      )([x, m, v, o, s]);
      return g;
    },
  );
  assertParity(res, 1e-4, 'batchNorm gradients');
});

test('FusedBatchNorm runs its native kernel and rejects bad arguments', () => {
  assert.notEqual(
    tf.getKernel('FusedBatchNorm', 'native')!.kernelFunc,
    tf.getKernel('FusedBatchNorm', 'cpu')!.kernelFunc,
  );
  const backend = tf.findBackend('native') as NativeBackend;
  const f = (n: number) => new Float32Array(n);
  assert.throws(
    () => backend.run('FusedBatchNorm', f(6), f(3), f(3), null, null, 1e-3, f(5)),
    /FusedBatchNorm: x has 6 elements but out has 5/,
  );
  assert.throws(
    () => backend.run('FusedBatchNorm', f(6), f(0), f(3), null, null, 1e-3, f(6)),
    /FusedBatchNorm: mean is empty/,
  );
  assert.throws(
    () => backend.run('FusedBatchNorm', f(6), f(3), f(3), null, null, 'x', f(6)),
    /FusedBatchNorm: argument 'varianceEpsilon' must be a number/,
  );
  assert.throws(
    () => backend.run('FusedBatchNorm', f(6), f(3), [1, 2, 3], null, null, 1e-3, f(6)),
    /FusedBatchNorm: argument 'variance' must be a Float32Array/,
  );
});
