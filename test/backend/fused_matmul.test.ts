// Parity of the native _FusedMatMul kernel (matmul + bias + activation, what tfjs-layers' dense
// layer runs) with tfjs cpu, for every activation and transpose; plus its argument checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf } from '../../src/index.js';
import type { NativeBackend } from '../../src/backend/native_backend.js';
import { assertParity, onBothBackends, randInt, randValues, rng } from '../helpers/parity.js';

const ACTIVATIONS = ['linear', 'relu', 'relu6', 'leakyrelu', 'prelu', 'elu', 'sigmoid'] as const;

test('_FusedMatMul matches tfjs cpu for every activation and transpose, with and without bias', () => {
  const r = rng(61);
  for (let i = 0; i < 42; i++) {
    const activation = ACTIVATIONS[i % ACTIVATIONS.length]!;
    const big = i % 7 === 3;
    const m = big ? 64 : randInt(r, 1, 30);
    const n = big ? 300 : randInt(r, 1, 30);
    const k = big ? 100 : randInt(r, 1, 30);
    const batch = i % 5 === 4 ? [randInt(r, 2, 3)] : [];
    const ta = i % 2 === 1;
    const tb = i % 4 >= 2;
    const withBias = i % 3 !== 2;
    const scalar = i % 6 === 0;
    const as = [...batch, ...(ta ? [k, m] : [m, k])];
    const bs = [...batch, ...(tb ? [n, k] : [k, n])];
    const res = onBothBackends(
      [
        {
          values: randValues(
            r,
            as.reduce((p, q) => p * q, 1),
          ),
          shape: as,
        },
        {
          values: randValues(
            r,
            bs.reduce((p, q) => p * q, 1),
          ),
          shape: bs,
        },
        { values: randValues(r, scalar ? 1 : n), shape: [scalar ? 1 : n] },
        { values: randValues(r, scalar ? 1 : n), shape: [scalar ? 1 : n] },
      ],
      (a, b, bias, alpha) =>
        tf.fused.matMul({
          a: a!,
          b: b!,
          transposeA: ta,
          transposeB: tb,
          bias: withBias ? bias : undefined,
          activation,
          preluActivationWeights: activation === 'prelu' ? alpha : undefined,
          leakyreluAlpha: 0.3,
        }),
    );
    assertParity(
      res,
      1e-4,
      `fused matMul ${activation} a ${JSON.stringify(as)} b ${JSON.stringify(bs)} ta=${ta} tb=${tb} bias=${withBias}`,
    );
  }
});

test('_FusedMatMul with a [M, N] bias (not per-column) still matches (cpu fallback), and the dense layer shapes', () => {
  const r = rng(62);
  const res = onBothBackends(
    [
      { values: randValues(r, 5 * 7), shape: [5, 7] },
      { values: randValues(r, 7 * 9), shape: [7, 9] },
      { values: randValues(r, 5 * 9), shape: [5, 9] },
    ],
    (a, b, bias) => tf.fused.matMul({ a: a!, b: b!, bias, activation: 'relu' }),
  );
  assertParity(res, 1e-4, 'fused matMul, bias [5,9]');
  const dense = onBothBackends(
    [
      { values: randValues(r, 8 * 100), shape: [1, 8, 100] },
      { values: randValues(r, 100 * 6272), shape: [1, 100, 6272] },
      { values: randValues(r, 6272), shape: [6272] },
    ],
    (a, b, bias) => tf.fused.matMul({ a: a!, b: b!, bias, activation: 'relu' }),
  );
  assertParity(dense, 1e-4, 'fused matMul, generator dense');
});

test('_FusedMatMul propagates NaN through every activation as tfjs cpu does', () => {
  const r = rng(63);
  for (const activation of ACTIVATIONS) {
    const a = randValues(r, 4 * 5);
    a[7] = NaN; // row 1 of a: every output of row 1 is NaN before the activation
    const res = onBothBackends(
      [
        { values: a, shape: [4, 5] },
        { values: randValues(r, 5 * 6), shape: [5, 6] },
        { values: randValues(r, 6), shape: [6] },
      ],
      (x, y, bias) =>
        tf.fused.matMul({ a: x!, b: y!, bias, activation, preluActivationWeights: bias, leakyreluAlpha: 0.2 }),
    );
    assertParity(res, 1e-4, `fused matMul with NaN, ${activation}`);
  }
});

test('_FusedMatMul is the native kernel and rejects bad arguments with a readable error', () => {
  assert.notEqual(tf.getKernel('_FusedMatMul', 'native')!.kernelFunc, tf.getKernel('_FusedMatMul', 'cpu')!.kernelFunc);
  const backend = tf.findBackend('native') as NativeBackend;
  const a = new Float32Array(6);
  const b = new Float32Array(12);
  const out = new Float32Array(8);
  const run =
    (...rest: unknown[]) =>
    () =>
      backend.run('_FusedMatMul', a, b, out, [2, 3], [3, 4], false, false, ...rest);
  assert.throws(
    run(new Float32Array(3), 'relu', 0.2, null),
    /_FusedMatMul: 'bias' has 3 values, expected 4.*a \[2,3\], b \[3,4\]/,
  );
  assert.throws(run(null, 'gelu', 0.2, null), /_FusedMatMul: unknown activation 'gelu'/);
  assert.throws(run(null, 'prelu', 0.2, null), /_FusedMatMul: activation 'prelu' needs preluWeights/);
  assert.throws(
    () => backend.run('_FusedMatMul', a, b, out, [2, 3], [2, 4], false, false, null, 'relu', 0.2, null),
    /_FusedMatMul: inner dimensions 3 and 2 differ/,
  );
});
