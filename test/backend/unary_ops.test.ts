// Parity of the native unary kernels (native/kernels/{relu,leaky_relu,sigmoid,...}.cc) with tfjs
// cpu: random shapes, values across each op's range, NaN/Inf, empty tensors, gradients, int32
// fallback and argument errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf } from '../../src/index.js';
import type { NativeBackend } from '../../src/backend/native_backend.js';
import { assertParity, onBothBackends, randInt, randValues, rng } from '../helpers/parity.js';

type Unary = (x: tf.Tensor) => tf.Tensor;

// [kernel, op, value scale, tolerance, has a tfjs gradient]
const OPS: [string, Unary, number, number, boolean][] = [
  ['Relu', tf.relu, 4, 1e-6, true],
  ['Relu6', tf.relu6, 10, 1e-6, true],
  ['LeakyRelu', (x) => tf.leakyRelu(x, 0.2), 4, 1e-6, true],
  ['Elu', tf.elu, 6, 1e-6, true],
  ['Selu', tf.selu, 6, 1e-6, true],
  ['Sigmoid', tf.sigmoid, 20, 1e-6, true],
  ['Tanh', tf.tanh, 6, 1e-6, true],
  ['Softplus', tf.softplus, 40, 1e-6, true],
  ['Exp', tf.exp, 10, 1e-6, true],
  ['Log', tf.log, 5, 1e-6, true],
  ['Sqrt', tf.sqrt, 5, 1e-6, true],
  ['Rsqrt', tf.rsqrt, 5, 1e-6, true],
  ['Square', tf.square, 5, 1e-6, true],
  ['Neg', tf.neg, 5, 1e-6, true],
  ['Abs', tf.abs, 5, 1e-6, true],
  ['Step', (x) => tf.step(x, 0.3), 5, 1e-6, true],
  ['Reciprocal', tf.reciprocal, 5, 1e-6, true],
  ['Erf', tf.erf, 3, 1e-6, true],
];

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Values in [-scale, scale) plus zeros, NaN and +-Inf. */
function values(r: () => number, n: number, scale: number): Float32Array {
  const v = randValues(r, n).map((x) => x * scale);
  for (let i = 0; i < n; i++) {
    const u = r();
    if (u < 0.04) v[i] = NaN;
    else if (u < 0.07) v[i] = Infinity;
    else if (u < 0.1) v[i] = -Infinity;
    else if (u < 0.13) v[i] = 0;
  }
  return v;
}

test('unary ops match tfjs cpu on random shapes, NaN/Inf and empty tensors included', () => {
  const r = rng(21);
  for (const [name, fn, scale, tol] of OPS) {
    const shapes = [
      [],
      [0],
      [3, 0, 2],
      [1],
      ...Array.from({ length: 6 }, () => Array.from({ length: randInt(r, 1, 5) }, () => randInt(r, 1, 6))),
    ];
    for (const shape of shapes) {
      const res = onBothBackends([{ values: values(r, size(shape), scale), shape }], (x) => fn(x));
      assertParity(res, tol, `${name} ${JSON.stringify(shape)}`);
    }
  }
});

test('unary ops on large tensors (threaded) and around Softplus/Sigmoid cut-offs', () => {
  const r = rng(22);
  for (const [name, fn, scale, tol] of OPS) {
    const shape = [5, 14, 14, 64]; // above every threading threshold
    const res = onBothBackends([{ values: values(r, size(shape), scale), shape }], (x) => fn(x));
    assertParity(res, tol, `${name} ${JSON.stringify(shape)}`);
  }
  const edges = [-100, -88, -20, -13.95, -13.94, -13.9, -1e-8, 0, 1e-8, 13.9, 13.94, 13.95, 20, 88, 100];
  for (const fn of [tf.softplus, tf.sigmoid, tf.tanh, tf.elu, tf.selu, tf.exp, tf.erf]) {
    assertParity(
      onBothBackends([{ values: edges, shape: [edges.length] }], (x) => fn(x)),
      1e-6,
      `edges ${fn.name}`,
    );
  }
});

test('unary op gradients through tf.grad match cpu', () => {
  const r = rng(23);
  for (const [name, fn, , , hasGrad] of OPS) {
    if (!hasGrad) continue;
    const shape = [randInt(r, 1, 5), randInt(r, 1, 7), 3];
    // Positive values keep Log/Sqrt/Rsqrt finite; others see both signs.
    const positive = ['Log', 'Sqrt', 'Rsqrt'].includes(name);
    const v = randValues(r, size(shape)).map((x) => (positive ? Math.abs(x) + 0.1 : x * 3));
    const res = onBothBackends([{ values: v, shape }], (x) => tf.grad((a: tf.Tensor) => tf.sum(tf.mul(fn(a), a)))(x));
    assertParity(res, 1e-5, `grad ${name}`);
  }
});

test('LeakyRelu and Step attributes reach the kernel', () => {
  const x = tf.tensor([-2, -1, 0, 1, NaN]);
  assert.deepEqual(Array.from(tf.leakyRelu(x, 0.5).dataSync()), [-1, -0.5, 0, 1, NaN]);
  assert.deepEqual(Array.from(tf.step(x, -3).dataSync()), [-3, -3, -3, 1, NaN]);
});

test('int32 inputs fall back to the cpu kernels with cpu dtypes', () => {
  const res = onBothBackends([{ values: [-3, 0, 4, 7], shape: [4], dtype: 'int32' }], (x) => [
    tf.relu(x),
    tf.abs(x),
    tf.neg(x),
    tf.square(x),
  ]);
  assertParity(res, 0, 'int32');
  assert.equal(tf.neg(tf.tensor([1, 2], [2], 'int32')).dtype, 'int32');
});

test('every unary op runs its native kernel', () => {
  for (const [name] of OPS) {
    const k = tf.getKernel(name, 'native');
    assert.ok(k, `${name} registered`);
    assert.notEqual(k!.kernelFunc, tf.getKernel(name, 'cpu')!.kernelFunc, `${name} is native`);
  }
});

test('native unary kernels reject bad arguments with errors naming the op', () => {
  const backend = tf.findBackend('native') as NativeBackend;
  const f = (n: number) => new Float32Array(n);
  assert.throws(() => backend.run('Sigmoid', f(3), f(2)), /Sigmoid: x has 3 elements but out has 2/);
  assert.throws(() => backend.run('LeakyRelu', f(3), f(3)), /LeakyRelu: expects \(x, out, alpha\)/);
  assert.throws(() => backend.run('Step', f(3), f(3), 'a'), /Step: argument 'alpha' must be a number/);
  assert.throws(() => backend.run('Tanh', new Int32Array(3), f(3)), /Tanh: argument 'x' must be a Float32Array/);
});
