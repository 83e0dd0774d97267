import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf } from '../../src/index.js';
import { FusedAdamOptimizer } from '../../src/optim/fused_adam.js';
import { assertClose, randValues, rng } from '../helpers/parity.js';

// Trains the same quadratic problem with tf.train.adam and FusedAdam for a few steps and compares weights,
// moments (getWeights) and the loss trajectory.
function run(make: () => tf.Optimizer, seed: number) {
  const r = rng(seed);
  const target = tf.tensor(randValues(r, 37), [37]);
  // Made inside tidy so that each variable owns its storage alone: the fused in-place path from step 1.
  const w1 = tf.tidy(() => tf.variable(tf.tensor(randValues(r, 37 * 3), [37, 3]), true, `w1_${seed}_${Math.random()}`));
  const w2 = tf.tidy(() => tf.variable(tf.tensor(randValues(r, 3), [3]), true, `w2_${seed}_${Math.random()}`));
  const opt = make();
  const losses: number[] = [];
  for (let step = 0; step < 25; step++) {
    const loss = opt.minimize(() => tf.sum(tf.square(tf.sub(tf.sum(tf.mul(w1, w2), 1), target))), true, [
      w1,
      w2,
    ]) as tf.Scalar;
    losses.push(loss.dataSync()[0]!);
    loss.dispose();
  }
  return { w1: w1.dataSync().slice(), w2: w2.dataSync().slice(), losses, opt, vars: [w1, w2, target] };
}

test('FusedAdam matches tf.train.adam step for step on the native backend', async () => {
  assert.equal(tf.getBackend(), 'native');
  const ref = run(() => tf.train.adam(0.05, 0.5, 0.999), 3);
  const fused = run(() => new FusedAdamOptimizer(0.05, 0.5, 0.999), 3);
  assertClose(fused.w1, ref.w1, 1e-5, 'w1');
  assertClose(fused.w2, ref.w2, 1e-5, 'w2');
  assertClose(fused.losses, ref.losses, 1e-5, 'losses');
  assert.ok(ref.losses[24]! < ref.losses[0]!, 'the problem is actually being optimized');
  const rw = await ref.opt.getWeights();
  const fw = await fused.opt.getWeights();
  assert.equal(fw.length, rw.length);
  for (let i = 0; i < rw.length; i++)
    assertClose(fw[i]!.tensor.dataSync(), rw[i]!.tensor.dataSync(), 1e-5, `optimizer weight ${i}`);
  for (const x of [...ref.vars, ...fused.vars]) x.dispose();
  ref.opt.dispose();
  fused.opt.dispose();
});

test('FusedAdam updates in place and leaks no tensors', () => {
  const w = tf.variable(tf.ones([1000]), true, `w_leak_${Math.random()}`);
  const opt = new FusedAdamOptimizer(0.01, 0.9, 0.999);
  const step = () => opt.minimize(() => tf.sum(tf.square(w)), false, [w]);
  step();
  const before = tf.memory().numTensors;
  const storage = (tf.backend() as unknown as { data: { get(id: unknown): { values: unknown } } }).data.get(
    w.dataId,
  ).values;
  for (let i = 0; i < 10; i++) step();
  assert.equal(tf.memory().numTensors, before);
  assert.equal(
    (tf.backend() as unknown as { data: { get(id: unknown): { values: unknown } } }).data.get(w.dataId).values,
    storage,
    'weight storage reused',
  );
  assert.ok(w.dataSync()[0]! < 1, 'weights moved');
  w.dispose();
  opt.dispose();
});

test('FusedAdam falls back to the reference update when the weight storage is shared', () => {
  const base = tf.ones([10]);
  const w = tf.variable(base, true, `w_shared_${Math.random()}`); // shares base's storage
  const opt = new FusedAdamOptimizer(0.1);
  opt.minimize(() => tf.sum(tf.square(w)), false, [w]);
  assert.deepEqual(Array.from(base.dataSync()), new Array(10).fill(1), 'the other tensor is untouched');
  assert.ok(w.dataSync()[0]! < 1);
  base.dispose();
  w.dispose();
  opt.dispose();
});
