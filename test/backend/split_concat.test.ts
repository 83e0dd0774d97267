// Parity of the native SplitV (tf.split) and Concat (tf.concat) kernels with tfjs cpu: every axis,
// uneven and -1 sizes, empty pieces, gradients, fallbacks and argument errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf } from '../../src/index.js';
import type { NativeBackend } from '../../src/backend/native_backend.js';
import { assertParity, onBothBackends, randValues, rng } from '../helpers/parity.js';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

test('SplitV matches cpu exactly: equal splits, sizes with -1, empty pieces, every axis', () => {
  const r = rng(61);
  const cases: { x: number[]; splits: number | number[]; axis: number }[] = [
    { x: [64, 150], splits: [100, 50], axis: 1 }, // a cGAN's [z, embedding] split
    { x: [64, 11], splits: [1, 10], axis: -1 }, // ACGAN's [logit, class logits]
    { x: [6, 4, 5], splits: 2, axis: 0 },
    { x: [6, 4, 5], splits: [1, -1, 2], axis: 1 },
    { x: [3, 4, 5], splits: [0, 5], axis: 2 },
    { x: [300, 64, 40], splits: [10, 30], axis: 2 }, // threaded
    { x: [8], splits: 4, axis: 0 },
  ];
  for (const c of cases) {
    const res = onBothBackends([{ values: randValues(r, size(c.x)), shape: c.x }], (x) =>
      tf.split(x, c.splits, c.axis),
    );
    assertParity(res, 0, `split ${JSON.stringify(c)}`);
  }
});

test('Concat matches cpu exactly: every axis, many inputs, empty inputs', () => {
  const r = rng(62);
  const cases: { shapes: number[][]; axis: number }[] = [
    {
      shapes: [
        [64, 100],
        [64, 50],
      ],
      axis: 1,
    },
    {
      shapes: [
        [2, 3, 4],
        [2, 1, 4],
        [2, 5, 4],
      ],
      axis: 1,
    },
    {
      shapes: [
        [2, 3],
        [4, 3],
      ],
      axis: 0,
    },
    {
      shapes: [
        [3, 2, 2],
        [3, 2, 0],
        [3, 2, 5],
      ],
      axis: -1,
    },
    { shapes: [[5], [7], [1], [2]], axis: 0 },
    {
      shapes: [
        [400, 60],
        [400, 70],
      ],
      axis: 1,
    }, // threaded
  ];
  for (const c of cases) {
    const res = onBothBackends(
      c.shapes.map((s) => ({ values: randValues(r, size(s)), shape: s })),
      (...xs) => tf.concat(xs, c.axis),
    );
    assertParity(res, 0, `concat ${JSON.stringify(c)}`);
  }
});

test('SplitV and Concat gradients match cpu', () => {
  const r = rng(63);
  const res = onBothBackends(
    [
      { values: randValues(r, 4 * 9), shape: [4, 9] },
      { values: randValues(r, 4 * 3), shape: [4, 3] },
    ],
    (a, b) => {
      const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => {
        const [p, q] = tf.split(tf.concat([x, y], 1), [5, 7], 1);
        return tf.add(tf.sum(tf.square(p!)), tf.sum(tf.mul(q!, 3)));
      })([a, b]);
      return [g[0]!, g[1]!];
    },
  );
  assertParity(res, 1e-6, 'split/concat gradient');
});

test('int32 SplitV and Concat fall back to cpu; both run natively on float32', () => {
  const res = onBothBackends([{ values: [1, 2, 3, 4, 5, 6], shape: [2, 3], dtype: 'int32' }], (x) => [
    ...tf.split(x, [1, 2], 1),
    tf.concat([x, x], 0),
  ]);
  assertParity(res, 0, 'int32 split/concat');
  for (const name of ['SplitV', 'Concat']) {
    assert.notEqual(tf.getKernel(name, 'native')!.kernelFunc, tf.getKernel(name, 'cpu')!.kernelFunc, name);
  }
});

test('native SplitV and Concat reject bad arguments with errors naming the op', () => {
  const backend = tf.findBackend('native') as NativeBackend;
  const f = (n: number) => new Float32Array(n);
  assert.throws(
    () => backend.run('SplitV', f(10), 2, 1, [2, 2], [f(4), f(4)]),
    /SplitV: x has 10 elements, outer x sum\(sizes\) x inner is 8/,
  );
  assert.throws(
    () => backend.run('SplitV', f(8), 2, 1, [2, 2], [f(4), f(3)]),
    /SplitV: output 1 has 3 elements, expected 4/,
  );
  assert.throws(
    () => backend.run('Concat', [f(4), f(5)], 2, [2, 2], f(8)),
    /Concat: input 1 has 5 elements, expected 4/,
  );
  assert.throws(() => backend.run('Concat', [f(4), f(4)], 2, [2, 2], f(9)), /Concat: out has 9 elements, expected 8/);
});
