// Parity of the native Select (tf.where) and AddN kernels with tfjs cpu: broadcasting through
// tf.where, NaN operands, empty tensors, gradients, fallbacks and argument errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf } from '../../src/index.js';
import type { NativeBackend } from '../../src/backend/native_backend.js';
import { assertParity, onBothBackends, randInt, randValues, rng } from '../helpers/parity.js';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

test('Select (tf.where) matches cpu, with broadcast operands, NaN and empty tensors', () => {
  const r = rng(41);
  const cases: [number[], number[], number[]][] = [
    [[5], [5], [5]],
    [
      [3, 4],
      [3, 4],
      [1, 4],
    ],
    [[2, 1, 3], [1, 4, 3], []],
    [
      [6, 14, 14, 64],
      [6, 14, 14, 64],
      [6, 14, 14, 64],
    ], // threaded
    [
      [0, 3],
      [0, 3],
      [0, 3],
    ],
    [[], [], []],
  ];
  for (const [sc, st, se] of cases) {
    const cond = Array.from({ length: size(sc) }, () => (r() < 0.5 ? 1 : 0));
    const tv = randValues(r, size(st)).map((v) => (r() < 0.05 ? NaN : v));
    const res = onBothBackends(
      [
        { values: cond, shape: sc, dtype: 'bool' },
        { values: tv, shape: st },
        { values: randValues(r, size(se)), shape: se },
      ],
      (c, t, e) => tf.where(c, t, e),
    );
    assertParity(res, 0, `where ${JSON.stringify([sc, st, se])}`);
  }
});

test('Select gradient and the LeakyRelu-style pattern match cpu', () => {
  const r = rng(42);
  const shape = [4, 7, 7, 8];
  const res = onBothBackends([{ values: randValues(r, size(shape)), shape }], (x) => {
    const cond = tf.greater(x, 0); // outside the tape: Greater has no gradient
    return [
      tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.where(cond, a, tf.mul(a, 0.2)), a)))(x),
      tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.leakyRelu(a, 0.2))))(x),
    ];
  });
  assertParity(res, 1e-5, 'select gradient');
});

test('Select with int32 operands falls back to cpu', () => {
  const res = onBothBackends(
    [
      { values: [1, 0, 1], shape: [3], dtype: 'bool' },
      { values: [1, 2, 3], shape: [3], dtype: 'int32' },
      { values: [4, 5, 6], shape: [3], dtype: 'int32' },
    ],
    (c, t, e) => tf.where(c, t, e),
  );
  assertParity(res, 0, 'where int32');
  assert.equal(
    tf.where(tf.tensor([1], [1], 'bool'), tf.tensor([1], [1], 'int32'), tf.tensor([2], [1], 'int32')).dtype,
    'int32',
  );
});

test('AddN matches cpu exactly (left-to-right float32 adds), gradients too', () => {
  const r = rng(43);
  for (const [k, shape] of [
    [1, [5]],
    [2, [3, 4]],
    [5, [2, 3, 4]],
    [3, [70000]],
    [4, [0, 2]],
    [3, []],
  ] as [number, number[]][]) {
    const inputs = Array.from({ length: k }, () => ({ values: randValues(r, size(shape)).map((v) => v * 1e3), shape }));
    const res = onBothBackends(inputs, (...xs) => tf.addN(xs));
    assertParity(res, 0, `addN ${k} x ${JSON.stringify(shape)}`);
  }
  const shape = [randInt(r, 1, 4), 3];
  const res = onBothBackends(
    [
      { values: randValues(r, size(shape)), shape },
      { values: randValues(r, size(shape)), shape },
    ],
    (a, b) => {
      const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.addN([x, y, x]))))([a, b]);
      return [g[0]!, g[1]!];
    },
  );
  assertParity(res, 1e-6, 'addN gradient');
});

test('Select and AddN run their native kernels', () => {
  for (const name of ['Select', 'AddN']) {
    assert.notEqual(
      tf.getKernel(name, 'native')!.kernelFunc,
      tf.getKernel(name, 'cpu')!.kernelFunc,
      `${name} is native`,
    );
  }
});

test('native Select and AddN reject bad arguments with errors naming the op', () => {
  const backend = tf.findBackend('native') as NativeBackend;
  const f = (n: number) => new Float32Array(n);
  assert.throws(
    () => backend.run('Select', new Uint8Array(3), f(3), f(2), f(3)),
    /Select: condition, t, e and out must have the same size, got 3, 3, 2 and 3/,
  );
  assert.throws(
    () => backend.run('Select', f(3), f(3), f(3), f(3)),
    /Select: argument 'condition' must be a Uint8Array/,
  );
  assert.throws(() => backend.run('AddN', [f(3), f(4)], f(3)), /AddN: input 1 has 4 elements, out has 3/);
  assert.throws(() => backend.run('AddN', [f(3), [1, 2, 3]], f(3)), /AddN: input 1 is not a Float32Array/);
});
