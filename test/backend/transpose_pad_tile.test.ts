// Parity of the native Transpose, PadV2 and Tile kernels with tfjs cpu: every permutation of
// ranks 0-5 (2-D, NHWC <-> NCHW and general paths), int32 transposes, padding with constants,
// tiling of every rank, empty tensors, gradients and argument errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf } from '../../src/index.js';
import type { NativeBackend } from '../../src/backend/native_backend.js';
import { assertParity, onBothBackends, randInt, randValues, rng } from '../helpers/parity.js';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) =>
    Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]),
  );
}

test('Transpose matches cpu for every permutation of ranks 0-5 (float32 and int32)', () => {
  const r = rng(61);
  for (let rank = 0; rank <= 5; rank++) {
    for (const perm of permutations(rank)) {
      const shape = Array.from({ length: rank }, () => (r() < 0.2 ? 1 : randInt(r, 2, 4)));
      const dtype = r() < 0.3 ? 'int32' : 'float32';
      const values = Array.from(randValues(r, size(shape)), (v) => (dtype === 'int32' ? Math.round(v * 100) : v));
      const res = onBothBackends([{ values, shape, dtype }], (x) => tf.transpose(x, perm));
      assertParity(res, 0, `transpose ${JSON.stringify(shape)} ${JSON.stringify(perm)} ${dtype}`);
    }
  }
});

test('Transpose on large 2-D, NHWC <-> NCHW and empty tensors', () => {
  const r = rng(62);
  const cases: [number[], number[]][] = [
    [
      [300, 257],
      [1, 0],
    ],
    [
      [16, 14, 14, 64],
      [0, 3, 1, 2],
    ], // NHWC -> NCHW
    [
      [16, 64, 14, 14],
      [0, 2, 3, 1],
    ], // NCHW -> NHWC
    [
      [4, 4, 64, 128],
      [3, 2, 0, 1],
    ],
    [
      [33, 1, 65],
      [2, 1, 0],
    ],
    [
      [0, 3],
      [1, 0],
    ],
    [
      [2, 0, 3],
      [2, 0, 1],
    ],
  ];
  for (const [shape, perm] of cases) {
    const res = onBothBackends([{ values: randValues(r, size(shape)), shape }], (x) => [
      tf.transpose(x, perm),
      tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.transpose(a, perm))))(x),
    ]);
    assertParity(res, 1e-6, `transpose ${JSON.stringify(shape)} ${JSON.stringify(perm)}`);
  }
});

test('PadV2 matches cpu for ranks 1-5 (tfjs rejects scalars), constants and empty tensors, gradient too', () => {
  const r = rng(63);
  for (let rank = 1; rank <= 5; rank++) {
    for (let c = 0; c < 4; c++) {
      const shape = Array.from({ length: rank }, () => randInt(r, c === 3 ? 0 : 1, 4));
      const pads = shape.map(() => [randInt(r, 0, 2), randInt(r, 0, 2)] as [number, number]);
      const value = [0, 1.5, -3, NaN][c]!;
      const res = onBothBackends([{ values: randValues(r, size(shape)), shape }], (x) => tf.pad(x, pads, value));
      assertParity(res, 0, `pad ${JSON.stringify(shape)} ${JSON.stringify(pads)} ${value}`);
    }
  }
  const shape = [2, 30, 30, 3];
  const pads: [number, number][] = [
    [0, 0],
    [2, 2],
    [1, 3],
    [0, 0],
  ];
  const res = onBothBackends([{ values: randValues(r, size(shape)), shape }], (x) => [
    tf.pad(x, pads, 0.5),
    tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.pad(a, pads))))(x),
  ]);
  assertParity(res, 1e-6, 'pad large + gradient');
});

test('Tile matches cpu for ranks 1-5 and empty tensors, gradient too', () => {
  const r = rng(64);
  for (let rank = 1; rank <= 5; rank++) {
    for (let c = 0; c < 4; c++) {
      const shape = Array.from({ length: rank }, () => randInt(r, 1, 3));
      const reps = shape.map(() => randInt(r, c === 3 ? 0 : 1, 3));
      const res = onBothBackends([{ values: randValues(r, size(shape)), shape }], (x) => tf.tile(x, reps));
      assertParity(res, 0, `tile ${JSON.stringify(shape)} ${JSON.stringify(reps)}`);
    }
  }
  const shape = [1, 1, 1, 64];
  const reps = [16, 14, 14, 1]; // the broadcastTo pattern of the dcgan step
  const res = onBothBackends([{ values: randValues(r, size(shape)), shape }], (x) => [
    tf.tile(x, reps),
    tf.grad((a: tf.Tensor) => tf.sum(tf.square(tf.tile(a, reps))))(x),
  ]);
  assertParity(res, 1e-5, 'tile large + gradient');
});

test('Transpose, PadV2 and Tile run natively and reject bad arguments', () => {
  for (const name of ['Transpose', 'PadV2', 'Tile']) {
    assert.notEqual(
      tf.getKernel(name, 'native')!.kernelFunc,
      tf.getKernel(name, 'cpu')!.kernelFunc,
      `${name} is native`,
    );
  }
  const backend = tf.findBackend('native') as NativeBackend;
  const f = (n: number) => new Float32Array(n);
  assert.throws(
    () => backend.run('Transpose', f(6), [2, 3], [0, 0], f(6)),
    /Transpose: perm is not a permutation.*\[2,3\]/,
  );
  assert.throws(
    () => backend.run('Transpose', f(6), [2, 3], [1, 0], new Int32Array(6)),
    /Transpose: x and out differ in element type/,
  );
  assert.throws(
    () => backend.run('Transpose', f(5), [2, 3], [1, 0], f(5)),
    /Transpose: x has 5 elements.*\[2,3\] needs 6/,
  );
  assert.throws(
    () => backend.run('PadV2', f(6), [2, 3], [1, 1], 0, f(6)),
    /PadV2: paddings has 2 numbers for shape \[2,3\]/,
  );
  assert.throws(
    () => backend.run('PadV2', f(6), [2, 3], [1, 1, 0, 0], 0, f(6)),
    /PadV2: out has 6 elements but padding \[2,3\].*\[4,3\]/,
  );
  assert.throws(
    () => backend.run('Tile', f(6), [2, 3], [2], f(12)),
    /Tile: reps \[2\] does not match the rank of \[2,3\]/,
  );
  assert.throws(
    () => backend.run('Tile', f(6), [2, 3], [2, 2], f(12)),
    /Tile: out has 12 elements but tiling \[2,3\] by \[2,2\] gives \[4,6\]/,
  );
});
