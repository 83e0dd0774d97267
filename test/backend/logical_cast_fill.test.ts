// Parity of the native LogicalNot/LogicalAnd/LogicalOr, Cast, Fill, ZerosLike and OnesLike kernels
// with tfjs cpu (values and dtypes), and of tf.where's gradient, which runs most of them.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf } from '../../src/index.js';
import type { NativeBackend } from '../../src/backend/native_backend.js';
import { assertParity, onBothBackends, randValues, rng } from '../helpers/parity.js';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
const bools = (r: () => number, n: number) => Array.from({ length: n }, () => (r() < 0.5 ? 1 : 0));

/** Runs fn on cpu and native and checks that dtypes and shapes agree too. */
function sameDtypes(fn: () => tf.Tensor[]): void {
  const on = (b: string) => {
    const prev = tf.getBackend();
    tf.setBackend(b);
    try {
      return tf.tidy(() => fn().map((t) => `${t.dtype}${JSON.stringify(t.shape)}`));
    } finally {
      tf.setBackend(prev);
    }
  };
  assert.deepEqual(on('native'), on('cpu'));
}

test('LogicalNot, LogicalAnd and LogicalOr match cpu (same shapes, a scalar operand, other broadcasts)', () => {
  const r = rng(71);
  for (const [sa, sb] of [
    [
      [64, 14, 14, 64],
      [64, 14, 14, 64],
    ], // threaded
    [[5], []],
    [[], [3, 2]],
    [
      [2, 1, 3],
      [1, 4, 3],
    ], // broadcast: cpu kernel
    [
      [0, 2],
      [0, 2],
    ],
  ] as [number[], number[]][]) {
    const res = onBothBackends(
      [
        { values: bools(r, size(sa)), shape: sa, dtype: 'bool' },
        { values: bools(r, size(sb)), shape: sb, dtype: 'bool' },
      ],
      (a, b) => [tf.logicalNot(a), tf.logicalAnd(a, b), tf.logicalOr(a, b)],
    );
    assertParity(res, 0, `logical ${JSON.stringify([sa, sb])}`);
  }
  sameDtypes(() => {
    const a = tf.tensor([1, 0, 1], [3], 'bool');
    return [tf.logicalNot(a), tf.logicalAnd(a, tf.scalar(1, 'bool')), tf.logicalOr(a, a)];
  });
});

test('Cast matches cpu: bool and int32 to float32, float32/int32 to bool (NaN is true), float32 to int32, the rest on cpu', () => {
  const r = rng(72);
  const n = 70000;
  const f = randValues(r, n).map((v, i) => (i % 97 === 0 ? 0 : i % 101 === 0 ? NaN : v));
  const res = onBothBackends(
    [
      { values: bools(r, n), shape: [n], dtype: 'bool' },
      { values: Array.from({ length: n }, (_, i) => i - 35000), shape: [n], dtype: 'int32' },
      { values: f, shape: [n] },
    ],
    (b, i, x) => [
      tf.cast(b, 'float32'),
      tf.cast(i, 'float32'),
      tf.cast(x, 'bool'),
      tf.cast(x.mul(1000), 'int32'),
      tf.cast(b, 'int32'),
      tf.cast(i, 'bool'),
      tf.cast(tf.cast(x, 'bool'), 'int32'),
    ],
  );
  assertParity(res, 0, 'cast');
  // float32 -> int32 as ToInt32: truncation, NaN and infinities to 0, wrapping modulo 2^32.
  const edge = onBothBackends(
    [{ values: [1e10, -1e10, Infinity, -Infinity, -0.5, 2.9, -2.9, 2147483648], shape: [8] }],
    (x) => tf.cast(x, 'int32'),
  );
  assertParity(edge, 0, 'cast float32 -> int32 edge values');
  // A cast to the same dtype shares the buffer (no copy), as on cpu.
  const backend = tf.findBackend('native') as NativeBackend;
  const same = tf.tensor([1, 2], [2]);
  const sameCast = tf.cast(same, 'float32');
  assert.equal(backend.data.get(sameCast.dataId).values, backend.data.get(same.dataId).values);
  tf.dispose([same, sameCast]);
  sameDtypes(() => {
    const b = tf.tensor([1, 0], [2], 'bool');
    const f = tf.tensor([1.5, 0], [2]);
    return [tf.cast(b, 'float32'), tf.cast(f, 'bool'), tf.cast(b, 'int32'), tf.cast(f, 'int32'), tf.cast(f, 'float32')];
  });
  // The float32 result of a cast from bool is a Float32Array, so float kernels on it run natively.
  const c = tf.cast(tf.tensor([1, 0, 1], [3], 'bool'), 'float32');
  assert.ok(backend.data.get(c.dataId).values instanceof Float32Array);
  c.dispose();
});

test('Fill, ZerosLike and OnesLike match cpu for float32, int32 and bool', () => {
  const res = onBothBackends([{ values: [1, 2, 3, 4, 5, 6], shape: [2, 3] }], (x) => [
    tf.fill([3, 70000], 0.25),
    tf.fill([2, 2], 7, 'int32'),
    tf.zerosLike(x),
    tf.onesLike(x),
    tf.zerosLike(tf.cast(x, 'int32')),
    tf.onesLike(tf.cast(x, 'bool')),
    tf.zerosLike(tf.cast(x, 'bool')),
    tf.ones([0, 3]),
  ]);
  assertParity(res, 0, 'fill/zerosLike/onesLike');
  sameDtypes(() => {
    const x = tf.tensor([1, 2], [2]);
    return [tf.zerosLike(tf.cast(x, 'bool')), tf.onesLike(tf.cast(x, 'int32')), tf.fill([2], 1)];
  });
});

test("tf.where's gradient (LogicalNot, Cast, ZerosLike, Multiply) matches cpu", () => {
  const r = rng(73);
  const shape = [8, 14, 14, 16];
  const res = onBothBackends([{ values: randValues(r, size(shape)), shape }], (x) => {
    const cond = tf.greater(x, 0.1);
    return tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.where(cond, tf.mul(a, 2), tf.mul(a, -0.5)))))(x);
  });
  assertParity(res, 1e-6, 'where gradient');
});

test('the new kernels run natively and reject bad arguments naming the op', () => {
  for (const name of ['LogicalNot', 'LogicalAnd', 'LogicalOr', 'Cast', 'Fill', 'ZerosLike', 'OnesLike']) {
    assert.notEqual(tf.getKernel(name, 'native')!.kernelFunc, tf.getKernel(name, 'cpu')!.kernelFunc, name);
  }
  const backend = tf.findBackend('native') as NativeBackend;
  assert.throws(
    () => backend.run('LogicalNot', new Uint8Array(3), new Uint8Array(2)),
    /LogicalNot: x has 3 elements, out has 2/,
  );
  assert.throws(
    () => backend.run('LogicalAnd', new Uint8Array(3), new Uint8Array(2), new Uint8Array(3)),
    /LogicalAnd: a, b and out must have one size/,
  );
  assert.throws(
    () => backend.run('Cast', new Float32Array(2), new Float32Array(2)),
    /Cast: casts Uint8Array or Int32Array/,
  );
  assert.throws(() => backend.run('Fill', new Float32Array(2), 'x'), /Fill: argument 'value' must be a number/);
});
