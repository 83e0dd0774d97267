// Each adversarial loss and penalty on inputs whose value can be computed by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  bceWithLogits,
  classCrossEntropy,
  discriminatorLoss,
  generatorLoss,
  gradientPenalty,
  r1Penalty,
  tf,
} from '../../src/index.js';

const v = (t: tf.Tensor) => t.dataSync()[0];
const close = (a: number, b: number, what: string, tol = 1e-5) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);
const sp = (x: number) => Math.log1p(Math.exp(x));

test('minimax / non-saturating losses match -log sigmoid by hand', () => {
  const r = tf.tensor2d([[2], [0]]);
  const f = tf.tensor2d([[-1], [1]]);
  // D: mean(softplus(-r)) + mean(softplus(f))
  const d = (sp(-2) + sp(0)) / 2 + (sp(-1) + sp(1)) / 2;
  close(v(discriminatorLoss('minimax', r, f)), d, 'minimax D');
  close(v(discriminatorLoss('nonsaturating', r, f)), d, 'non-saturating D');
  // G minimax: mean(log(1 - sigmoid(f))) = -mean(softplus(f)); non-saturating: mean(softplus(-f))
  close(v(generatorLoss('minimax', f)), -(sp(-1) + sp(1)) / 2, 'minimax G');
  close(v(generatorLoss('nonsaturating', f)), (sp(1) + sp(-1)) / 2, 'non-saturating G');
  // At logits 0 everything is log 2.
  close(v(discriminatorLoss('minimax', tf.zeros([3, 1]), tf.zeros([3, 1]))), 2 * Math.LN2, 'D at 0');
  close(v(generatorLoss('nonsaturating', tf.zeros([3, 1]))), Math.LN2, 'G at 0');
});

test('one-sided label smoothing lowers only the real target', () => {
  const r = tf.tensor2d([[2]]);
  const f = tf.tensor2d([[-1]]);
  const expected = 0.9 * sp(-2) + 0.1 * sp(2) + sp(-1);
  close(v(discriminatorLoss('nonsaturating', r, f, { realTarget: 0.9 })), expected, 'smoothed D');
  close(v(bceWithLogits(tf.tensor1d([2]), 0.9)), 0.9 * sp(-2) + 0.1 * sp(2), 'bce');
  assert.throws(() => discriminatorLoss('hinge', r, f, { realTarget: 0.9 }), /label smoothing does not apply/);
});

test('hinge, Wasserstein and least-squares losses', () => {
  const r = tf.tensor1d([0.5, 2]);
  const f = tf.tensor1d([0.5, -3]);
  // hinge D: mean(relu(1 - r)) + mean(relu(1 + f)) = (0.5 + 0)/2 + (1.5 + 0)/2 = 1
  close(v(discriminatorLoss('hinge', r, f)), 1, 'hinge D');
  close(v(generatorLoss('hinge', f)), 1.25, 'hinge G');
  // wgan D: mean(f) - mean(r) = -1.25 - 1.25
  close(v(discriminatorLoss('wgan', r, f)), -2.5, 'wgan D');
  close(v(generatorLoss('wgan', f)), 1.25, 'wgan G');
  // lsgan D: 0.5*(mean((r-1)^2) + mean(f^2)) = 0.5*((0.25+1)/2 + (0.25+9)/2)
  close(v(discriminatorLoss('lsgan', r, f)), 0.5 * (0.625 + 4.625), 'lsgan D');
  // lsgan G: 0.5*mean((f-1)^2) = 0.5*(0.25+16)/2
  close(v(generatorLoss('lsgan', f)), 4.0625, 'lsgan G');
});

test('WGAN-GP penalty: a linear critic with |w| = 2 has penalty (2-1)^2 = 1', () => {
  const w = tf.tensor2d([[1.2], [1.6]]); // |w| = 2
  const critic = (x: tf.Tensor) => tf.matMul(x as tf.Tensor2D, w);
  const real = tf.tensor2d([
    [0, 1],
    [3, -2],
    [1, 1],
  ]);
  const fake = tf.tensor2d([
    [5, 5],
    [0, 0],
    [-1, 2],
  ]);
  close(v(gradientPenalty(critic, real, fake, Float32Array.from([0.1, 0.5, 0.9]))), 1, 'gp', 1e-4);
  // A critic with |w| = 1 satisfies the constraint: penalty 0.
  const unit = (x: tf.Tensor) => tf.matMul(x as tf.Tensor2D, tf.tensor2d([[0.6], [0.8]]));
  close(v(gradientPenalty(unit, real, fake, Float32Array.from([0.3, 0.3, 0.3]))), 0, 'gp unit', 1e-4);
});

test('R1 penalty: (gamma/2) E|grad D|^2 by hand for linear and quadratic critics', () => {
  const real = tf.tensor2d([
    [1, 2],
    [0, -1],
  ]);
  const lin = (x: tf.Tensor) => tf.matMul(x as tf.Tensor2D, tf.tensor2d([[1.2], [1.6]]));
  close(v(r1Penalty(lin, real, 1)), 0.5 * 4, 'r1 linear');
  // D(x) = sum(x^2): grad 2x, |2x|^2 = 4|x|^2: samples 4*5 = 20 and 4*1 = 4, mean 12, times gamma/2 = 5
  const quad = (x: tf.Tensor) => tf.sum(tf.square(x), 1, true);
  close(v(r1Penalty(quad, real, 10)), 5 * 12, 'r1 quadratic');
});

test('R1 and WGAN-GP are differentiable with respect to the critic weights (second order)', () => {
  const w = tf.variable(tf.tensor2d([[0.5], [-1]]));
  const dense = (x: tf.Tensor) => tf.leakyRelu(tf.matMul(x as tf.Tensor2D, w), 0.2);
  const real = tf.tensor2d([
    [1, 2],
    [3, 1],
  ]);
  // R1 = 0.5 * mean(|grad|^2); for positive pre-activations grad = w: d/dw (0.5*|w|^2) = w on those samples.
  const { grads } = tf.variableGrads(() => r1Penalty(dense, real, 1), [w]);
  const g = grads[w.name].dataSync();
  assert.ok(g.every(Number.isFinite), 'finite');
  assert.ok(Math.abs(g[0]) > 0, 'nonzero gradient through the penalty');
});

test('ACGAN class cross-entropy: uniform logits give ln K', () => {
  close(v(classCrossEntropy(tf.zeros([4, 10]) as tf.Tensor2D, tf.tensor1d([0, 3, 5, 9], 'int32'))), Math.log(10), 'ce');
  // Confident and right: ~0
  const logits = tf.tensor2d([
    [20, 0],
    [0, 20],
  ]);
  close(v(classCrossEntropy(logits, tf.tensor1d([0, 1], 'int32'))), 0, 'ce right', 1e-6);
});

test('top-k training: G loss uses only the k fakes D scores highest, and only they get gradient', async () => {
  const { topKRows } = await import('../../src/models/adversarial_base.js');
  const logits = tf.tensor2d([[0.5], [-2], [3], [1], [-0.1]]);
  assert.deepEqual(Array.from(topKRows(logits, 2).dataSync()), [3, 1]);
  assert.deepEqual(Array.from(topKRows(logits, 5).dataSync()), [3, 1, 0.5, Math.fround(-0.1), -2]);
  const g = tf
    .grad((x: tf.Tensor) => generatorLoss('nonsaturating', topKRows(x, 3)))(logits)
    .dataSync();
  assert.deepEqual(
    Array.from(g).map((x) => x !== 0),
    [true, false, true, true, false],
    'zero gradient for the dropped fakes',
  );
  // d/dx of mean(softplus(-x)) over 3 samples is -sigmoid(-x) / 3
  close(g[2]!, -1 / (1 + Math.exp(3)) / 3, 'gradient of a kept fake', 1e-6);
});

test('class cross-entropy: the fused host path matches the composed reference in value and gradient', async () => {
  const { classCrossEntropyReference } = await import('../../src/losses/adversarial.js');
  const logits = tf.tensor2d([
    [2, -1, 0.5, 30],
    [0, 0, 0, 0],
    [-5, 4, 1, 1],
    [1, 2, 3, -40],
    [0.1, 0.2, -0.3, 9],
  ]);
  const labels = tf.tensor1d([3, 1, 0, 2, 4 % 4], 'int32');
  const w = tf.tensor2d([
    [1, 2, 3, 4],
    [5, 6, 7, 8],
    [-1, 0, 1, 2],
    [3, 3, 3, 3],
    [0.5, 1, 1.5, 2],
  ]);
  const a = v(classCrossEntropy(logits, labels));
  const b = v(classCrossEntropyReference(logits, labels));
  close(a, b, 'value', 1e-6);
  // through a product, so the upstream gradient is not 1
  const ga = tf
    .grad((x: tf.Tensor) => tf.mul(classCrossEntropy(tf.mul(x, w) as tf.Tensor2D, labels), 3))(logits)
    .dataSync();
  const gb = tf
    .grad((x: tf.Tensor) => tf.mul(classCrossEntropyReference(tf.mul(x, w) as tf.Tensor2D, labels), 3))(logits)
    .dataSync();
  for (let i = 0; i < ga.length; i++) close(ga[i]!, gb[i]!, `grad ${i}`, 1e-5);
  assert.throws(() => classCrossEntropy(logits, tf.tensor1d([0, 1, 2, 3, 4], 'int32')), /label 4 is out of range 0..3/);
});
