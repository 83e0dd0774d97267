// Fused StyleGAN2 layer ops for the native backend (Karras et al. 2020; the official code fuses the
// same epilogue as `fused_bias_act`). Each op is a tf.customGrad whose forward and backward call a
// few native kernels instead of the dozen small tfjs kernels of its reference path:
//   modConv       the whole synthesis layer: the affine style of w, x * style, one shared Conv2D, times
//                 the demodulation coefficients, plus noise * strength, plus bias, leaky ReLU, gain.
//                 Forward: BatchMatMul, Multiply, Conv2D, StyleDemod, StyleBiasAct; backward:
//                 StyleBiasActGrad, StyleDemodGrad, Conv2DBackpropInput, Conv2DBackpropFilter,
//                 StyleChannelScaleGrad, two BatchMatMuls (native/kernels/style_bias_act.cc, style_modulation.cc);
//   eqDenseAct    an equalized-lr dense layer with its bias, leaky ReLU and gain (the mapping network, D's head);
//   eqConvAct     an equalized-lr convolution with its bias, leaky ReLU and gain (D's layers), whose
//                 gradient is computed per input only when needed (G's step needs D's input gradient,
//                 not its filter gradients);
//   biasAct       bias + leaky ReLU + gain over the last axis;
//   (2x resampling, the repeated constant, minibatch stddev and `untaped`: stylegan_fused_batch.ts).
//   (the engine glue they share, e.g. tensors kept for the backward pass: stylegan_fused_core.ts).
// The reference path of each (tfjs ops only; autograd gives its gradient) stays beside it and runs on
// every other backend, and also whenever more than one level of gradients is being recorded (R1's and
// path length's gradients of gradients), since the fused backward is not itself differentiable.
// The math is that of the reference: test/nn/stylegan_fused.test.ts compares values and gradients.
import * as tf from '@tensorflow/tfjs-core';

import {
  conv1x1,
  custom,
  EMPTY,
  first,
  fusedBackend,
  LRELU_ALPHA,
  type LazyGrads,
  lazyGradOp,
  matmul2d,
  scaled,
  tensorOf,
  vals,
} from './stylegan_fused_core.js';
import { eqConv2d, eqDense, modulatedConv2d } from './stylegan_ops.js';

export { custom, EMPTY, first, fusedBackend, LRELU_ALPHA, tensorOf, vals } from './stylegan_fused_core.js';

/** The reference of biasAct: (x + bias), leaky ReLU(0.2) when `lrelu`, times `gain`; x [..., C], bias [C]. */
export function biasActReference(x: tf.Tensor, bias: tf.Tensor | null, lrelu: boolean, gain: number): tf.Tensor {
  return tf.tidy(() => {
    let y = bias ? tf.add(x, bias) : x;
    if (lrelu) y = tf.leakyRelu(y, LRELU_ALPHA);
    return gain === 1 ? (bias || lrelu ? y : tf.clone(y)) : tf.mul(y, gain);
  });
}

/** act(x + bias) * gain in one native pass (forward and backward); x [..., C], bias [C] or null. */
export function biasAct(x: tf.Tensor, bias: tf.Tensor | null, lrelu: boolean, gain: number): tf.Tensor {
  const backend = fusedBackend(x, bias);
  if (backend == null || x.rank < 2 || x.size === 0) return biasActReference(x, bias, lrelu, gain);
  const shape = x.shape;
  const c = shape[shape.length - 1]!;
  const n = shape[0]!;
  const hw = x.size / (n * c);
  const op = custom((...args: unknown[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [xi, bi] = args as [tf.Tensor, tf.Tensor | undefined];
    const xv = vals(backend, xi);
    const bv = bi ? vals(backend, bi) : EMPTY;
    const out = backend.allocF32(xv.length, false);
    backend.run('StyleBiasAct', out, xv, EMPTY, EMPTY, bv, n, hw, c, 0, lrelu, LRELU_ALPHA, gain);
    save(bi ? [xi, bi] : [xi]);
    return {
      value: tensorOf(backend, out, shape),
      gradFunc: (dy, saved) => {
        const [xs, bs] = saved as [tf.Tensor, tf.Tensor | undefined];
        const dx = backend.allocF32(xv.length, false);
        const dbias = bs ? new Float32Array(c) : EMPTY;
        const xsv = vals(backend, xs);
        const bsv = bs ? vals(backend, bs) : EMPTY;
        const g = vals(backend, first(dy));
        backend.run(
          'StyleBiasActGrad',
          dx,
          EMPTY,
          EMPTY,
          dbias,
          EMPTY,
          g,
          xsv,
          EMPTY,
          EMPTY,
          bsv,
          n,
          hw,
          c,
          0,
          lrelu,
          LRELU_ALPHA,
          gain,
        );
        const dxt = tensorOf(backend, dx, shape);
        return bs ? [dxt, tensorOf(backend, dbias, [c])] : [dxt];
      },
    };
  });
  return bias ? op(x, bias) : op(x);
}

/** The reference of eqDenseAct: eqDense (stylegan_ops.ts), then biasActReference's activation and gain. */
export function eqDenseActReference(
  x: tf.Tensor2D,
  kernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  lrMul: number,
  lrelu: boolean,
  gain: number,
): tf.Tensor2D {
  return tf.tidy(() => biasActReference(eqDense(x, kernel, bias, lrMul), null, lrelu, gain) as tf.Tensor2D);
}

/**
 * Equalized-lr dense layer, fused on the native backend: act(x @ (kernel * lrMul/sqrt(In)) + bias * lrMul) * gain;
 * x [N, In], kernel [In, Out], bias [Out] -> [N, Out].
 */
export function eqDenseAct(
  x: tf.Tensor2D,
  kernel: tf.Tensor2D,
  bias: tf.Tensor1D,
  lrMul: number,
  lrelu: boolean,
  gain: number,
): tf.Tensor2D {
  const backend = fusedBackend(x, kernel, bias);
  if (backend == null || x.rank !== 2) return eqDenseActReference(x, kernel, bias, lrMul, lrelu, gain);
  const [n, inDim] = x.shape;
  const out = kernel.shape[1];
  const g = lrMul / Math.sqrt(inDim);
  const op = custom((...args: unknown[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [xi, ki, bi] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
    // The scale g goes on x (N x In values) rather than on the kernel (In x Out): the same product.
    const xg = scaled(backend, xi, g) as tf.Tensor2D; // [N, In]
    const y = matmul2d(backend, xg, ki); // [N, Out]
    const bv = vals(backend, bi);
    const bs = lrMul === 1 ? bv : bv.map((v) => v * lrMul);
    const res = backend.allocF32(n * out, false);
    backend.run('StyleBiasAct', res, vals(backend, y), EMPTY, EMPTY, bs, n, 1, out, 0, lrelu, LRELU_ALPHA, gain);
    save([xg, ki, y, tf.tensor1d(bs)]);
    return {
      value: tensorOf(backend, res, [n, out]),
      gradFunc: (dy, saved) => {
        const [sxg, sk, sy, sb] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        const dpre = backend.allocF32(n * out, false);
        const dbias = new Float32Array(out);
        const g0 = vals(backend, first(dy));
        backend.run(
          'StyleBiasActGrad',
          dpre,
          EMPTY,
          EMPTY,
          dbias,
          EMPTY,
          g0,
          vals(backend, sy),
          EMPTY,
          EMPTY,
          vals(backend, sb),
          n,
          1,
          out,
          0,
          lrelu,
          LRELU_ALPHA,
          gain,
        );
        const dp = tensorOf(backend, dpre, [n, out]) as tf.Tensor2D;
        const dxg = matmul2d(backend, dp, sk, false, true); // [N, In]
        const dx = scaled(backend, dxg, g);
        const dk = matmul2d(backend, sxg, dp, true, false); // [In, Out]
        if (lrMul !== 1) for (let i = 0; i < out; i++) dbias[i] = dbias[i]! * lrMul;
        tf.dispose([dp, dxg]);
        return [dx, dk, tf.tensor1d(dbias)];
      },
    };
  });
  return op(x, kernel, bias) as tf.Tensor2D;
}

/** The reference of eqConvAct: eqConv2d (stylegan_ops.ts), then biasActReference. */
export function eqConvActReference(
  x: tf.Tensor4D,
  kernel: tf.Tensor4D,
  bias: tf.Tensor1D | null,
  lrelu: boolean,
  gain: number,
): tf.Tensor4D {
  return tf.tidy(() => biasActReference(eqConv2d(x, kernel), bias, lrelu, gain) as tf.Tensor4D);
}

/**
 * Equalized-lr convolution ('same', stride 1) with bias, leaky ReLU and gain, fused on the native
 * backend: x [N, H, W, Cin], kernel [k, k, Cin, Cout] N(0, 1), bias [Cout] or null -> [N, H, W, Cout].
 */
export function eqConvAct(
  x: tf.Tensor4D,
  kernel: tf.Tensor4D,
  bias: tf.Tensor1D | null,
  lrelu: boolean,
  gain: number,
): tf.Tensor4D {
  const backend = fusedBackend(x, kernel, bias);
  const [kh, kw, cin, cout] = kernel.shape;
  if (backend == null || kh % 2 !== 1 || kw % 2 !== 1) return eqConvActReference(x, kernel, bias, lrelu, gain);
  const [n, h, w] = x.shape;
  const hw = h * w;
  const scale = 1 / Math.sqrt(kh * kw * cin);
  const inputs: Record<string, tf.Tensor> = bias ? { x, kernel, bias } : { x, kernel };
  const convAttrs = { strides: 1, pad: 'same', dataFormat: 'NHWC' };
  // The equalized-lr scale is applied to the convolution's output, as StyleBiasAct's factor d (every
  // d[n, c] = scale): conv(x, kernel * scale) = conv(x, kernel) * scale, so no scaled copy of the kernel
  // is made, and the backward pass's dpre (which includes d) gives the kernel's gradient as it is.
  const dScale = new Float32Array(n * cout).fill(scale); // [N, Cout]
  const oneByOne = kh === 1 && kw === 1;
  const dims = [n, h, w, cin, cout];
  const y = lazyGradOp(
    inputs,
    (save) => {
      const yc = oneByOne ? conv1x1.forward(backend, x, kernel, dims) : tf.conv2d(x, kernel, 1, 'same'); // [N, H, W, Cout], before the scale
      const out = backend.allocF32(n * hw * cout, false);
      const bv = bias ? vals(backend, bias) : EMPTY;
      backend.run('StyleBiasAct', out, vals(backend, yc), dScale, EMPTY, bv, n, hw, cout, 0, lrelu, LRELU_ALPHA, gain);
      save(bias ? [x, kernel, yc, bias] : [x, kernel, yc]);
      return tensorOf(backend, out, [n, h, w, cout]);
    },
    (dy, saved) => {
      const [sx, skernel, sy, sb] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D, tf.Tensor1D | undefined];
      const dpre = backend.allocF32(n * hw * cout, false);
      const dd = new Float32Array(n * cout); // d's gradient (d is the constant scale: unused)
      const dbias = sb ? new Float32Array(cout) : EMPTY;
      const sbv = sb ? vals(backend, sb) : EMPTY;
      const g = vals(backend, dy);
      backend.run(
        'StyleBiasActGrad',
        dpre,
        dd,
        EMPTY,
        dbias,
        EMPTY,
        g,
        vals(backend, sy),
        dScale,
        EMPTY,
        sbv,
        n,
        hw,
        cout,
        0,
        lrelu,
        LRELU_ALPHA,
        gain,
      );
      const dp = tensorOf(backend, dpre, [n, h, w, cout]); // lives until the end of the backward pass
      const grads: LazyGrads = {
        x: () =>
          oneByOne
            ? conv1x1.input(backend, dp, skernel, dims)
            : (tf
                .engine()
                .runKernel(
                  'Conv2DBackpropInput',
                  { dy: dp, filter: skernel },
                  { ...convAttrs, inputShape: [n, h, w, cin] },
                ) as tf.Tensor),
        kernel: () =>
          oneByOne
            ? conv1x1.filter(backend, sx, dp, dims)
            : (tf
                .engine()
                .runKernel(
                  'Conv2DBackpropFilter',
                  { x: sx, dy: dp },
                  { ...convAttrs, filterShape: [kh, kw, cin, cout] },
                ) as tf.Tensor),
      };
      if (sb) grads.bias = () => tf.tensor1d(dbias);
      return grads;
    },
  );
  return (y ?? eqConvActReference(x, kernel, bias, lrelu, gain)) as tf.Tensor4D;
}

export interface ModConvOptions {
  /** Divide by the norm of the modulated weights per output channel. */
  demodulate: boolean;
  /** Leaky ReLU(0.2) after the bias. */
  lrelu: boolean;
  /** Output multiplier (sqrt(2) after leaky ReLU). */
  gain: number;
}

/** A synthesis layer's weights: the affine map A from w to the styles, the convolution, its bias and noise strength. */
export interface ModConvWeights {
  /** [Wd, Cin], N(0, 1) (equalized lr). */
  affineKernel: tf.Tensor2D;
  /** [Cin] (initialized to 1). */
  affineBias: tf.Tensor1D;
  /** [k, k, Cin, Cout], N(0, 1). */
  kernel: tf.Tensor4D;
  /** [Cout]. */
  bias: tf.Tensor1D;
  /** [1], or null for a layer without noise. */
  noiseStrength: tf.Tensor | null;
}

/**
 * The reference of modConv, tfjs ops only: the styles eqDense(w, A, b), modulatedConv2d (stylegan_ops.ts),
 * then noise * strength, bias, activation and gain. x [N, H, W, Cin], w [N, Wd], noise [N, H, W, 1]
 * (or null) -> [N, H, W, Cout].
 */
export function modConvReference(
  x: tf.Tensor4D,
  w: tf.Tensor2D,
  p: ModConvWeights,
  noise: tf.Tensor4D | null,
  o: ModConvOptions,
): tf.Tensor4D {
  return tf.tidy(() => {
    const styles = eqDense(w, p.affineKernel, p.affineBias); // [N, Cin]
    let y: tf.Tensor = modulatedConv2d(x, p.kernel, styles, o.demodulate); // [N, H, W, Cout]
    if (noise && p.noiseStrength) y = tf.add(y, tf.mul(noise, p.noiseStrength)); // + [N, H, W, 1] * [1]
    return biasActReference(y, p.bias, o.lrelu, o.gain) as tf.Tensor4D;
  });
}

/** A whole modulated-convolution layer, fused on the native backend (see the file header). */
export function modConv(
  x: tf.Tensor4D,
  wIn: tf.Tensor2D,
  p: ModConvWeights,
  noise: tf.Tensor4D | null,
  o: ModConvOptions,
): tf.Tensor4D {
  const { affineKernel, affineBias, kernel, bias } = p;
  const strength = noise ? p.noiseStrength : null;
  const withNoise = noise != null && strength != null;
  const backend = fusedBackend(x, wIn, affineKernel, affineBias, kernel, bias, noise, strength);
  const [kh, kw, cin, cout] = kernel.shape;
  const [n, h, w] = x.shape;
  if (backend == null || kh % 2 !== 1 || kw % 2 !== 1) return modConvReference(x, wIn, p, noise, o);
  const hw = h * w;
  const kk = kh * kw;
  const dims = [n, h, w, cin, cout];
  const scale = 1 / Math.sqrt(kh * kw * cin);
  const affineGain = 1 / Math.sqrt(affineKernel.shape[0]);
  const op = custom((...args: unknown[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [xi, wi, ai, abi, ki, bi, ni, sti] = args as [
      tf.Tensor4D,
      tf.Tensor2D,
      tf.Tensor2D,
      tf.Tensor1D,
      tf.Tensor4D,
      tf.Tensor1D,
      tf.Tensor?,
      tf.Tensor?,
    ];
    // The styles s = w A / sqrt(Wd) + b, times the kernel's equalized-lr scale: x * (s * scale)
    // convolved with the kernel as it is equals x * s convolved with kernel * scale, and the
    // demodulation of (kernel, s * scale) is that of (kernel * scale, s); no scaled copy of a weight is made.
    const si = matmul2d(backend, wi, ai); // w A [N, Cin], made the scaled styles in place:
    const sv = vals(backend, si);
    const abv = vals(backend, abi);
    for (let i = 0; i < sv.length; i++) sv[i] = (sv[i]! * affineGain + abv[i % cin]!) * scale;
    const xsv = backend.allocF32(n * hw * cin, false); // x * styles[n, c] (StyleBiasAct: linear, d = the styles)
    backend.run('StyleBiasAct', xsv, vals(backend, xi), sv, EMPTY, EMPTY, n, hw, cin, 0, false, LRELU_ALPHA, 1);
    const xs = tensorOf(backend, xsv, [n, h, w, cin]) as tf.Tensor4D; // [N, H, W, Cin]
    const y = kk === 1 ? conv1x1.forward(backend, xs, ki, dims) : tf.conv2d(xs, ki, 1, 'same'); // [N, H, W, Cout]
    let d: tf.Tensor | null = null;
    if (o.demodulate) {
      const dv = new Float32Array(n * cout);
      backend.run('StyleDemod', dv, vals(backend, ki), sv, n, kk, cin, cout, 1e-8);
      d = tf.tensor2d(dv, [n, cout]); // [N, Cout]
    }
    const str = withNoise ? vals(backend, sti!)[0]! : 0;
    const out = backend.allocF32(n * hw * cout, false);
    const dvals = d ? vals(backend, d) : EMPTY;
    const nv = withNoise ? vals(backend, ni!) : EMPTY;
    backend.run(
      'StyleBiasAct',
      out,
      vals(backend, y),
      dvals,
      nv,
      vals(backend, bi),
      n,
      hw,
      cout,
      str,
      o.lrelu,
      LRELU_ALPHA,
      o.gain,
    );
    save([xi, xs, ki, si, y, bi, wi, ai, ...(d ? [d] : []), ...(withNoise ? [ni!, sti!] : [])]);
    return {
      value: tensorOf(backend, out, [n, h, w, cout]),
      gradFunc: (dy, saved) => {
        const [sx, sxs, sk, ss, sy, sb, sw, sa, ...rest] = saved as tf.Tensor[];
        const sd = o.demodulate ? rest.shift()! : null;
        const [sn, sst] = withNoise ? (rest as [tf.Tensor, tf.Tensor]) : [null, null];
        const dyConv = backend.allocF32(n * hw * cout, false);
        const dd = sd ? new Float32Array(n * cout) : EMPTY;
        const dnoise = withNoise ? new Float32Array(n * hw) : EMPTY;
        const dstr = withNoise ? new Float32Array(1) : EMPTY;
        const dbias = new Float32Array(cout);
        const strength = sst ? vals(backend, sst)[0]! : 0;
        const sdv = sd ? vals(backend, sd) : EMPTY;
        const snv = sn ? vals(backend, sn) : EMPTY;
        const g = vals(backend, first(dy));
        backend.run(
          'StyleBiasActGrad',
          dyConv,
          dd,
          dnoise,
          dbias,
          dstr,
          g,
          vals(backend, sy),
          sdv,
          snv,
          vals(backend, sb),
          n,
          hw,
          cout,
          strength,
          o.lrelu,
          LRELU_ALPHA,
          o.gain,
        );
        const dyt = tensorOf(backend, dyConv, [n, h, w, cout]) as tf.Tensor4D;
        const convAttrs = { strides: 1, pad: 'same', dataFormat: 'NHWC' };
        const dxs = (
          kk === 1
            ? conv1x1.input(backend, dyt, sk!, dims)
            : tf
                .engine()
                .runKernel('Conv2DBackpropInput', { dy: dyt, filter: sk }, { ...convAttrs, inputShape: [n, h, w, cin] })
        ) as tf.Tensor4D; // [N, H, W, Cin]
        const dwConv = (
          kk === 1
            ? conv1x1.filter(backend, sxs!, dyt, dims)
            : tf
                .engine()
                .runKernel(
                  'Conv2DBackpropFilter',
                  { x: sxs, dy: dyt },
                  { ...convAttrs, filterShape: [kh, kw, cin, cout] },
                )
        ) as tf.Tensor4D; // [k, k, Cin, Cout]
        const svals = vals(backend, ss); // the scaled styles
        const dstyles = new Float32Array(n * cin); // the scaled styles' gradient
        let dkernel: tf.Tensor = dwConv; // [k, k, Cin, Cout]: the convolution's filter gradient, plus the demodulation's
        if (sd) {
          const dwc = vals(backend, dwConv);
          const dwd = backend.allocF32(kk * cin * cout, false);
          backend.run('StyleDemodGrad', dstyles, dwd, dd, sdv, vals(backend, sk), svals, n, kk, cin, cout);
          for (let i = 0; i < dwd.length; i++) dwd[i] = dwc[i]! + dwd[i]!;
          dkernel = tensorOf(backend, dwd, [kh, kw, cin, cout]);
        }
        const dx = backend.allocF32(n * hw * cin, false);
        const dsx = new Float32Array(n * cin);
        backend.run('StyleChannelScaleGrad', dx, dsx, vals(backend, dxs), vals(backend, sx), svals, n, hw, cin);
        // Back through s * scale = (w A / sqrt(Wd) + b) * scale: the affine bias's gradient is scale times
        // the scaled styles' gradient summed over the batch; w's and A's take it times 1/sqrt(Wd) too.
        const dab = new Float32Array(cin);
        for (let i = 0; i < dstyles.length; i++) {
          const v = (dsx[i]! + dstyles[i]!) * scale;
          dab[i % cin] = dab[i % cin]! + v;
          dstyles[i] = v * affineGain;
        }
        const dst = tf.tensor2d(dstyles, [n, cin]);
        const dw = matmul2d(backend, dst, sa!, false, true); // [N, Wd]
        const daffine = matmul2d(backend, sw!, dst, true, false); // [Wd, Cin]
        const daffineBias = tf.tensor1d(dab); // [Cin]
        tf.dispose(sd ? [dyt, dxs, dwConv, dst] : [dyt, dxs, dst]);
        const grads = [tensorOf(backend, dx, [n, h, w, cin]), dw, daffine, daffineBias, dkernel, tf.tensor1d(dbias)];
        if (withNoise) grads.push(tf.tensor4d(dnoise, [n, h, w, 1]), tf.tensor(dstr, sst!.shape));
        return grads;
      },
    };
  });
  const inputs: tf.Tensor[] = [x, wIn, affineKernel, affineBias, kernel, bias];
  if (withNoise) inputs.push(noise, strength);
  return op(...inputs) as tf.Tensor4D;
}
