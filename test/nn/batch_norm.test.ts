// The fused training path of src/nn/batch_norm.ts (native BatchNormTrain / BatchNormTrainGrad and
// the in-place moving statistics) against tfjs-layers' stock BatchNormalization on the same weights:
// outputs, gradients of x, gamma and beta, and the moving mean and variance after the call.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf, tfl } from '../../src/index.js';
import { batchNormalization } from '../../src/nn/batch_norm.js';
import { NativeBackend } from '../../src/backend/native_backend.js';
import { randValues, rng } from '../helpers/parity.js';

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

function maxRelErr(a: Float32Array | number[], b: Float32Array | number[]): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return worst;
}

/** One training-mode call of a BN layer: output, grads of (x, gamma, beta) for a loss sum(y * w), moving stats after. */
function runLayer(layer: tfl.layers.Layer, x: tf.Tensor, w: tf.Tensor) {
  const vars = layer.trainableWeights.map((v) => v.read() as tf.Variable);
  const { value, grads } = tf.variableGrads(() => {
    const y = layer.apply(x, { training: true }) as tf.Tensor;
    return tf.sum(tf.mul(y, w)) as tf.Scalar;
  }, vars);
  const y = layer.apply(x, { training: false }) as tf.Tensor; // inference with the updated moving statistics
  const dx = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(layer.apply(xi, { training: true }) as tf.Tensor, w)))(x);
  const out = {
    loss: value.dataSync()[0]!,
    grads: vars.map((v) => Float32Array.from(grads[v.name]!.dataSync())),
    dx: Float32Array.from(dx.dataSync()),
    inference: Float32Array.from(y.dataSync()),
    // after two training calls (variableGrads and grad): the moving statistics moved twice
    moving: layer.weights.slice(2).map((v) => Float32Array.from(v.read().dataSync())),
  };
  tf.dispose([value, y, dx, ...Object.values(grads)]);
  return out;
}

test('fused BatchNorm training matches the stock tfjs-layers call (values, gradients, moving statistics)', () => {
  assert.ok(tf.backend() instanceof NativeBackend, 'runs on the native backend');
  const r = rng(7);
  const cases: { shape: number[]; momentum: number; epsilon: number }[] = [
    { shape: [16, 14, 14, 64], momentum: 0.9, epsilon: 1e-3 }, // the dcgan28 generator's BN
    { shape: [16, 7, 7, 96], momentum: 0.9, epsilon: 1e-5 }, // the main job's discriminator BN
    { shape: [8, 128], momentum: 0.99, epsilon: 1e-3 }, // after a dense layer
    { shape: [3, 2, 5], momentum: 0.5, epsilon: 1e-3 },
  ];
  for (const c of cases) {
    const ch = c.shape[c.shape.length - 1]!;
    const fused = batchNormalization({ momentum: c.momentum, epsilon: c.epsilon });
    const stock = batchNormalization({ momentum: c.momentum, epsilon: c.epsilon }, { fused: false });
    fused.build(c.shape);
    stock.build(c.shape);
    // Same non-trivial weights in both: gamma, beta, moving mean, moving variance.
    const weights = [
      randValues(r, ch).map((v) => 1 + 0.5 * v),
      randValues(r, ch),
      randValues(r, ch),
      randValues(r, ch).map((v) => 1 + Math.abs(v)),
    ];
    for (const l of [fused, stock]) l.setWeights(weights.map((w) => tf.tensor1d(w)));
    const x = tf.tensor(
      randValues(r, size(c.shape)).map((v, i) => 3 * v + (i % ch) * 0.1),
      c.shape,
    );
    const w = tf.tensor(randValues(r, size(c.shape)), c.shape);
    const a = runLayer(fused, x, w);
    const b = runLayer(stock, x, w);
    const tag = JSON.stringify(c);
    assert.ok(Math.abs(a.loss - b.loss) <= 1e-4 * Math.max(1, Math.abs(b.loss)), `${tag} loss ${a.loss} vs ${b.loss}`);
    assert.ok(maxRelErr(a.dx, b.dx) < 1e-4, `${tag} dx: ${maxRelErr(a.dx, b.dx)}`);
    a.grads.forEach((g, i) => {
      assert.ok(maxRelErr(g, b.grads[i]!) < 1e-4, `${tag} grad ${i}: ${maxRelErr(g, b.grads[i]!)}`);
    });
    a.moving.forEach((m, i) => {
      assert.ok(maxRelErr(m, b.moving[i]!) < 1e-5, `${tag} moving ${i}: ${maxRelErr(m, b.moving[i]!)}`);
    });
    assert.ok(maxRelErr(a.inference, b.inference) < 1e-4, `${tag} inference after the update`);
    // The moving statistics did move (the comparison above is not between two untouched copies).
    assert.ok(maxRelErr(a.moving[0]!, Float32Array.from(weights[2]!)) > 1e-4, `${tag} moving mean moved`);
    tf.dispose([x, w]);
  }
});

test('the fused path replaces the composed kernels (one forward, one backward kernel)', async () => {
  const x = tf.randomNormal([8, 4, 4, 16], 0, 1, 'float32', 5);
  const kernelsOf = async (l: tfl.layers.Layer) => {
    l.build(x.shape);
    const vars = l.trainableWeights.map((v) => v.read() as tf.Variable);
    const info = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(
        () => tf.sum(l.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
        vars,
      );
      tf.dispose([value, ...Object.values(grads)]);
    });
    return info.kernels.map((k) => k.name);
  };
  const fused = await kernelsOf(batchNormalization());
  const stock = await kernelsOf(batchNormalization({}, { fused: false }));
  assert.ok(stock.includes('FusedBatchNorm') && stock.includes('Mean'), `stock: ${stock.join(',')}`);
  assert.ok(!fused.includes('FusedBatchNorm') && !fused.includes('Mean'), `fused: ${fused.join(',')}`);
  assert.ok(fused.length * 3 < stock.length, `${fused.length} kernels fused vs ${stock.length} stock`);
  // Inside a model, where tfjs-layers hands the layer its input as a one-element list.
  const input = tfl.input({ shape: [4, 4, 16] });
  const model = tfl.model({ inputs: input, outputs: batchNormalization().apply(input) as tfl.SymbolicTensor });
  const inModel = await kernelsOf(model as unknown as tfl.layers.Layer);
  assert.ok(!inModel.includes('FusedBatchNorm') && !inModel.includes('Mean'), `in a model: ${inModel.join(',')}`);
  x.dispose();
});

test('fused BatchNorm keeps the stock layer class, config and inference path', () => {
  const fused = batchNormalization({ momentum: 0.8 });
  const stock = tfl.layers.batchNormalization({ momentum: 0.8 });
  assert.equal(fused.getClassName(), 'BatchNormalization');
  const { name: _a, ...fc } = fused.getConfig();
  const { name: _b, ...sc } = stock.getConfig();
  assert.deepEqual(fc, sc);
  const x = tf.randomNormal([4, 3, 3, 2], 0, 1, 'float32', 3);
  for (const l of [fused, stock]) l.build(x.shape);
  stock.setWeights(fused.getWeights());
  const a = (fused.apply(x, { training: false }) as tf.Tensor).dataSync();
  const b = (stock.apply(x, { training: false }) as tf.Tensor).dataSync();
  assert.deepEqual(Array.from(a), Array.from(b), 'inference is the stock call');
  x.dispose();
});

test('fused BatchNorm on the cpu backend is the stock call', async () => {
  const prev = tf.getBackend();
  await tf.setBackend('cpu');
  try {
    const x = tf.randomNormal([4, 5], 0, 2, 'float32', 1);
    const w = tf.randomNormal([4, 5], 0, 1, 'float32', 2);
    const fused = batchNormalization();
    const stock = batchNormalization({}, { fused: false });
    for (const l of [fused, stock]) l.build(x.shape);
    const a = runLayer(fused, x, w);
    const b = runLayer(stock, x, w);
    assert.deepEqual(Array.from(a.dx), Array.from(b.dx), 'bit-equal: same kernels');
    tf.dispose([x, w]);
  } finally {
    await tf.setBackend(prev);
  }
});

test('native BatchNormTrain rejects mismatched arguments with readable errors', () => {
  const backend = tf.backend() as NativeBackend;
  const f = (n: number) => new Float32Array(n);
  assert.throws(
    () => backend.run('BatchNormTrain', f(10), f(3), f(3), 1e-3, f(10), f(3), f(3)),
    /BatchNormTrain: x has 10 elements, not a multiple of the 3 channels/,
  );
  assert.throws(
    () => backend.run('BatchNormTrain', f(12), f(3), f(2), 1e-3, f(12), f(3), f(3)),
    /beta has 2 elements, expected 3/,
  );
  assert.throws(
    () => backend.run('BatchNormTrainGrad', f(12), f(11), f(3), f(3), f(3), 1e-3, f(12), f(3), f(3)),
    /dy has 11 elements, expected 12/,
  );
  assert.throws(() => backend.run('Lerp', f(4), f(5), 0.5), /Lerp: dst has 4 elements but src has 5/);
});
