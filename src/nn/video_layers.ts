// Layers of the video GAN (MoCoGAN, src/models/mocogan.ts), all serializable tfjs-layers layers:
// - MotionGRU: the latent [N, C + M + T*E] (content code, initial hidden state, T noise vectors)
//   -> per-frame codes [N*T, C + M]: the content code repeated over the T frames beside the motion
//   codes h_1..h_T of a GRU cell (PyTorch's GRUCell equations, gates r, z, n) run over the noise,
//   optionally minus each clip's mean over its frames (`centerMotion`).
//   Frames of one clip are consecutive rows, so one image generator renders all frames as one batch.
// - FramesToClips: [N*T, H, W, C] -> [N, T, H, W, C] (a reshape that regroups frames into clips).
// - FrameConv2D: a 2-D convolution applied to every frame of [N, T, H, W, C] (frames batched:
//   [N*T, H, W, C] through one native FusedConv2D).
// - TimeConv: a 1-D convolution along time of [N, T, H, W, C] with a [kt] kernel, computed by the
//   native Conv2D on the [N, T, H*W, C] view with a [kt, 1] kernel.
// FrameConv2D then TimeConv is the (2+1)-D convolution of Tran et al. 2018 ("A Closer Look at
// Spatiotemporal Convolutions for Action Recognition"), which factorizes a 3-D kernel into a spatial
// and a temporal one; every FLOP runs in the native 2-D convolution kernels, forward and backward
// (autograd of reshape and conv2d), with no 3-D kernel to write.
// The slow reference paths are float64 loops in test/nn/video_layers.test.ts, which checks values
// and gradients (central finite differences).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import type { Rng } from '../train/rng.js';

interface LayerVariable {
  read(): tf.Tensor;
}

const first = (inputs: tf.Tensor | tf.Tensor[]) => (Array.isArray(inputs) ? inputs[0]! : inputs);
const shapeOf = (s: tfl.Shape | tfl.Shape[]) => (Array.isArray(s[0]) ? s[0] : s) as tfl.Shape;

export interface MotionGRUArgs {
  /** Length C of the content code (the latent's first C components). */
  contentDim: number;
  /** Length M of the motion codes (the GRU's hidden state; the next M components are h_0). */
  motionDim: number;
  /** Length E of each frame's noise vector (the GRU's input; the last T*E components). */
  noiseDim: number;
  /** Frames T per clip. */
  frames: number;
  /** Subtract each clip's mean over its T frames from its motion codes (default false: the reference's h(t)). */
  centerMotion?: boolean;
  name?: string;
}

/**
 * One GRU step (PyTorch GRUCell): gx = x Wx + bx and gh = h Wh + bh, each [N, 3M] as (r, z, n) blocks;
 * r = sigmoid(gx_r + gh_r), z = sigmoid(gx_z + gh_z), n = tanh(gx_n + r * gh_n), h' = (1 - z) * n + z * h.
 */
export function gruStep(gx: tf.Tensor2D, h: tf.Tensor2D, wh: tf.Tensor2D, bh: tf.Tensor1D): tf.Tensor2D {
  const m = h.shape[1];
  const gh = tf.add(tf.matMul(h, wh), bh) as tf.Tensor2D; // [N, 3M]
  const [xr, xz, xn] = tf.split(gx, [m, m, m], 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  const [hr, hz, hn] = tf.split(gh, [m, m, m], 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
  const r = tf.sigmoid(tf.add(xr, hr)); // [N, M]
  const zg = tf.sigmoid(tf.add(xz, hz)); // [N, M]
  const n = tf.tanh(tf.add(xn, tf.mul(r, hn))); // [N, M]
  return tf.add(n, tf.mul(zg, tf.sub(h, n))) as tf.Tensor2D; // (1 - z) n + z h
}

/** MoCoGAN's content + recurrent motion codes: [N, C + M + T*E] -> [N*T, C + M]. */
export class MotionGRU extends tfl.layers.Layer {
  static readonly className = 'TsganMotionGRU';
  readonly contentDim: number;
  readonly motionDim: number;
  readonly noiseDim: number;
  readonly frames: number;
  readonly centerMotion: boolean;
  private wx: LayerVariable | null = null;
  private wh: LayerVariable | null = null;
  private bx: LayerVariable | null = null;
  private bh: LayerVariable | null = null;

  constructor(args: MotionGRUArgs) {
    super({ name: args.name });
    for (const k of ['contentDim', 'motionDim', 'noiseDim', 'frames'] as const)
      if (!Number.isInteger(args[k]) || args[k] < 1) throw new Error(`MotionGRU: ${k} must be a positive integer`);
    this.contentDim = args.contentDim;
    this.motionDim = args.motionDim;
    this.noiseDim = args.noiseDim;
    this.frames = args.frames;
    this.centerMotion = args.centerMotion ?? false;
  }

  /** Latent length C + M + T*E. */
  get latentDim(): number {
    return this.contentDim + this.motionDim + this.frames * this.noiseDim;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const s = shapeOf(inputShape);
    if (s[s.length - 1] !== this.latentDim)
      throw new Error(`MotionGRU: the latent has ${s[s.length - 1]} components, expected ${this.latentDim}`);
    const m = this.motionDim;
    const init = tfl.initializers.randomUniform({ minval: -1 / Math.sqrt(m), maxval: 1 / Math.sqrt(m) });
    this.wx = this.addWeight('kernel', [this.noiseDim, 3 * m], 'float32', init) as unknown as LayerVariable;
    this.wh = this.addWeight('recurrent_kernel', [m, 3 * m], 'float32', init) as unknown as LayerVariable;
    this.bx = this.addWeight('bias', [3 * m], 'float32', init) as unknown as LayerVariable;
    this.bh = this.addWeight('recurrent_bias', [3 * m], 'float32', init) as unknown as LayerVariable;
    this.built = true;
  }

  /** PyTorch's GRUCell initialization, U(-1/sqrt(M), 1/sqrt(M)) for every weight, from the run's RNG. */
  initialValues(_weightName: string, shape: number[], rng: Rng): Float32Array {
    const k = 1 / Math.sqrt(this.motionDim);
    return rng.uniforms(
      shape.reduce((a, b) => a * b, 1),
      -k,
      k,
    );
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const n = shapeOf(inputShape)[0];
    return [n == null ? null : n * this.frames, this.contentDim + this.motionDim];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const zIn = first(inputs) as tf.Tensor2D; // [N, C + M + T*E]
      const [c, m, e, t] = [this.contentDim, this.motionDim, this.noiseDim, this.frames];
      const n = zIn.shape[0];
      if (zIn.shape[1] !== this.latentDim)
        throw new Error(`MotionGRU: the latent has ${zIn.shape[1]} components, expected ${this.latentDim}`);
      const [content, h0, noise] = tf.split(zIn, [c, m, t * e], 1) as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
      const wh = this.wh!.read() as tf.Tensor2D;
      const bh = this.bh!.read() as tf.Tensor1D;
      // Input projections of all frames at once: [N*T, E] x [E, 3M].
      const gxAll = tf.reshape(
        tf.add(tf.matMul(tf.reshape(noise, [n * t, e]), this.wx!.read() as tf.Tensor2D), this.bx!.read()),
        [n, t * 3 * m],
      ); // [N, T*3M]
      const gxs = tf.split(gxAll, t, 1) as tf.Tensor2D[]; // T x [N, 3M]
      let state = h0; // [N, M]
      const hs: tf.Tensor2D[] = [];
      for (let f = 0; f < t; f++) {
        state = gruStep(gxs[f]!, state, wh, bh);
        hs.push(state);
      }
      const h = tf.reshape(tf.concat(hs, 1), [n, t, m]); // [N, T, M]
      const motion = this.centerMotion ? tf.sub(h, tf.mean(h, 1, true)) : h; // [N, T, M]
      const contentT = tf.tile(tf.reshape(content, [n, 1, c]), [1, t, 1]); // [N, T, C]
      return tf.reshape(tf.concat([contentT, motion], 2), [n * t, c + m]); // [N*T, C + M]
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      contentDim: this.contentDim,
      motionDim: this.motionDim,
      noiseDim: this.noiseDim,
      frames: this.frames,
      centerMotion: this.centerMotion,
    };
  }
}

/** Regroups frames [N*T, H, W, C] into clips [N, T, H, W, C]. */
export class FramesToClips extends tfl.layers.Layer {
  static readonly className = 'TsganFramesToClips';
  readonly frames: number;

  constructor(args: { frames: number; name?: string }) {
    super({ name: args.name });
    if (!Number.isInteger(args.frames) || args.frames < 1)
      throw new Error('FramesToClips: frames must be a positive integer');
    this.frames = args.frames;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const [n, ...rest] = shapeOf(inputShape);
    return [n == null ? null : n / this.frames, this.frames, ...rest];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = first(inputs); // [N*T, H, W, C]
    const [nt, ...rest] = x.shape;
    if (nt! % this.frames !== 0)
      throw new Error(`FramesToClips: ${nt} frames do not split into clips of ${this.frames}`);
    return tf.reshape(x, [nt! / this.frames, this.frames, ...rest]); // [N, T, H, W, C]
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), frames: this.frames };
  }
}

export interface ClipConvArgs {
  filters: number;
  /** Spatial side k (FrameConv2D) or temporal length kt (TimeConv). */
  kernelSize: number;
  strides?: number;
  padding?: 'same' | 'valid';
  useBias?: boolean;
  name?: string;
}
export type FrameConv2DArgs = ClipConvArgs;
export type TimeConvArgs = ClipConvArgs;

/** What the two clip convolutions share: options, a Conv2D kernel of `kernelShape(cin)`, an optional bias, the config. */
abstract class ClipConv extends tfl.layers.Layer {
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: 'same' | 'valid';
  readonly useBias: boolean;
  protected kernel: LayerVariable | null = null;
  protected bias: LayerVariable | null = null;

  constructor(args: ClipConvArgs, defaultPadding: 'same' | 'valid') {
    super({ name: args.name });
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.strides = args.strides ?? 1;
    this.padding = args.padding ?? defaultPadding;
    this.useBias = args.useBias ?? true;
  }

  /** The stored Conv2D kernel's shape for `cin` input channels. */
  protected abstract kernelShape(cin: number): number[];

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const s = shapeOf(inputShape);
    if (s.length !== 5) throw new Error(`${this.getClassName()} takes clips [N, T, H, W, C], got rank ${s.length}`);
    const init = tfl.initializers.glorotUniform({});
    this.kernel = this.addWeight(
      'kernel',
      this.kernelShape(s[4] as number),
      'float32',
      init,
    ) as unknown as LayerVariable;
    if (this.useBias)
      this.bias = this.addWeight(
        'bias',
        [this.filters],
        'float32',
        tfl.initializers.zeros(),
      ) as unknown as LayerVariable;
    this.built = true;
  }

  /**
   * The kernel from N(0, 2 / ((1 + 0.2^2) fan_in)) (He et al. 2015 for the LeakyReLU(0.2) that follows
   * it in the video discriminator), whatever the run's scheme; the bias from the scheme (zeros). DCGAN's
   * N(0, 0.02) shrinks the signal ~5-10x per convolution here (fan-in 4*4*C or 4*C, no normalization):
   * over D_V's six convolutions its logits started near 1e-4 and, trained alone on moving against
   * still clips, its loss stayed at ln 4 for ~90 steps.
   */
  initialValues(weightName: string, shape: number[], rng: Rng): Float32Array | null {
    if (weightName !== 'kernel') return null;
    const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const std = Math.sqrt(2 / ((1 + 0.2 ** 2) * fanIn));
    return rng.normals(shape.reduce((a, b) => a * b, 1)).map((v) => v * std);
  }

  /** Output length along one convolved axis of input length x. */
  protected side(x: number | null): number | null {
    if (x == null) return null;
    return this.padding === 'same' ? Math.ceil(x / this.strides) : Math.floor((x - this.kernelSize) / this.strides) + 1;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      useBias: this.useBias,
    };
  }
}

/** A 2-D convolution of every frame: [N, T, H, W, Cin] -> [N, T, H', W', Cout]. */
export class FrameConv2D extends ClipConv {
  static readonly className = 'TsganFrameConv2D';

  constructor(args: FrameConv2DArgs) {
    super(args, 'same');
  }

  protected kernelShape(cin: number): number[] {
    return [this.kernelSize, this.kernelSize, cin, this.filters];
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const [n, t, h, w] = shapeOf(inputShape);
    return [n ?? null, t ?? null, this.side(h ?? null), this.side(w ?? null), this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = first(inputs) as tf.Tensor5D; // [N, T, H, W, Cin]
      const [n, t, h, w, c] = x.shape;
      const frames = tf.reshape(x, [n * t, h, w, c]) as tf.Tensor4D; // [N*T, H, W, Cin]
      const y = tf.fused.conv2d({
        x: frames,
        filter: this.kernel!.read() as tf.Tensor4D,
        strides: this.strides,
        pad: this.padding,
        bias: this.bias ? this.bias.read() : undefined,
      }); // [N*T, H', W', Cout]
      const [, ho, wo, co] = y.shape;
      return tf.reshape(y, [n, t, ho, wo, co]); // [N, T, H', W', Cout]
    });
  }
}

/** A 1-D convolution along time at every pixel: [N, T, H, W, Cin] -> [N, T', H, W, Cout]. */
export class TimeConv extends ClipConv {
  static readonly className = 'TsganTimeConv';

  constructor(args: TimeConvArgs) {
    super(args, 'valid');
  }

  /** Stored as a [kt, 1, Cin, Cout] Conv2D kernel (fans as a 1-D convolution's). */
  protected kernelShape(cin: number): number[] {
    return [this.kernelSize, 1, cin, this.filters];
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const [n, t, h, w] = shapeOf(inputShape);
    return [n ?? null, this.side(t ?? null), h ?? null, w ?? null, this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = first(inputs) as tf.Tensor5D; // [N, T, H, W, Cin]
      const [n, t, h, w, c] = x.shape;
      const view = tf.reshape(x, [n, t, h * w, c]) as tf.Tensor4D; // [N, T, H*W, Cin]: time as the image height
      const y = tf.fused.conv2d({
        x: view,
        filter: this.kernel!.read() as tf.Tensor4D,
        strides: [this.strides, 1],
        pad: this.padding,
        bias: this.bias ? this.bias.read() : undefined,
      }); // [N, T', H*W, Cout]
      return tf.reshape(y, [n, y.shape[1], h, w, this.filters]); // [N, T', H, W, Cout]
    });
  }
}

for (const cls of [MotionGRU, FramesToClips, FrameConv2D, TimeConv])
  tf.serialization.registerClass(
    cls as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
  );
