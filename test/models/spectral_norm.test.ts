// Spectral normalization: power iteration finds the largest singular value, and the normalized
// kernel used by SNDense / SNConv2D has spectral norm ~1.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Rng, SNConv2D, SNDense, spectralNormStep, tf, tfl } from '../../src/index.js';

/** Largest singular value of a row-major [m, n] matrix, by many power iterations in float64. */
function topSingularValue(a: Float32Array | Float64Array, m: number, n: number): number {
  let u = new Float64Array(n).fill(1);
  let s = 0;
  for (let it = 0; it < 500; it++) {
    const v = new Float64Array(m);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) v[i] += a[i * n + j] * u[j];
    const u2 = new Float64Array(n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) u2[j] += a[i * n + j] * v[i];
    const norm = Math.hypot(...u2);
    s = Math.sqrt(norm);
    u = u2.map((x) => x / norm);
  }
  return s;
}

test('spectralNormStep converges to the largest singular value', () => {
  const r = new Rng(3);
  const m = 24;
  const n = 10;
  const data = r.normals(m * n);
  const w = tf.tensor2d(data, [m, n]);
  let u = tf.tensor1d(r.normals(n));
  let sigma = 0;
  for (let i = 0; i < 60; i++) {
    const s = spectralNormStep(w, u);
    sigma = s.sigma.dataSync()[0];
    u = s.u;
  }
  const truth = topSingularValue(data, m, n);
  assert.ok(Math.abs(sigma - truth) / truth < 1e-3, `sigma ${sigma} vs ${truth}`);
  // W / sigma has spectral norm 1.
  const normalized = Float64Array.from(data, (x) => x / sigma);
  assert.ok(Math.abs(topSingularValue(normalized, m, n) - 1) < 1e-3);
});

/** The kernel an SN layer effectively applies, from its response to the identity (dense) input. */
function effectiveDenseKernel(layer: SNDense, inDim: number): Float32Array {
  return tf.tidy(() => {
    const out = layer.apply(tf.eye(inDim), { training: false }) as tf.Tensor; // [in, units] = I W / sigma + b
    const bias = layer.apply(tf.zeros([1, inDim]), { training: false }) as tf.Tensor;
    return tf.sub(out, bias).dataSync() as Float32Array;
  });
}

test('SNDense: after training-mode passes the applied kernel has spectral norm ~1', () => {
  const inDim = 16;
  const units = 8;
  const layer = new SNDense({ units });
  const x = tfl.input({ shape: [inDim] });
  const model = tfl.model({ inputs: x, outputs: layer.apply(x) as tfl.SymbolicTensor });
  // Scale the kernel up so the raw spectral norm is far from 1.
  const kernel = model.weights.find((w) => w.originalName.endsWith('kernel'))!;
  kernel.write(tf.mul(kernel.read(), 25));
  const raw = kernel.read().dataSync() as Float32Array;
  assert.ok(topSingularValue(raw, inDim, units) > 3, 'raw kernel norm is large');
  for (let i = 0; i < 300; i++) tf.dispose(model.apply(tf.ones([2, inDim]), { training: true })); // enough power iterations for close singular values
  const eff = effectiveDenseKernel(layer, inDim);
  const s = topSingularValue(eff, inDim, units);
  assert.ok(Math.abs(s - 1) < 0.01, `spectral norm of the applied kernel ${s}`);
});

test('SNConv2D normalizes the [k*k*cin, filters] kernel matrix', () => {
  const layer = new SNConv2D({ filters: 6, kernelSize: 3, strides: 1, padding: 'valid' });
  const x = tfl.input({ shape: [3, 3, 2] });
  const model = tfl.model({ inputs: x, outputs: layer.apply(x) as tfl.SymbolicTensor });
  // 300 power iterations: with an unseeded init the top two singular values can be close (30 were flaky).
  for (let i = 0; i < 300; i++) tf.dispose(model.apply(tf.ones([1, 3, 3, 2]), { training: true }));
  // On a 3x3 input with a valid 3x3 kernel, the conv is a dense map from 18 inputs to 6 outputs.
  const eff = tf.tidy(() => {
    const eye = tf.reshape(tf.eye(18), [18, 3, 3, 2]);
    const out = tf.reshape(model.apply(eye, { training: false }) as tf.Tensor, [18, 6]);
    const b = tf.reshape(model.apply(tf.zeros([1, 3, 3, 2]), { training: false }) as tf.Tensor, [1, 6]);
    return tf.sub(out, b).dataSync() as Float32Array;
  });
  const s = topSingularValue(eff, 18, 6);
  assert.ok(Math.abs(s - 1) < 0.01, `spectral norm ${s}`);
});
