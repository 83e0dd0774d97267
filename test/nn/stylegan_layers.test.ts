// StyleGAN2's layers: the non-fused modulated convolution against the fused per-sample reference,
// and every op's gradient (modulated conv with and without demodulation, the demodulation
// coefficients, equalized-lr dense and conv, minibatch stddev) against central finite differences of
// float64 copies written here; layer shapes, self-initialization and a serialization round trip.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf, tfl } from '../../src/index.js';
import { initializeWeights } from '../../src/nn/init.js';
import { ConstInput, EqConv2D, EqDense, MinibatchStd, ModConv2D, Resample2x } from '../../src/nn/stylegan_layers.js';
import {
  demodulation,
  downsample2x,
  eqConv2d,
  eqDense,
  minibatchStd,
  minibatchStdReference,
  modulatedConv2d,
  modulatedConv2dReference,
  upsample2x,
} from '../../src/nn/stylegan_ops.js';
import { Rng } from '../../src/train/rng.js';
import { maxAbs, numericGrad } from '../helpers/gradcheck.js';
import { randValues, rng } from '../helpers/parity.js';

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

/** Float64 'same' convolution, stride 1, of x [N,H,W,Cin] with per-sample weights w(n) [k,k,Cin,Cout]. */
function conv64(
  x: Float64Array,
  [n, h, wd, cin]: number[],
  weight: (b: number) => Float64Array,
  k: number,
  cout: number,
): Float64Array {
  const out = new Float64Array(n * h * wd * cout);
  const p = (k - 1) >> 1;
  for (let b = 0; b < n; b++) {
    const w = weight(b);
    for (let i = 0; i < h; i++)
      for (let j = 0; j < wd; j++)
        for (let o = 0; o < cout; o++) {
          let s = 0;
          for (let di = 0; di < k; di++)
            for (let dj = 0; dj < k; dj++) {
              const ii = i + di - p;
              const jj = j + dj - p;
              if (ii < 0 || jj < 0 || ii >= h || jj >= wd) continue;
              for (let c = 0; c < cin; c++)
                s += x[((b * h + ii) * wd + jj) * cin + c]! * w[((di * k + dj) * cin + c) * cout + o]!;
            }
          out[((b * h + i) * wd + j) * cout + o] = s;
        }
  }
  return out;
}

/** Float64 fused modulated conv: the weights of sample b are kernel/sqrt(k k Cin) * s_b, demodulated per output channel. */
function modConv64(
  x: Float64Array,
  xs: number[],
  kernel: Float64Array,
  k: number,
  cout: number,
  styles: Float64Array,
  demod: boolean,
): Float64Array {
  const cin = xs[3]!;
  const gain = 1 / Math.sqrt(k * k * cin);
  return conv64(
    x,
    xs,
    (b) => {
      const w = new Float64Array(kernel.length);
      for (let t = 0; t < k * k; t++)
        for (let c = 0; c < cin; c++)
          for (let o = 0; o < cout; o++) {
            const at = (t * cin + c) * cout + o;
            w[at] = kernel[at]! * gain * styles[b * cin + c]!;
          }
      if (demod)
        for (let o = 0; o < cout; o++) {
          let s = 0;
          for (let t = 0; t < k * k * cin; t++) s += w[t * cout + o]! ** 2;
          const inv = 1 / Math.sqrt(s + 1e-8);
          for (let t = 0; t < k * k * cin; t++) w[t * cout + o] = w[t * cout + o]! * inv;
        }
      return w;
    },
    k,
    cout,
  );
}

/** Float64 minibatch stddev of [N,H,W,C] with groups of g (sample n = j*M + m). */
function mbstd64(x: Float64Array, [n, h, w, c]: number[], g: number): Float64Array {
  const m = n / g;
  const per = h * w * c;
  const stds = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let acc = 0;
    for (let i = 0; i < per; i++) {
      let mean = 0;
      for (let k = 0; k < g; k++) mean += x[(k * m + j) * per + i]!;
      mean /= g;
      let v = 0;
      for (let k = 0; k < g; k++) v += (x[(k * m + j) * per + i]! - mean) ** 2;
      acc += Math.sqrt(v / g + 1e-8);
    }
    stds[j] = acc / per;
  }
  const out = new Float64Array(n * h * w * (c + 1));
  for (let b = 0; b < n; b++)
    for (let p = 0; p < h * w; p++) {
      for (let k = 0; k < c; k++) out[(b * h * w + p) * (c + 1) + k] = x[(b * h * w + p) * c + k]!;
      out[(b * h * w + p) * (c + 1) + c] = stds[b % m]!;
    }
  return out;
}

const size = (s: number[]) => s.reduce((a, b) => a * b, 1);

for (const demod of [true, false]) {
  test(`modulatedConv2d (demodulate ${demod}): equals the fused reference; gradients in x, kernel and styles match finite differences`, () => {
    const r = rng(demod ? 3 : 4);
    const xs = [2, 4, 3, 3];
    const k = 3;
    const cout = 2;
    const xv = randValues(r, size(xs));
    const kv = randValues(r, k * k * 3 * cout);
    const sv = randValues(r, 2 * 3).map((v) => v + 1.2);
    const outN = 2 * 4 * 3 * cout;
    const pv = randValues(r, outN);
    const x = tf.tensor4d(xv, xs as [number, number, number, number]);
    const kern = tf.tensor4d(kv, [k, k, 3, cout]);
    const st = tf.tensor2d(sv, [2, 3]);
    const p = tf.tensor4d(pv, [2, 4, 3, cout]);
    const y = modulatedConv2d(x, kern, st, demod);
    const y64 = modConv64(Float64Array.from(xv), xs, Float64Array.from(kv), k, cout, Float64Array.from(sv), demod);
    assert.ok(maxAbs(y.dataSync(), y64) < 1e-5, 'values vs float64');
    assert.ok(maxAbs(y.dataSync(), modulatedConv2dReference(x, kern, st, demod).dataSync()) < 1e-5, 'vs fused');
    const [gx, gk, gs] = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      tf.sum(tf.mul(modulatedConv2d(a as tf.Tensor4D, b as tf.Tensor4D, c as tf.Tensor2D, demod), p)),
    )([x, kern, st]);
    const f = (xx: Float64Array, kk: Float64Array, ss: Float64Array) =>
      dot(modConv64(xx, xs, kk, k, cout, ss, demod), pv);
    const X = Float64Array.from(xv);
    const K = Float64Array.from(kv);
    const S = Float64Array.from(sv);
    for (const [name, got, want] of [
      ['x', gx!, numericGrad((v) => f(v, K, S), xv)],
      ['kernel', gk!, numericGrad((v) => f(X, v, S), kv)],
      ['styles', gs!, numericGrad((v) => f(X, K, v), sv)],
    ] as [string, tf.Tensor, Float64Array][]) {
      const err = maxAbs(got.dataSync(), want);
      assert.ok(err < 2e-3, `d/d${name}: ${err}`);
    }
  });
}

test('demodulation: coefficients and their gradient in the styles match finite differences', () => {
  const r = rng(21);
  const kv = randValues(r, 3 * 3 * 4 * 2);
  const sv = randValues(r, 3 * 4);
  const pv = randValues(r, 3 * 2);
  const f64 = (s: Float64Array) => {
    const out = new Float64Array(6);
    for (let b = 0; b < 3; b++)
      for (let o = 0; o < 2; o++) {
        let acc = 0;
        for (let t = 0; t < 9; t++) for (let c = 0; c < 4; c++) acc += (kv[(t * 4 + c) * 2 + o]! * s[b * 4 + c]!) ** 2;
        out[b * 2 + o] = 1 / Math.sqrt(acc + 1e-8);
      }
    return out;
  };
  const w = tf.tensor4d(kv, [3, 3, 4, 2]);
  const s = tf.tensor2d(sv, [3, 4]);
  assert.ok(maxAbs(demodulation(w, s).dataSync(), f64(Float64Array.from(sv))) < 1e-4);
  const g = tf.grad((si: tf.Tensor) => tf.sum(tf.mul(demodulation(w, si as tf.Tensor2D), tf.tensor2d(pv, [3, 2]))))(s);
  const err = maxAbs(
    g.dataSync(),
    numericGrad((v) => dot(f64(v), pv), sv),
  );
  assert.ok(err < 2e-3, `gradient: ${err}`);
});

test('equalized-lr dense and conv: runtime scale lrMul/sqrt(fan_in), gradients match finite differences', () => {
  const r = rng(8);
  const xv = randValues(r, 3 * 5);
  const kv = randValues(r, 5 * 2);
  const bv = randValues(r, 2);
  const pv = randValues(r, 3 * 2);
  const lrMul = 0.01;
  const dense64 = (x: Float64Array, k: Float64Array, b: Float64Array) => {
    const out = new Float64Array(6);
    for (let i = 0; i < 3; i++)
      for (let o = 0; o < 2; o++) {
        let s = 0;
        for (let c = 0; c < 5; c++) s += x[i * 5 + c]! * k[c * 2 + o]!;
        out[i * 2 + o] = (s * lrMul) / Math.sqrt(5) + b[o]! * lrMul;
      }
    return out;
  };
  const x = tf.tensor2d(xv, [3, 5]);
  const k = tf.tensor2d(kv, [5, 2]);
  const b = tf.tensor1d(bv);
  const X = Float64Array.from(xv);
  const K = Float64Array.from(kv);
  const B = Float64Array.from(bv);
  assert.ok(maxAbs(eqDense(x, k, b, lrMul).dataSync(), dense64(X, K, B)) < 1e-6);
  const [gx, gk, gb] = tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) =>
    tf.sum(tf.mul(eqDense(a as tf.Tensor2D, c as tf.Tensor2D, d as tf.Tensor1D, lrMul), tf.tensor2d(pv, [3, 2]))),
  )([x, k, b]);
  assert.ok(
    maxAbs(
      gx!.dataSync(),
      numericGrad((v) => dot(dense64(v, K, B), pv), xv),
    ) < 1e-4,
    'dense d/dx',
  );
  assert.ok(
    maxAbs(
      gk!.dataSync(),
      numericGrad((v) => dot(dense64(X, v, B), pv), kv),
    ) < 1e-4,
    'dense d/dkernel',
  );
  assert.ok(
    maxAbs(
      gb!.dataSync(),
      numericGrad((v) => dot(dense64(X, K, v), pv), bv),
    ) < 1e-4,
    'dense d/dbias',
  );

  const cs = [1, 4, 4, 3];
  const cxv = randValues(r, size(cs));
  const ckv = randValues(r, 3 * 3 * 3 * 2);
  const cpv = randValues(r, 4 * 4 * 2);
  const conv = (xx: Float64Array, kk: Float64Array) =>
    conv64(xx, cs, () => kk.map((v) => v / Math.sqrt(27)), 3, 2).map((v) => v * 0.5);
  const cx = tf.tensor4d(cxv, cs as [number, number, number, number]);
  const ck = tf.tensor4d(ckv, [3, 3, 3, 2]);
  assert.ok(maxAbs(eqConv2d(cx, ck, 0.5).dataSync(), conv(Float64Array.from(cxv), Float64Array.from(ckv))) < 1e-5);
  const [gcx, gck] = tf.grads((a: tf.Tensor, c: tf.Tensor) =>
    tf.sum(tf.mul(eqConv2d(a as tf.Tensor4D, c as tf.Tensor4D, 0.5), tf.tensor(cpv, [1, 4, 4, 2]))),
  )([cx, ck]);
  const CK = Float64Array.from(ckv);
  const CX = Float64Array.from(cxv);
  assert.ok(
    maxAbs(
      gcx!.dataSync(),
      numericGrad((v) => dot(conv(v, CK), cpv), cxv),
    ) < 1e-4,
    'conv d/dx',
  );
  assert.ok(
    maxAbs(
      gck!.dataSync(),
      numericGrad((v) => dot(conv(CX, v), cpv), ckv),
    ) < 1e-4,
    'conv d/dkernel',
  );
});

test('minibatchStd: values equal the per-group loop and float64; gradient matches finite differences', () => {
  const r = rng(13);
  const shape = [8, 2, 3, 2];
  const xv = randValues(r, size(shape));
  const x = tf.tensor4d(xv, shape as [number, number, number, number]);
  const y = minibatchStd(x, 4);
  assert.deepEqual(y.shape, [8, 2, 3, 3]);
  assert.ok(maxAbs(y.dataSync(), mbstd64(Float64Array.from(xv), shape, 4)) < 1e-5, 'vs float64');
  assert.ok(maxAbs(y.dataSync(), minibatchStdReference(x, 4).dataSync()) < 1e-5, 'vs loop');
  // a batch of 6 with group size 4 uses groups of 3
  assert.deepEqual(minibatchStd(tf.zeros([6, 2, 2, 1]), 4).shape, [6, 2, 2, 2]);
  const pv = randValues(r, 8 * 2 * 3 * 3);
  const g = tf.grad((xi: tf.Tensor) => tf.sum(tf.mul(minibatchStd(xi as tf.Tensor4D, 4), tf.tensor(pv, y.shape))))(x);
  const err = maxAbs(
    g.dataSync(),
    numericGrad((v) => dot(mbstd64(v, shape, 4), pv), xv),
  );
  assert.ok(err < 1e-3, `gradient: ${err}`);
});

test('upsample2x repeats each pixel 2x2; downsample2x averages 2x2 blocks (and undoes upsampling)', () => {
  const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
  assert.deepEqual(Array.from(upsample2x(x).dataSync()), [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  const y = tf.tensor4d(randValues(rng(2), 2 * 4 * 6 * 3), [2, 4, 6, 3]);
  assert.ok(maxAbs(downsample2x(upsample2x(y)).dataSync(), y.dataSync()) < 1e-6);
  assert.deepEqual(Array.from(downsample2x(tf.tensor4d([1, 2, 3, 5], [1, 2, 2, 1])).dataSync()), [2.75]);
});

test('StyleGAN2 layers: shapes, self-initialization from the seeded RNG, serialization round trip', async () => {
  const x = tfl.input({ shape: [4, 4, 3] });
  const w = tfl.input({ shape: [6] });
  const noise = tfl.input({ shape: [8, 8, 1] });
  const c = new ConstInput({ channels: 3, size: 4 }).apply(w) as tfl.SymbolicTensor;
  const up = new Resample2x({ direction: 'up' }).apply(tfl.layers.add().apply([x, c]) as tfl.SymbolicTensor);
  const h = new ModConv2D({ filters: 5, kernelSize: 3 }).apply([up as tfl.SymbolicTensor, w, noise]);
  const e = new EqConv2D({ filters: 4, kernelSize: 3, activation: 'lrelu' }).apply(h) as tfl.SymbolicTensor;
  const m = new MinibatchStd({ groupSize: 2 }).apply(e) as tfl.SymbolicTensor;
  const out = new EqDense({ units: 2, lrMul: 0.01, biasInit: 1 }).apply(
    tfl.layers.flatten().apply(m) as tfl.SymbolicTensor,
  ) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: [x, w, noise], outputs: out });
  assert.deepEqual(model.outputs[0]!.shape, [null, 2]);
  initializeWeights(model, new Rng(3), 'dcgan');
  const byRole = (role: string) =>
    model.weights.filter((v) => (v.originalName ?? v.name).endsWith(`/${role}`)).map((v) => v.read().dataSync());
  assert.deepEqual(Array.from(byRole('affine_bias')[0]!), [1, 1, 1], 'modulation bias starts at 1');
  const denseKernel = model.weights.find(
    (v) => v.originalName.includes('EqDense') && v.originalName.endsWith('kernel'),
  )!;
  const std = Math.sqrt(tf.moments(denseKernel.read()).variance.dataSync()[0]!);
  assert.ok(std > 50 && std < 200, `lrMul 0.01 kernel drawn with std 1/lrMul: ${std}`);
  assert.deepEqual(Array.from(byRole('bias').at(-1)!), [100, 100], 'effective bias = stored * lrMul = 1');
  const inputs = [
    tf.randomNormal([2, 4, 4, 3], 0, 1, 'float32', 1),
    tf.randomNormal([2, 6], 0, 1, 'float32', 2),
    tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 3),
  ];
  const y = model.predict(inputs) as tf.Tensor;
  const saved: tf.io.ModelArtifacts[] = [];
  await model.save(
    tf.io.withSaveHandler(async (a) => {
      saved.push(a);
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  const back = await tfl.loadLayersModel(tf.io.fromMemory(saved[0]!));
  assert.equal(maxAbs((back.predict(inputs) as tf.Tensor).dataSync(), y.dataSync()), 0);
});
