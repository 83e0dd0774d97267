// The layers the translation models need: reflection padding and instance normalization. Values
// against plain reference paths, gradients against central finite differences of a float64 copy
// of the same function (the gradient check), and the tfjs MirrorPad gradient bug that
// reflectionPad2d exists to avoid.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf, tfl } from '../../src/index.js';
import { InstanceNorm, instanceNorm, instanceNormReference } from '../../src/nn/instance_norm.js';
import { ReflectionPad2D, reflectionPad2d, reflectionPad2dReference } from '../../src/nn/reflection_pad.js';
import { maxAbs, numericGrad } from '../helpers/gradcheck.js';
import { randValues, rng } from '../helpers/parity.js';

/** Float64 reflection pad of [N, H, W, C]. */
function reflect64(x: Float64Array, [n, h, w, c]: number[], p: number): Float64Array {
  const ho = h + 2 * p;
  const wo = w + 2 * p;
  const out = new Float64Array(n * ho * wo * c);
  const m = (i: number, size: number) => {
    const j = i - p;
    return j < 0 ? -j : j >= size ? 2 * size - 2 - j : j;
  };
  for (let b = 0; b < n; b++)
    for (let i = 0; i < ho; i++)
      for (let j = 0; j < wo; j++)
        for (let k = 0; k < c; k++)
          out[((b * ho + i) * wo + j) * c + k] = x[((b * h + m(i, h)) * w + m(j, w)) * c + k]!;
  return out;
}

/** Float64 instance norm of [N, H, W, C] (eps 1e-5). */
function inorm64(x: Float64Array, [n, h, w, c]: number[]): Float64Array {
  const out = new Float64Array(x.length);
  for (let b = 0; b < n; b++)
    for (let k = 0; k < c; k++) {
      let s = 0;
      for (let i = 0; i < h * w; i++) s += x[(b * h * w + i) * c + k]!;
      const mean = s / (h * w);
      let v = 0;
      for (let i = 0; i < h * w; i++) v += (x[(b * h * w + i) * c + k]! - mean) ** 2;
      const inv = 1 / Math.sqrt(v / (h * w) + 1e-5);
      for (let i = 0; i < h * w; i++) out[(b * h * w + i) * c + k] = (x[(b * h * w + i) * c + k]! - mean) * inv;
    }
  return out;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

for (const [shape, p] of [
  [[2, 5, 4, 3], 1],
  [[1, 7, 6, 2], 3],
  [[1, 4, 9, 1], 2],
] as [number[], number][]) {
  test(`reflectionPad2d ${shape} p=${p}: values and gradient match the reference and finite differences`, () => {
    const r = rng(11 + p);
    const xv = randValues(
      r,
      shape.reduce((a, b) => a * b, 1),
    );
    const outShape = [shape[0]!, shape[1]! + 2 * p, shape[2]! + 2 * p, shape[3]!];
    const wv = randValues(
      r,
      outShape.reduce((a, b) => a * b, 1),
    );
    const x = tf.tensor4d(xv, shape as [number, number, number, number]);
    const w = tf.tensor(wv, outShape);
    const y = reflectionPad2d(x, p);
    assert.deepEqual(y.shape, outShape);
    assert.equal(maxAbs(y.dataSync(), reflect64(Float64Array.from(xv), shape, p)), 0, 'values');
    assert.equal(maxAbs(y.dataSync(), reflectionPad2dReference(x, p).dataSync()), 0, 'reference values');
    const g = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(reflectionPad2d(xi as tf.Tensor4D, p), w)))(x);
    const gRef = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(reflectionPad2dReference(xi as tf.Tensor4D, p), w)))(x);
    const gNum = numericGrad((x64) => dot(reflect64(x64, shape, p), wv), xv);
    assert.ok(maxAbs(g.dataSync(), gRef.dataSync()) < 1e-5, 'gradient vs reference path');
    assert.ok(maxAbs(g.dataSync(), gNum) < 1e-4, `gradient vs finite differences: ${maxAbs(g.dataSync(), gNum)}`);
  });
}

test("tfjs's own mirrorPad gradient drops the border's share (why reflectionPad2d has its own)", () => {
  const x = tf.tensor4d([1, 2, 3, 4], [1, 1, 4, 1]);
  const stock = tf.grad((xi: tf.Tensor) =>
    tf.sum(
      tf.mirrorPad(
        xi as tf.Tensor4D,
        [
          [0, 0],
          [0, 0],
          [2, 2],
          [0, 0],
        ],
        'reflect',
      ),
    ),
  )(x);
  const ours = tf.grad((xi: tf.Tensor) => {
    const y = reflectionPad2d(tf.tile(xi, [1, 3, 1, 1]) as tf.Tensor4D, 2); // H must exceed the padding
    return tf.sum(tf.slice(y, [0, 2, 0, 0], [-1, 1, -1, -1])); // the padded copy of one original row
  })(x);
  // [1 2 3 4] -> [3 2 1 2 3 4 3 2]: x0 and x3 appear once, x1 and x2 three times each.
  assert.deepEqual(Array.from(ours.dataSync()), [1, 3, 3, 1]);
  assert.notDeepEqual(Array.from(stock.dataSync()), [1, 3, 3, 1], 'if tfjs fixed its gradient, use tf.mirrorPad');
});

test('reflectionPad2d rejects padding that does not fit the image', () => {
  assert.throws(() => reflectionPad2d(tf.zeros([1, 3, 3, 1]), 3), /larger than 3x3/);
  assert.throws(() => reflectionPad2d(tf.zeros([1, 3, 3, 1]), 1.5), /whole number/);
});

test('instanceNorm: values and gradient match a float64 reference and finite differences', () => {
  const shape = [2, 4, 3, 3];
  const r = rng(5);
  const xv = randValues(r, 72).map((v, i) => v * (1 + (i % 3)) + (i % 3)); // per-channel scale and offset
  const wv = randValues(r, 72);
  const x = tf.tensor4d(xv, shape as [number, number, number, number]);
  const y = instanceNorm(x);
  assert.ok(maxAbs(y.dataSync(), inorm64(Float64Array.from(xv), shape)) < 1e-5, 'values');
  const g = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(instanceNorm(xi as tf.Tensor4D), tf.tensor(wv, shape))))(x);
  const gNum = numericGrad((x64) => dot(inorm64(x64, shape), wv), xv);
  const err = maxAbs(g.dataSync(), gNum);
  assert.ok(err < 1e-3, `gradient vs finite differences: ${err}`);
});

test('InstanceNorm and ReflectionPad2D layers: shapes, affine weights, serialization round trip', async () => {
  const input = tfl.input({ shape: [6, 5, 2] });
  const padded = new ReflectionPad2D({ padding: 2 }).apply(input) as tfl.SymbolicTensor;
  const normed = new InstanceNorm({ affine: true }).apply(padded) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: normed });
  assert.deepEqual(model.outputs[0]!.shape, [null, 10, 9, 2]);
  assert.equal(model.trainableWeights.length, 2, 'gamma and beta');
  const x = tf.randomNormal([3, 6, 5, 2], 0, 1, 'float32', 7);
  const y = model.predict(x) as tf.Tensor;
  const saved: tf.io.ModelArtifacts[] = [];
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      saved.push(a);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const back = await tfl.loadLayersModel(tf.io.fromMemory(saved[0]!));
  assert.equal(maxAbs((back.predict(x) as tf.Tensor).dataSync(), y.dataSync()), 0);
});

test('instanceNorm on native (fused per-image batch-norm kernels) equals the composed reference, values and gradients', () => {
  assert.equal(tf.getBackend(), 'native');
  const r = rng(9);
  const shape: [number, number, number, number] = [3, 5, 4, 6];
  const xv = randValues(r, 360).map((v, i) => v * (1 + (i % 6)) + (i % 4));
  const wv = randValues(r, 360);
  const x = tf.tensor4d(xv, shape);
  const w = tf.tensor(wv, shape);
  const fused = instanceNorm(x);
  const ref = instanceNormReference(x);
  assert.ok(maxAbs(fused.dataSync(), ref.dataSync()) < 1e-5, 'values');
  const g = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(instanceNorm(xi as tf.Tensor4D), w)))(x);
  const gRef = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(instanceNormReference(xi as tf.Tensor4D), w)))(x);
  assert.ok(maxAbs(g.dataSync(), gRef.dataSync()) < 1e-4, `gradients: ${maxAbs(g.dataSync(), gRef.dataSync())}`);
});
