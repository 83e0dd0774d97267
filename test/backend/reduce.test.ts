// Parity of the native reductions (native/kernels/{sum,mean,prod,max,min}.cc) with tfjs cpu: any
// axes (negative, unsorted, all, none), keepDims, ranks 0-6, size-1 and empty dimensions, NaN/Inf,
// the dcgan shapes above the threading thresholds, gradients, int/bool fallback, argument errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf } from '../../src/index.js';
import type { NativeBackend } from '../../src/backend/native_backend.js';
import { assertParity, onBothBackends, randInt, randValues, rng } from '../helpers/parity.js';

type Reduce = (x: tf.Tensor, axis: number | number[] | undefined, keepDims: boolean) => tf.Tensor;

const OPS: [string, Reduce][] = [
  ['Sum', (x, a, k) => tf.sum(x, a, k)],
  ['Mean', (x, a, k) => tf.mean(x, a, k)],
  ['Prod', (x, a, k) => tf.prod(x, a, k)],
  ['Max', (x, a, k) => tf.max(x, a, k)],
  ['Min', (x, a, k) => tf.min(x, a, k)],
];

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** A random subset of the axes of a rank-r tensor, some written negative, in random order. */
function randomAxes(r: () => number, rank: number): number[] {
  const axes: number[] = [];
  for (let i = 0; i < rank; i++) if (r() < 0.5) axes.push(r() < 0.3 ? i - rank : i);
  return axes.sort(() => r() - 0.5);
}

test('reductions match tfjs cpu over random axes, ranks 0-6 and keepDims', () => {
  const r = rng(31);
  for (const [name, fn] of OPS) {
    for (let rank = 0; rank <= 6; rank++) {
      for (let c = 0; c < 5; c++) {
        const shape = Array.from({ length: rank }, () => (r() < 0.25 ? 1 : randInt(r, 2, 4)));
        const axes = c === 0 ? undefined : randomAxes(r, rank);
        const keep = r() < 0.5;
        // Prod stays finite and away from underflow with values near +-1.
        const v = randValues(r, size(shape)).map((x) =>
          name === 'Prod' ? Math.sign(x) * (0.8 + Math.abs(x) * 0.4) : x * 3,
        );
        const res = onBothBackends([{ values: v, shape }], (x) => fn(x, axes, keep));
        assertParity(res, 1e-5, `${name} ${JSON.stringify(shape)} axes ${JSON.stringify(axes)} keepDims ${keep}`);
      }
    }
  }
});

test('reductions on the dcgan shapes and long rows/columns (threaded paths)', () => {
  const r = rng(32);
  const cases: [number[], number | number[] | undefined][] = [
    [
      [16, 14, 14, 64],
      [0, 1, 2],
    ], // per-channel sums: [R, K] with small K
    [
      [16, 14, 14, 64],
      [1, 2, 3],
    ], // per-example: [K, R]
    [[16, 14, 14, 64], undefined], // everything: one long row
    [[3, 70000], 1], // few long rows
    [[70000, 3], 0], // many rows, few columns
    [[9, 9000], 0], // wide columns (split over columns)
    [
      [4, 50, 6, 40],
      [0, 2],
    ], // mixed: transposed first
    [[64, 1], undefined],
  ];
  for (const [name, fn] of OPS) {
    if (name === 'Prod') continue;
    for (const [shape, axes] of cases) {
      const res = onBothBackends([{ values: randValues(r, size(shape)), shape }], (x) => fn(x, axes, false));
      assertParity(res, 1e-4, `${name} ${JSON.stringify(shape)} axes ${JSON.stringify(axes)}`);
    }
  }
});

test('reductions propagate NaN and Inf like cpu, and handle empty tensors', () => {
  const vals = [1, NaN, 3, -Infinity, 2, 5, Infinity, -1, 0, 4, 7, -2];
  for (const [name, fn] of OPS) {
    for (const axes of [undefined, 0, 1, [0, 1]]) {
      const res = onBothBackends([{ values: vals, shape: [3, 4] }], (x) => fn(x, axes, false));
      assertParity(res, 1e-6, `${name} special values axes ${JSON.stringify(axes)}`);
    }
    // Long rows (vector bodies) with one NaN deep inside, and rows of -Inf / +Inf only.
    const long = Array.from({ length: 3 * 1000 }, (_, i) =>
      i === 1517 ? NaN : i >= 2000 ? (name === 'Max' ? -Infinity : Infinity) : Math.sin(i),
    );
    for (const axes of [1, undefined]) {
      const res = onBothBackends([{ values: long, shape: [3, 1000] }], (x) => fn(x, axes, false));
      assertParity(res, 1e-6, `${name} long rows with NaN/Inf axes ${JSON.stringify(axes)}`);
    }
    for (const [shape, axes] of [
      [[0], undefined],
      [[3, 0], 1],
      [[3, 0], 0],
      [
        [2, 0, 2],
        [0, 2],
      ],
    ] as [number[], number | number[] | undefined][]) {
      const res = onBothBackends([{ values: [], shape }], (x) => fn(x, axes, true));
      assertParity(res, 0, `${name} empty ${JSON.stringify(shape)} axes ${JSON.stringify(axes)}`);
    }
  }
});

test('reduction gradients through tf.grad match cpu', () => {
  const r = rng(33);
  // tfjs's Prod gradient calls chained ops (x.reshape), which the Node bundle does not register.
  for (const [name, fn] of OPS.filter(([n]) => n !== 'Prod')) {
    for (let c = 0; c < 4; c++) {
      const shape = Array.from({ length: randInt(r, 1, 4) }, () => randInt(r, 1, 5));
      const axes = randomAxes(r, shape.length);
      const res = onBothBackends([{ values: randValues(r, size(shape)).map((x) => x + 2), shape }], (x) =>
        tf.grad((a: tf.Tensor) => tf.sum(tf.square(fn(a, axes, c % 2 === 0))))(x),
      );
      assertParity(res, 1e-4, `grad ${name} ${JSON.stringify(shape)} axes ${JSON.stringify(axes)}`);
    }
  }
});

test('int32 and bool inputs fall back to cpu with cpu dtypes', () => {
  const res = onBothBackends([{ values: [1, 2, 3, 4, 5, 6], shape: [2, 3], dtype: 'int32' }], (x) =>
    OPS.map(([, fn]) => fn(x, 1, false)),
  );
  assertParity(res, 0, 'int32');
  assert.equal(tf.sum(tf.tensor([1, 2], [2], 'int32')).dtype, 'int32');
  assert.equal(tf.sum(tf.tensor([1, 0, 1], [3], 'bool')).dtype, 'int32');
  assert.equal(tf.sum(tf.tensor([1, 0, 1], [3], 'bool')).dataSync()[0], 2);
  assert.equal(tf.mean(tf.tensor([1, 2], [2], 'int32')).dtype, 'float32');
});

test('every reduction runs its native kernel', () => {
  for (const [name] of OPS) {
    const k = tf.getKernel(name, 'native');
    assert.ok(k, `${name} registered`);
    assert.notEqual(k!.kernelFunc, tf.getKernel(name, 'cpu')!.kernelFunc, `${name} is native`);
  }
});

test('native reductions reject bad arguments with errors naming the op and shapes', () => {
  const backend = tf.findBackend('native') as NativeBackend;
  const f = (n: number) => new Float32Array(n);
  assert.throws(() => backend.run('Sum', f(6), [2, 3], [2], f(2)), /Sum: axis 2.* out of range for shape \[2,3\]/);
  assert.throws(
    () => backend.run('Mean', f(6), [2, 3], [1], f(3)),
    /Mean: out has 3 elements but reducing \[2,3\] leaves 2/,
  );
  assert.throws(() => backend.run('Max', f(5), [2, 3], [0], f(3)), /Max: 'x' has 5 elements but shape \[2,3\]/);
  assert.throws(() => backend.run('Min', f(6), [2, 3], 1, f(2)), /Min: argument 'axes' must be an array/);
  assert.throws(() => backend.run('Prod', f(6), [2, 3], [0.5], f(3)), /Prod: axis 0.5.* out of range/);
});
