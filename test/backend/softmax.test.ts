// Parity of the native Softmax kernel with tfjs cpu: rows of 1 to 1,000 values, large and
// negative logits, ranks 1-3, its gradient through tf.softmax, and the readable argument errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf } from '../../src/index.js';
import type { NativeBackend } from '../../src/backend/native_backend.js';
import { assertParity, onBothBackends, randValues, rng } from '../helpers/parity.js';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

test('Softmax matches cpu on the last axis for every rank and row length', () => {
  const r = rng(91);
  for (const [shape, scale] of [
    [[16, 10], 1],
    [[16, 10], 1000],
    [[7], 3],
    [[2, 3, 5], 20],
    [[4, 1], 1],
    [[3, 1000], 5],
    [[600, 3], 50],
  ] as [number[], number][]) {
    const res = onBothBackends([{ values: randValues(r, size(shape)).map((v) => v * scale - 2), shape }], (x) =>
      tf.softmax(x),
    );
    assertParity(res, 1e-6, `softmax ${JSON.stringify(shape)} x${scale}`);
    const g = onBothBackends([{ values: randValues(r, size(shape)).map((v) => v * scale), shape }], (x) =>
      tf.grad((a: tf.Tensor) =>
        tf.sum(tf.mul(tf.softmax(a), tf.div(tf.range(0, size(shape)), size(shape)).reshape(shape))),
      )(x),
    );
    assertParity(g, 1e-5, `softmax gradient ${JSON.stringify(shape)}`);
  }
});

test('native Softmax rejects bad arguments with readable errors', () => {
  const backend = tf.backend() as NativeBackend;
  assert.throws(
    () => backend.run('Softmax', new Float32Array(10), 3, new Float32Array(10)),
    /Softmax: x has 10 elements, not rows of 3/,
  );
  assert.throws(
    () => backend.run('Softmax', new Float32Array(6), 3, new Float32Array(5)),
    /out has 5 elements, x has 6/,
  );
});
