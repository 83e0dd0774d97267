// The tensor operations of StyleGAN2 (Karras et al. 2020, "Analyzing and Improving the Image Quality
// of StyleGAN"), as plain tfjs functions: the reference paths of the fused ops in stylegan_fused.ts
// (which the layers in stylegan_layers.ts call; on the native backend they run native kernels):
//  - equalized learning rate: weights stored N(0, 1/lrMul^2), scaled at run time by lrMul/sqrt(fan_in);
//  - modulated + demodulated convolution in the NON-fused formulation of the paper's appendix B:
//    scale the input activations by the style [N,1,1,Cin], run one shared convolution (the native
//    Conv2D kernel does the work), multiply by the demodulation coefficients [N,1,1,Cout];
//    `modulatedConv2dReference` is the fused per-sample formulation (the weights themselves are
//    modulated and normalized, one convolution per sample): the slow path the tests compare with;
//  - minibatch standard deviation (Karras et al. 2018), and its per-group reference loop;
//  - 2x nearest-neighbour upsampling (a broadcast multiply: native Multiply, its gradient a native
//    Sum) and 2x2 box downsampling (a reshape and a native Mean), in place of the reference's FIR
//    filters, which would need a depthwise convolution kernel this engine does not have.
import * as tf from '@tensorflow/tfjs-core';

/** sqrt(2): the gain StyleGAN2 applies after leaky ReLU(0.2) so activations keep unit variance. */
export const LRELU_GAIN = Math.SQRT2;

/** leaky ReLU(0.2) times sqrt(2) (bias_act's 'lrelu'). */
export function lreluGain(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.leakyRelu(x, 0.2), LRELU_GAIN);
}

/** Equalized-lr dense: x [N, In] @ (kernel * lrMul/sqrt(In)) + bias * lrMul -> [N, Out]. */
export function eqDense(x: tf.Tensor2D, kernel: tf.Tensor2D, bias: tf.Tensor1D | null, lrMul = 1): tf.Tensor2D {
  const gain = lrMul / Math.sqrt(kernel.shape[0]);
  let y = tf.matMul(x, tf.mul(kernel, gain)) as tf.Tensor2D; // [N, Out]
  if (bias) y = tf.add(y, lrMul === 1 ? bias : tf.mul(bias, lrMul)) as tf.Tensor2D;
  return y;
}

/** Equalized-lr convolution, 'same' padding, stride 1: x [N, H, W, Cin], kernel [k, k, Cin, Cout] N(0, 1). */
export function eqConv2d(x: tf.Tensor4D, kernel: tf.Tensor4D, gain = 1): tf.Tensor4D {
  const [kh, kw, cin] = kernel.shape;
  const g = gain / Math.sqrt(kh * kw * cin);
  return tf.conv2d(x, tf.mul(kernel, g) as tf.Tensor4D, 1, 'same'); // [N, H, W, Cout]
}

/**
 * Modulated convolution, non-fused: x [N, H, W, Cin], kernel [k, k, Cin, Cout] (N(0, 1), scaled by
 * 1/sqrt(k*k*Cin) here), styles [N, Cin] -> [N, H, W, Cout]. With `demodulate`, each output
 * channel of each sample is divided by the L2 norm of its effective (modulated) weights.
 */
export function modulatedConv2d(
  x: tf.Tensor4D,
  kernel: tf.Tensor4D,
  styles: tf.Tensor2D,
  demodulate = true,
): tf.Tensor4D {
  const [kh, kw, cin, cout] = kernel.shape;
  const n = x.shape[0];
  const w = tf.mul(kernel, 1 / Math.sqrt(kh * kw * cin)) as tf.Tensor4D; // [k, k, Cin, Cout]
  const xs = tf.mul(x, tf.reshape(styles, [n, 1, 1, cin])) as tf.Tensor4D; // [N, H, W, Cin]
  const y = tf.conv2d(xs, w, 1, 'same'); // [N, H, W, Cout]
  if (!demodulate) return y;
  const d = demodulation(w, styles); // [N, Cout]
  return tf.mul(y, tf.reshape(d, [n, 1, 1, cout])) as tf.Tensor4D;
}

/** Demodulation coefficients 1/sqrt(sum_{k,k,cin} (w * s)^2 + 1e-8): w [k, k, Cin, Cout], styles [N, Cin] -> [N, Cout]. */
export function demodulation(w: tf.Tensor4D, styles: tf.Tensor2D): tf.Tensor2D {
  const w2 = tf.sum(tf.square(w), [0, 1]) as tf.Tensor2D; // [Cin, Cout]
  return tf.rsqrt(tf.add(tf.matMul(tf.square(styles), w2), 1e-8)) as tf.Tensor2D; // [N, Cout]
}

/** The fused formulation (one modulated, normalized weight per sample): the slow reference. */
export function modulatedConv2dReference(
  x: tf.Tensor4D,
  kernel: tf.Tensor4D,
  styles: tf.Tensor2D,
  demodulate = true,
): tf.Tensor4D {
  const [kh, kw, cin, cout] = kernel.shape;
  const n = x.shape[0];
  const outs: tf.Tensor4D[] = [];
  for (let i = 0; i < n; i++) {
    const s = tf.reshape(tf.slice(styles, [i, 0], [1, cin]), [1, 1, cin, 1]); // [1, 1, Cin, 1]
    let w = tf.mul(tf.mul(kernel, 1 / Math.sqrt(kh * kw * cin)), s) as tf.Tensor4D; // [k, k, Cin, Cout]
    if (demodulate) w = tf.mul(w, tf.rsqrt(tf.add(tf.sum(tf.square(w), [0, 1, 2], true), 1e-8))) as tf.Tensor4D;
    outs.push(tf.conv2d(tf.slice(x, [i, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D, w, 1, 'same'));
  }
  void cout;
  return tf.concat(outs, 0) as tf.Tensor4D; // [N, H, W, Cout]
}

/** The largest group size <= `groupSize` that divides the batch. */
export function mbstdGroup(n: number, groupSize: number): number {
  let g = Math.max(1, Math.min(groupSize, n));
  while (n % g !== 0) g--;
  return g;
}

/**
 * Minibatch standard deviation (one feature): samples n = g*M + m form M groups of G (the
 * reference's x.reshape(G, -1, ...)); the std over each group, averaged over H, W, C, is appended
 * as one constant channel: x [N, H, W, C] -> [N, H, W, C+1].
 */
export function minibatchStd(x: tf.Tensor4D, groupSize = 4): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const g = mbstdGroup(n, groupSize);
  const m = n / g;
  const y = tf.reshape(x, [g, m, h, w, c]); // [G, M, H, W, C]
  const centred = tf.sub(y, tf.mean(y, 0, true)); // [G, M, H, W, C]
  const std = tf.sqrt(tf.add(tf.mean(tf.square(centred), 0), 1e-8)); // [M, H, W, C]
  const s = tf.mean(tf.reshape(std, [m, h * w * c]), 1); // [M]
  const feat = tf.mul(tf.reshape(s, [1, m, 1, 1, 1]), tf.ones([g, 1, h, w, 1])); // [G, M, H, W, 1]
  return tf.concat([x, tf.reshape(feat, [n, h, w, 1]) as tf.Tensor4D], 3); // [N, H, W, C+1]
}

/** minibatchStd written as a loop over groups (the slow reference). */
export function minibatchStdReference(x: tf.Tensor4D, groupSize = 4): tf.Tensor4D {
  const [n, h, w] = x.shape;
  const g = mbstdGroup(n, groupSize);
  const m = n / g;
  const feats: tf.Tensor[] = [];
  const stds: tf.Tensor[] = [];
  for (let j = 0; j < m; j++) {
    const members = Array.from({ length: g }, (_, k) => tf.slice(x, [k * m + j, 0, 0, 0], [1, -1, -1, -1]));
    const mean = tf.div(tf.addN(members), g);
    const v = tf.div(tf.addN(members.map((t) => tf.square(tf.sub(t, mean)))), g);
    stds.push(tf.mean(tf.sqrt(tf.add(v, 1e-8))));
  }
  for (let i = 0; i < n; i++) feats.push(tf.add(tf.zeros([1, h, w, 1]), stds[i % m]!));
  return tf.concat([x, tf.concat(feats, 0) as tf.Tensor4D], 3);
}

/** 2x nearest-neighbour upsampling: [N, H, W, C] -> [N, 2H, 2W, C] (broadcast multiply). */
export function upsample2x(x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const y = tf.mul(tf.reshape(x, [n, h, 1, w, 1, c]), tf.ones([1, 1, 2, 1, 2, 1])); // [N, H, 2, W, 2, C]
  return tf.reshape(y, [n, 2 * h, 2 * w, c]);
}

/** 2x2 box downsampling (average pooling): [N, H, W, C] -> [N, H/2, W/2, C]. */
export function downsample2x(x: tf.Tensor4D): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  return tf.mean(tf.reshape(x, [n, h / 2, 2, w / 2, 2, c]), [2, 4]) as tf.Tensor4D; // [N, H/2, W/2, C]
}

/** z * rsqrt(mean(z^2) + 1e-8) per row (the mapping network's input normalization): [N, D]. */
export function normalize2ndMoment(z: tf.Tensor2D): tf.Tensor2D {
  return tf.mul(z, tf.rsqrt(tf.add(tf.mean(tf.square(z), 1, true), 1e-8))) as tf.Tensor2D;
}
