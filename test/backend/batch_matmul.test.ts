// Parity of the native BatchMatMul kernel with tfjs cpu: transposes, odd sizes, sizes that cross
// the GEMM's blocking, and broadcasting of batch dims; plus its argument checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf } from '../../src/index.js';
import type { NativeBackend } from '../../src/backend/native_backend.js';
import { assertParity, onBothBackends, randInt, randValues, rng } from '../helpers/parity.js';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** Shapes of a and b for op(a) [..batchA, m, k] and op(b) [..batchB, k, n]. */
function shapes(
  batchA: number[],
  batchB: number[],
  m: number,
  n: number,
  k: number,
  ta: boolean,
  tb: boolean,
): [number[], number[]] {
  return [
    [...batchA, ...(ta ? [k, m] : [m, k])],
    [...batchB, ...(tb ? [n, k] : [k, n])],
  ];
}

function check(
  batchA: number[],
  batchB: number[],
  m: number,
  n: number,
  k: number,
  ta: boolean,
  tb: boolean,
  r: () => number,
): void {
  const [as, bs] = shapes(batchA, batchB, m, n, k, ta, tb);
  const res = onBothBackends(
    [
      { values: randValues(r, size(as)), shape: as },
      { values: randValues(r, size(bs)), shape: bs },
    ],
    (a, b) => tf.matMul(a!, b!, ta, tb),
  );
  assertParity(res, 1e-4, `matMul a ${JSON.stringify(as)} b ${JSON.stringify(bs)} ta=${ta} tb=${tb}`);
}

test('BatchMatMul matches tfjs cpu on random rank-2 and rank-3 shapes with every transpose', () => {
  const r = rng(51);
  for (let i = 0; i < 40; i++) {
    const batch = i < 20 ? [] : [randInt(r, 1, 4)];
    check(batch, batch, randInt(r, 1, 40), randInt(r, 1, 40), randInt(r, 1, 40), i % 2 === 1, i % 4 >= 2, r);
  }
});

test('BatchMatMul matches tfjs cpu across the GEMM blocks and each thread split', () => {
  const r = rng(52);
  check([], [], 130, 70, 300, false, false, r); // rows split, two depth blocks, a partial row block
  check([], [], 4, 1500, 50, true, false, r); // columns split (more than one column block)
  check([], [], 16, 16, 5000, false, true, r); // depth split
  check([], [], 64, 1, 6272, false, false, r); // the discriminator's dense layer
  check([], [], 7, 9, 0, false, false, r); // empty depth: zeros
});

test('BatchMatMul broadcasts batch dims', () => {
  const r = rng(53);
  check([1], [5], 6, 7, 8, false, false, r);
  check([5], [1], 6, 7, 8, true, true, r);
  check([3], [], 9, 5, 4, false, true, r);
  check([], [2, 3], 9, 5, 4, true, false, r);
  check([2, 3], [3], 4, 17, 5, false, false, r);
});

test('BatchMatMul broadcasts [2,1] against [1,3] batch dims correctly', () => {
  // tfjs cpu flattens batch dims (wrong for this case), so compare with explicit broadcasting on cpu.
  const r = rng(54);
  const a = tf.tensor(randValues(r, 2 * 1 * 4 * 5), [2, 1, 4, 5]);
  const b = tf.tensor(randValues(r, 1 * 3 * 5 * 6), [1, 3, 5, 6]);
  const got = tf.matMul(a, b).arraySync() as number[][][][];
  tf.setBackend('cpu');
  const want = tf.tidy(() =>
    tf.matMul(tf.broadcastTo(a, [2, 3, 4, 5]), tf.broadcastTo(b, [2, 3, 5, 6])).arraySync(),
  ) as number[][][][];
  tf.setBackend('native');
  assert.equal(got.length, 2);
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 3; j++) {
      for (let p = 0; p < 4; p++) {
        for (let q = 0; q < 6; q++)
          assert.ok(Math.abs(got[i]![j]![p]![q]! - want[i]![j]![p]![q]!) < 1e-5, `[${i},${j},${p},${q}]`);
      }
    }
  }
  tf.dispose([a, b]);
});

test('BatchMatMul gradients match tfjs cpu', () => {
  const r = rng(55);
  const res = onBothBackends(
    [
      { values: randValues(r, 3 * 13 * 9), shape: [3, 13, 9] },
      { values: randValues(r, 3 * 9 * 11), shape: [3, 9, 11] },
    ],
    (a, b) => tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, y))))([a!, b!]),
  );
  assertParity(res, 1e-4, 'matMul gradients');
});

test('BatchMatMul is the native kernel and rejects bad shapes with a readable error', () => {
  assert.notEqual(tf.getKernel('BatchMatMul', 'native')!.kernelFunc, tf.getKernel('BatchMatMul', 'cpu')!.kernelFunc);
  const backend = tf.findBackend('native') as NativeBackend;
  const a = new Float32Array(6);
  const b = new Float32Array(12);
  assert.throws(
    () => backend.run('BatchMatMul', a, b, new Float32Array(8), [2, 3], [4, 3], false, false),
    (e: Error) => {
      assert.match(e.message, /BatchMatMul: inner dimensions 3 and 4 differ/);
      assert.match(e.message, /a \[2,3\], b \[4,3\]/);
      return true;
    },
  );
  assert.throws(
    () => backend.run('BatchMatMul', a, b, new Float32Array(5), [2, 3], [3, 4], false, false),
    /BatchMatMul: 'out' has 5 elements, expected 8/,
  );
  assert.throws(
    () => backend.run('BatchMatMul', a, b, new Float32Array(8), [6], [3, 4], false, false),
    /BatchMatMul: both operands need rank >= 2/,
  );
  assert.throws(
    () =>
      backend.run(
        'BatchMatMul',
        new Float32Array(12),
        new Float32Array(36),
        new Float32Array(8),
        [2, 2, 3],
        [3, 3, 4],
        false,
        false,
      ),
    /batch dimensions do not broadcast/,
  );
  assert.throws(
    () => backend.run('BatchMatMul', a, b, new Float32Array(8), [2, 3], [3, 4], 'no', false),
    /transposeA' must be a boolean/,
  );
  // An empty output with a huge batch returns at once (no per-batch tables).
  backend.run(
    'BatchMatMul',
    new Float32Array(0),
    new Float32Array(10),
    new Float32Array(0),
    [1e9, 0, 5],
    [5, 2],
    false,
    false,
  );
});
