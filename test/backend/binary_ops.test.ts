// Parity of the native binary elementwise kernels (native/kernels/{add,sub,...}.cc) with tfjs cpu:
// broadcasting of every rank 0-6 with size-1 dimensions on either side, empty tensors, NaN/Inf,
// bool outputs of the comparisons, gradients, int32 fallback and argument errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf } from '../../src/index.js';
import type { NativeBackend } from '../../src/backend/native_backend.js';
import { assertParity, onBothBackends, randInt, randValues, rng } from '../helpers/parity.js';

type Binary = (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

const ARITH: [string, Binary][] = [
  ['Add', tf.add],
  ['Sub', tf.sub],
  ['Multiply', tf.mul],
  ['RealDiv', tf.div],
  ['Maximum', tf.maximum],
  ['Minimum', tf.minimum],
  ['SquaredDifference', tf.squaredDifference],
  ['Pow', tf.pow],
  ['Prelu', (a, b) => tf.prelu(a, b)],
];
const COMPARE: [string, Binary][] = [
  ['Greater', tf.greater],
  ['GreaterEqual', tf.greaterEqual],
  ['Less', tf.less],
  ['LessEqual', tf.lessEqual],
  ['Equal', tf.equal],
  ['NotEqual', tf.notEqual],
];

/** A broadcast pair: an output shape of rank 0-6 and two operand shapes that broadcast to it. */
function shapePair(r: () => number, rank: number): [number[], number[]] {
  const out = Array.from({ length: rank }, () => randInt(r, 1, 4));
  const operand = () => {
    const k = randInt(r, 0, rank); // operand rank <= output rank
    return out.slice(rank - k).map((d) => (r() < 0.35 ? 1 : d));
  };
  return [operand(), operand()];
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Values in [-1, 1), rounded to 1/8 so that comparisons see ties, with some NaN and +-Inf. */
function specialValues(r: () => number, n: number): Float32Array {
  const v = randValues(r, n).map((x) => Math.round(x * 8) / 8);
  for (let i = 0; i < n; i++) {
    const u = r();
    if (u < 0.05) v[i] = NaN;
    else if (u < 0.08) v[i] = Infinity;
    else if (u < 0.11) v[i] = -Infinity;
  }
  return v;
}

test('binary ops match tfjs cpu under broadcasting of every rank 0-6, NaN and Inf included', () => {
  const r = rng(11);
  for (const [name, fn] of [...ARITH, ...COMPARE]) {
    for (let rank = 0; rank <= 6; rank++) {
      for (let c = 0; c < 4; c++) {
        const [sa, sb] = shapePair(r, rank);
        const res = onBothBackends(
          [
            { values: specialValues(r, size(sa)), shape: sa },
            { values: specialValues(r, size(sb)), shape: sb },
          ],
          (a, b) => fn(a, b),
        );
        assertParity(res, 1e-6, `${name} ${JSON.stringify(sa)} ${JSON.stringify(sb)}`);
      }
    }
  }
});

test('binary ops on same shapes, scalars and the dcgan shapes', () => {
  const r = rng(12);
  const pairs: [number[], number[]][] = [
    [
      [8, 14, 14, 64],
      [1, 1, 1, 64],
    ], // above the threading threshold
    [
      [4, 4, 64, 128],
      [4, 4, 64, 128],
    ],
    [[4, 4, 1, 64], []],
    [[], [64, 1]],
    [[1], [7, 5]],
    [
      [300, 257],
      [300, 257],
    ],
    [
      [3, 1, 5],
      [1, 4, 1],
    ],
    [[70000], [1]],
  ];
  for (const [name, fn] of [...ARITH, ...COMPARE]) {
    for (const [sa, sb] of pairs) {
      const res = onBothBackends(
        [
          { values: randValues(r, size(sa)), shape: sa },
          { values: randValues(r, size(sb)), shape: sb },
        ],
        (a, b) => fn(a, b),
      );
      assertParity(res, 1e-6, `${name} ${JSON.stringify(sa)} ${JSON.stringify(sb)}`);
    }
  }
});

test('binary ops on empty tensors give the same shapes as cpu', () => {
  const pairs: [number[], number[]][] = [
    [[0], [0]],
    [[0], []],
    [
      [2, 0, 3],
      [1, 1, 3],
    ],
    [
      [1, 0],
      [5, 1],
    ],
  ];
  for (const [name, fn] of [...ARITH, ...COMPARE]) {
    for (const [sa, sb] of pairs) {
      const res = onBothBackends(
        [
          { values: new Float32Array(size(sa)).fill(0.5), shape: sa },
          { values: new Float32Array(size(sb)).fill(2), shape: sb },
        ],
        (a, b) => fn(a, b),
      );
      assertParity(res, 0, `${name} ${JSON.stringify(sa)} ${JSON.stringify(sb)}`);
    }
  }
});

test('comparisons return bool tensors, arithmetic float32', () => {
  const a = tf.tensor([1, 2, NaN, 4], [2, 2]);
  const b = tf.tensor([2]);
  for (const [name, fn] of COMPARE) {
    const y = fn(a, b);
    assert.equal(y.dtype, 'bool', name);
    assert.ok(tf.backend().readSync(y.dataId) instanceof Uint8Array, `${name} stores a Uint8Array`);
  }
  for (const [name, fn] of ARITH) assert.equal(fn(a, b).dtype, 'float32', name);
  assert.deepEqual(Array.from(tf.greater(a, b).dataSync()), [0, 0, 0, 1]);
  assert.deepEqual(Array.from(tf.notEqual(a, tf.tensor([NaN])).dataSync()), [1, 1, 1, 1]);
});

test('Pow follows JavaScript special cases (1 ** NaN, (-1) ** Inf, NaN ** 0)', () => {
  const res = onBothBackends(
    [
      { values: [1, -1, 1, NaN, -8, 0, 0, 2, -2, -0.5], shape: [10] },
      { values: [NaN, Infinity, -Infinity, 0, 1 / 3, -1, 0, 0.5, 3, -Infinity], shape: [10] },
    ],
    (a, b) => tf.pow(a, b),
  );
  assertParity(res, 1e-6, 'pow special cases');
});

test('binary op gradients through tf.grad match cpu under broadcasting', () => {
  const r = rng(13);
  // tfjs's own Maximum/Minimum/SquaredDifference gradients do not reduce over broadcast dimensions: same shapes there.
  const sameShapeOnly = new Set(['Maximum', 'Minimum', 'SquaredDifference']);
  for (const [name, fn] of ARITH) {
    for (let c = 0; c < 6; c++) {
      let [sa, sb] = shapePair(r, randInt(r, 0, 4));
      if (sameShapeOnly.has(name)) sb = sa;
      // Prelu's gradient broadcasts alpha into x, never x into alpha.
      if (name === 'Prelu') sa = tf.backend_util.assertAndGetBroadcastShape(sa, sb);
      // Positive operands keep Pow's log(a) and RealDiv's 1/b finite.
      const av = randValues(r, size(sa)).map((x) => x + 1.5);
      const bv = randValues(r, size(sb)).map((x) => x + 1.5);
      const res = onBothBackends(
        [
          { values: av, shape: sa },
          { values: bv, shape: sb },
        ],
        (a, b) => {
          const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(fn(x, y), fn(x, y))))([a, b]);
          return [g[0]!, g[1]!];
        },
      );
      assertParity(res, 1e-4, `grad ${name} ${JSON.stringify(sa)} ${JSON.stringify(sb)}`);
    }
  }
});

test('int32 operands fall back to the cpu kernel with cpu dtypes', () => {
  const res = onBothBackends(
    [
      { values: [1, 2, 3, 4], shape: [2, 2], dtype: 'int32' },
      { values: [3], shape: [1], dtype: 'int32' },
    ],
    (a, b) => [tf.add(a, b), tf.mul(a, b), tf.greater(a, b), tf.maximum(a, b)],
  );
  assertParity(res, 0, 'int32');
  const y = tf.add(tf.tensor([1, 2], [2], 'int32'), tf.tensor([3, 4], [2], 'int32'));
  assert.equal(y.dtype, 'int32');
});

test('every binary op runs its native kernel', () => {
  for (const [name] of [...ARITH, ...COMPARE]) {
    const k = tf.getKernel(name, 'native');
    assert.ok(k, `${name} registered`);
    assert.notEqual(k!.kernelFunc, tf.getKernel(name, 'cpu')!.kernelFunc, `${name} is native`);
  }
});

test('native binary kernels reject bad arguments with errors naming the op and shapes', () => {
  const backend = tf.findBackend('native') as NativeBackend;
  const f = (n: number) => new Float32Array(n);
  assert.throws(() => backend.run('Add', f(3), [3], f(2), [2], f(3)), /Add.*\[3\].*\[2\].*do not broadcast/);
  assert.throws(() => backend.run('Sub', f(6), [2, 3], f(3), [3], f(5)), /Sub: out has 5 elements.*\[2,3\]/);
  assert.throws(
    () => backend.run('Multiply', f(5), [2, 3], f(3), [3], f(6)),
    /Multiply: 'a' has 5 elements but shape \[2,3\]/,
  );
  assert.throws(() => backend.run('RealDiv', f(3), f(2), f(3)), /RealDiv: a has 3 elements, b 2/);
  assert.throws(() => backend.run('Greater', f(3), f(3), f(3)), /Greater: argument 'out' must be a Uint8Array/);
  assert.throws(() => backend.run('Add', [1, 2], f(2), f(2)), /Add: argument 'a' must be a Float32Array/);
  assert.throws(() => backend.run('Pow', f(2), [-2], f(2), [2], f(2)), /Pow: 'aShape' has an invalid dimension/);
  assert.throws(() => backend.run('Maximum', f(1)), /Maximum: expects/);
});
