// The video GAN's layers (src/nn/video_layers.ts): values against float64 reference loops (a GRU
// cell as PyTorch's GRUCell, a 2-D convolution), and gradients, with respect to the input and to
// every weight, against central finite differences of those references.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf, type tfl } from '../../src/index.js';
import { FrameConv2D, FramesToClips, MotionGRU, TimeConv } from '../../src/nn/video_layers.js';
import { maxAbs, numericGrad } from '../helpers/gradcheck.js';
import { randValues, rng } from '../helpers/parity.js';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

const sig = (v: number) => 1 / (1 + Math.exp(-v));

/** Float64 MotionGRU: z [N, C + M + T*E] -> [N*T, C + M] (PyTorch GRUCell gates r, z, n). */
function motion64(
  z: Float64Array,
  [wx, wh, bx, bh]: Float64Array[],
  { n, c, m, e, t }: { n: number; c: number; m: number; e: number; t: number },
): Float64Array {
  const l = c + m + t * e;
  const out = new Float64Array(n * t * (c + m));
  for (let b = 0; b < n; b++) {
    let h = Array.from({ length: m }, (_, j) => z[b * l + c + j]!);
    for (let f = 0; f < t; f++) {
      const x = Array.from({ length: e }, (_, j) => z[b * l + c + m + f * e + j]!);
      const gx = Array.from(
        { length: 3 * m },
        (_, o) => bx![o]! + x.reduce((s, v, i) => s + v * wx![i * 3 * m + o]!, 0),
      );
      const gh = Array.from(
        { length: 3 * m },
        (_, o) => bh![o]! + h.reduce((s, v, i) => s + v * wh![i * 3 * m + o]!, 0),
      );
      h = h.map((hv, j) => {
        const r = sig(gx[j]! + gh[j]!);
        const zg = sig(gx[m + j]! + gh[m + j]!);
        const nn = Math.tanh(gx[2 * m + j]! + r * gh[2 * m + j]!);
        return (1 - zg) * nn + zg * hv;
      });
      const row = (b * t + f) * (c + m);
      for (let j = 0; j < c; j++) out[row + j] = z[b * l + j]!;
      for (let j = 0; j < m; j++) out[row + c + j] = h[j]!;
    }
  }
  return out;
}

/** Float64 conv2d of [B, H, W, Ci] with [kh, kw, Ci, Co] (+ bias), strides [sh, sw], tfjs 'same'/'valid' padding. */
function conv64(
  x: Float64Array,
  [b, h, w, ci]: number[],
  k: Float64Array,
  [kh, kw, co]: number[],
  bias: Float64Array,
  [sh, sw]: number[],
  pad: 'same' | 'valid',
): { y: Float64Array; shape: number[] } {
  const out = (size: number, kk: number, s: number) =>
    pad === 'same' ? Math.ceil(size / s) : Math.floor((size - kk) / s) + 1;
  const ho = out(h!, kh!, sh!);
  const wo = out(w!, kw!, sw!);
  const top = pad === 'same' ? Math.floor(Math.max((ho - 1) * sh! + kh! - h!, 0) / 2) : 0;
  const left = pad === 'same' ? Math.floor(Math.max((wo - 1) * sw! + kw! - w!, 0) / 2) : 0;
  const y = new Float64Array(b! * ho * wo * co!);
  for (let n = 0; n < b!; n++)
    for (let i = 0; i < ho; i++)
      for (let j = 0; j < wo; j++)
        for (let o = 0; o < co!; o++) {
          let s = bias[o]!;
          for (let p = 0; p < kh!; p++)
            for (let q = 0; q < kw!; q++) {
              const yi = i * sh! + p - top;
              const xj = j * sw! + q - left;
              if (yi < 0 || yi >= h! || xj < 0 || xj >= w!) continue;
              for (let c = 0; c < ci!; c++)
                s += x[((n * h! + yi) * w! + xj) * ci! + c]! * k[((p * kw! + q) * ci! + c) * co! + o]!;
            }
          y[((n * ho + i) * wo + j) * co! + o] = s;
        }
  return { y, shape: [b!, ho, wo, co!] };
}

/** Checks a layer's values and its gradients (input and every weight) against a float64 reference. */
function checkLayer(
  layer: tfl.layers.Layer,
  xShape: number[],
  ref: (x: Float64Array, weights: Float64Array[]) => Float64Array,
  seed: number,
): void {
  const r = rng(seed);
  const xv = randValues(
    r,
    xShape.reduce((a, b) => a * b, 1),
  );
  const x = tf.tensor(xv, xShape);
  const y0 = layer.apply(x) as tf.Tensor; // builds the layer
  // Non-trivial weights (biases too), small enough to keep the GRU's gates away from saturation.
  layer.setWeights(
    layer.getWeights().map((w) =>
      tf.tensor(
        randValues(r, w.size).map((v) => v * 0.6),
        w.shape,
      ),
    ),
  );
  const weights = layer.getWeights().map((w) => Float64Array.from(w.dataSync()));
  const y = layer.apply(x) as tf.Tensor;
  assert.deepEqual(y.shape, y0.shape);
  const yRef = ref(Float64Array.from(xv), weights);
  assert.ok(maxAbs(y.dataSync(), yRef) < 1e-5, `${layer.getClassName()} values: ${maxAbs(y.dataSync(), yRef)}`);
  const wv = randValues(r, y.size);
  const wt = tf.tensor(wv, y.shape);
  const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
  const { grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x) as tf.Tensor, wt)) as tf.Scalar, vars);
  const gx = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(layer.apply(xi) as tf.Tensor, wt)))(x);
  const gxNum = numericGrad((x64) => dot(ref(x64, weights), wv), xv);
  assert.ok(
    maxAbs(gx.dataSync(), gxNum) < 2e-4,
    `${layer.getClassName()} input gradient: ${maxAbs(gx.dataSync(), gxNum)}`,
  );
  vars.forEach((v, i) => {
    const num = numericGrad(
      (w64) =>
        dot(
          ref(
            Float64Array.from(xv),
            weights.map((w, j) => (j === i ? w64 : w)),
          ),
          wv,
        ),
      weights[i]!,
    );
    const g = grads[v.name]!.dataSync();
    assert.ok(maxAbs(g, num) < 2e-4, `${layer.getClassName()} gradient of ${v.name}: ${maxAbs(g, num)}`);
  });
}

test('MotionGRU: content repeated over the frames beside GRU motion codes; values and gradients vs float64 and finite differences', () => {
  const dims = { n: 2, c: 3, m: 4, e: 2, t: 5 };
  const layer = new MotionGRU({ contentDim: dims.c, motionDim: dims.m, noiseDim: dims.e, frames: dims.t });
  assert.equal(layer.latentDim, 3 + 4 + 5 * 2);
  checkLayer(layer, [dims.n, layer.latentDim], (z, w) => motion64(z, w, dims), 3);
  assert.deepEqual(layer.computeOutputShape([null, 17]), [null, 7]);
  assert.throws(() => layer.apply(tf.zeros([2, 16])), /16 components, expected 17/);
});

test('FrameConv2D: every frame through one 2-D convolution; values and gradients vs float64 and finite differences', () => {
  const [n, t, h, w, c] = [2, 3, 5, 4, 2];
  const layer = new FrameConv2D({ filters: 3, kernelSize: 3, strides: 2, padding: 'same' });
  checkLayer(
    layer,
    [n, t, h, w, c],
    (x, [k, b]) => conv64(x, [n * t, h, w, c], k!, [3, 3, 3], b!, [2, 2], 'same').y,
    5,
  );
  assert.deepEqual(layer.computeOutputShape([null, t, h, w, c]), [null, t, 3, 2, 3]);
});

for (const padding of ['valid', 'same'] as const) {
  test(`TimeConv (${padding}): a convolution along time at every pixel; values and gradients vs float64 and finite differences`, () => {
    const [n, t, h, w, c] = [2, 6, 2, 3, 2];
    const layer = new TimeConv({ filters: 3, kernelSize: 4, padding });
    checkLayer(
      layer,
      [n, t, h, w, c],
      (x, [k, b]) => conv64(x, [n, t, h * w, c], k!, [4, 1, 3], b!, [1, 1], padding).y,
      7,
    );
    assert.deepEqual(layer.computeOutputShape([null, t, h, w, c]), [null, padding === 'valid' ? 3 : 6, h, w, 3]);
  });
}

test('FramesToClips regroups consecutive frames into clips', () => {
  const x = tf.range(0, 2 * 3 * 4).reshape([6, 2, 2, 1]);
  const y = new FramesToClips({ frames: 3 }).apply(x) as tf.Tensor;
  assert.deepEqual(y.shape, [2, 3, 2, 2, 1]);
  assert.deepEqual(Array.from(y.dataSync()), Array.from(x.dataSync()));
  assert.throws(() => new FramesToClips({ frames: 4 }).apply(x), /6 frames do not split into clips of 4/);
});
