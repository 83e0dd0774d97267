// tfjs-layers layers of StyleGAN2 (Karras et al. 2020) around the fused ops of stylegan_fused.ts
// (native kernels on the native backend; the tfjs reference paths of stylegan_ops.ts elsewhere),
// serializable (getConfig + registerClass) so a saved or exported network keeps them. Each layer
// draws its own initial weights from the trainer's seeded RNG (initialValues, see src/nn/init.ts):
// equalized-lr kernels N(0, 1/lrMul^2), the modulation bias 1, the learned constant N(0, 1), noise
// strengths 0.
//   EqDense        x [N, In] -> [N, Out] (lr multiplier: 0.01 in the mapping network)
//   EqConv2D       x [N, H, W, Cin] -> [N, H, W, Cout] (D's convolutions; an output gain for the residual sum)
//   ModConv2D      [x [N, H, W, Cin], w [N, Wd], (noise [N, H, W, 1])] -> [N, H, W, Cout]: affine style,
//                  modulated (+ demodulated) convolution, per-pixel noise times a learned strength,
//                  bias, leaky ReLU; toRGB is a 1x1 ModConv2D without demodulation, noise or activation
//   ConstInput     w [N, Wd] -> the learned constant [N, 4, 4, C]
//   ConstNoise     z [N, Z] -> one fixed noise image [N, s, s, 1] (inference's noise)
//   Resample2x     [N, H, W, C] -> 2x up (nearest) or down (2x2 box)
//   MinibatchStd   [N, H, W, C] -> [N, H, W, C+1]
//   PixelNorm      [N, D] -> [N, D] with unit second moment per row
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import type { Rng } from '../train/rng.js';
import type { SelfInitializingLayer } from './init.js';
import { eqConvAct, eqDenseAct, modConv } from './stylegan_fused.js';
import { down2x, mbStd, repeatBatch, up2x } from './stylegan_fused_batch.js';
import { eqDense, LRELU_GAIN, normalize2ndMoment } from './stylegan_ops.js';

interface LayerVariable {
  read(): tf.Tensor;
}

type Activation = 'linear' | 'lrelu';

function firstShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
  return (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
}

function asList(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor[] {
  return Array.isArray(inputs) ? inputs : [inputs];
}

function register(cls: unknown): void {
  tf.serialization.registerClass(cls as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);
}

/** The output gain of an activation: sqrt(2) after leaky ReLU (bias_act's 'lrelu'), 1 for linear. */
const actGain = (a: Activation) => (a === 'lrelu' ? LRELU_GAIN : 1);

export interface EqDenseArgs {
  units: number;
  /** Learning-rate multiplier (0.01 in the mapping network). Default 1. */
  lrMul?: number;
  /** Initial bias value (the effective bias, after the multiplier). Default 0. */
  biasInit?: number;
  activation?: Activation;
  name?: string;
  inputShape?: number[];
}

/** Equalized-learning-rate dense layer. */
export class EqDense extends tfl.layers.Layer implements SelfInitializingLayer {
  static readonly className = 'TsganEqDense';
  readonly units: number;
  readonly lrMul: number;
  readonly biasInit: number;
  readonly activation: Activation;
  private kernel: LayerVariable | null = null;
  private bias: LayerVariable | null = null;

  constructor(args: EqDenseArgs) {
    super({ name: args.name, inputShape: args.inputShape });
    this.units = args.units;
    this.lrMul = args.lrMul ?? 1;
    this.biasInit = args.biasInit ?? 0;
    this.activation = args.activation ?? 'linear';
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const s = firstShape(inputShape);
    const inDim = s[s.length - 1] as number;
    const init = tfl.initializers.randomNormal({ stddev: 1 / this.lrMul });
    this.kernel = this.addWeight('kernel', [inDim, this.units], 'float32', init) as unknown as LayerVariable;
    this.bias = this.addWeight(
      'bias',
      [this.units],
      'float32',
      tfl.initializers.constant({ value: this.biasInit / this.lrMul }),
    ) as unknown as LayerVariable;
    this.built = true;
  }

  initialValues(role: string, shape: number[], rng: Rng): Float32Array | null {
    const n = shape.reduce((a, b) => a * b, 1);
    if (role === 'kernel') return rng.normals(n).map((v) => v / this.lrMul);
    if (role === 'bias') return new Float32Array(n).fill(this.biasInit / this.lrMul);
    return null;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const s = firstShape(inputShape);
    return [...s.slice(0, -1), this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = asList(inputs)[0] as tf.Tensor2D;
      const kernel = this.kernel!.read() as tf.Tensor2D;
      const bias = this.bias!.read() as tf.Tensor1D;
      return eqDenseAct(x, kernel, bias, this.lrMul, this.activation === 'lrelu', actGain(this.activation)); // [N, units]
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      units: this.units,
      lrMul: this.lrMul,
      biasInit: this.biasInit,
      activation: this.activation,
    };
  }
}
register(EqDense);

export interface EqConv2DArgs {
  filters: number;
  kernelSize: number;
  useBias?: boolean;
  activation?: Activation;
  /** Output multiplier (sqrt(0.5) on both branches of D's residual sum). Default 1. */
  gain?: number;
  name?: string;
}

/** Equalized-learning-rate convolution, stride 1, 'same' padding. */
export class EqConv2D extends tfl.layers.Layer implements SelfInitializingLayer {
  static readonly className = 'TsganEqConv2D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly useBias: boolean;
  readonly activation: Activation;
  readonly gain: number;
  private kernel: LayerVariable | null = null;
  private bias: LayerVariable | null = null;

  constructor(args: EqConv2DArgs) {
    super({ name: args.name });
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.useBias = args.useBias ?? true;
    this.activation = args.activation ?? 'linear';
    this.gain = args.gain ?? 1;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const cin = firstShape(inputShape)[3] as number;
    const k = this.kernelSize;
    this.kernel = this.addWeight(
      'kernel',
      [k, k, cin, this.filters],
      'float32',
      tfl.initializers.randomNormal({ stddev: 1 }),
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

  initialValues(role: string, shape: number[], rng: Rng): Float32Array | null {
    const n = shape.reduce((a, b) => a * b, 1);
    return role === 'kernel' ? rng.normals(n) : role === 'bias' ? new Float32Array(n) : null;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const s = firstShape(inputShape);
    return [s[0], s[1], s[2], this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = asList(inputs)[0] as tf.Tensor4D;
      const kernel = this.kernel!.read() as tf.Tensor4D;
      const bias = this.bias ? (this.bias.read() as tf.Tensor1D) : null;
      return eqConvAct(x, kernel, bias, this.activation === 'lrelu', actGain(this.activation) * this.gain); // [N, H, W, Cout]
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      useBias: this.useBias,
      activation: this.activation,
      gain: this.gain,
    };
  }
}
register(EqConv2D);

export interface ModConv2DArgs {
  filters: number;
  kernelSize: number;
  /** Normalize each output channel by its modulated weights' norm (off for toRGB). Default true. */
  demodulate?: boolean;
  /** Takes a third input, per-pixel noise [N, H, W, 1], scaled by a learned strength. Default true. */
  noise?: boolean;
  activation?: Activation;
  name?: string;
}

/** A synthesis layer: inputs [x [N, H, W, Cin], w [N, Wd], noise [N, H, W, 1]?] -> [N, H, W, Cout]. */
export class ModConv2D extends tfl.layers.Layer implements SelfInitializingLayer {
  static readonly className = 'TsganModConv2D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly demodulate: boolean;
  readonly noise: boolean;
  readonly activation: Activation;
  private affineKernel: LayerVariable | null = null;
  private affineBias: LayerVariable | null = null;
  private kernel: LayerVariable | null = null;
  private noiseStrength: LayerVariable | null = null;
  private bias: LayerVariable | null = null;

  constructor(args: ModConv2DArgs) {
    super({ name: args.name });
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.demodulate = args.demodulate ?? true;
    this.noise = args.noise ?? true;
    this.activation = args.activation ?? 'lrelu';
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const shapes = inputShape as tfl.Shape[];
    const cin = shapes[0]![3] as number;
    const wDim = shapes[1]![1] as number;
    const k = this.kernelSize;
    const normal = tfl.initializers.randomNormal({ stddev: 1 });
    this.affineKernel = this.addWeight('affine_kernel', [wDim, cin], 'float32', normal) as unknown as LayerVariable;
    this.affineBias = this.addWeight(
      'affine_bias',
      [cin],
      'float32',
      tfl.initializers.ones(),
    ) as unknown as LayerVariable;
    this.kernel = this.addWeight('kernel', [k, k, cin, this.filters], 'float32', normal) as unknown as LayerVariable;
    if (this.noise)
      this.noiseStrength = this.addWeight(
        'noise_strength',
        [1],
        'float32',
        tfl.initializers.zeros(),
      ) as unknown as LayerVariable;
    this.bias = this.addWeight('bias', [this.filters], 'float32', tfl.initializers.zeros()) as unknown as LayerVariable;
    this.built = true;
  }

  initialValues(role: string, shape: number[], rng: Rng): Float32Array | null {
    const n = shape.reduce((a, b) => a * b, 1);
    if (role === 'affine_kernel' || role === 'kernel') return rng.normals(n);
    if (role === 'affine_bias') return new Float32Array(n).fill(1);
    if (role === 'noise_strength' || role === 'bias') return new Float32Array(n);
    return null;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const s = (inputShape as tfl.Shape[])[0]!;
    return [s[0], s[1], s[2], this.filters];
  }

  /** The styles [N, Cin] a w [N, Wd] gives this layer (the affine map A of the paper). */
  styles(w: tf.Tensor2D): tf.Tensor2D {
    return eqDense(w, this.affineKernel!.read() as tf.Tensor2D, this.affineBias!.read() as tf.Tensor1D);
  }

  /** The modulation weights [Wd, Cin] (what SeFa decomposes). */
  affineWeights(): tf.Tensor2D {
    return this.affineKernel!.read() as tf.Tensor2D;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [x, w, noise] = asList(inputs) as [tf.Tensor4D, tf.Tensor2D, tf.Tensor4D | undefined];
      const weights = {
        affineKernel: this.affineKernel!.read() as tf.Tensor2D,
        affineBias: this.affineBias!.read() as tf.Tensor1D,
        kernel: this.kernel!.read() as tf.Tensor4D,
        bias: this.bias!.read() as tf.Tensor1D,
        noiseStrength: this.noiseStrength ? this.noiseStrength.read() : null,
      };
      const o = { demodulate: this.demodulate, lrelu: this.activation === 'lrelu', gain: actGain(this.activation) };
      return modConv(x, w, weights, noise ?? null, o); // [N, H, W, Cout]
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      demodulate: this.demodulate,
      noise: this.noise,
      activation: this.activation,
    };
  }
}
register(ModConv2D);

export interface ConstInputArgs {
  channels: number;
  size: number;
  name?: string;
}

/** The learned constant input of the synthesis network, repeated over the batch of its input w [N, Wd]. */
export class ConstInput extends tfl.layers.Layer implements SelfInitializingLayer {
  static readonly className = 'TsganConstInput';
  readonly channels: number;
  readonly size: number;
  private value: LayerVariable | null = null;

  constructor(args: ConstInputArgs) {
    super({ name: args.name });
    this.channels = args.channels;
    this.size = args.size;
  }

  override build(): void {
    this.value = this.addWeight(
      'const',
      [1, this.size, this.size, this.channels],
      'float32',
      tfl.initializers.randomNormal({ stddev: 1 }),
    ) as unknown as LayerVariable;
    this.built = true;
  }

  initialValues(role: string, shape: number[], rng: Rng): Float32Array | null {
    return role === 'const' ? rng.normals(shape.reduce((a, b) => a * b, 1)) : null;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return [firstShape(inputShape)[0], this.size, this.size, this.channels];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const n = asList(inputs)[0]!.shape[0];
      return repeatBatch(this.value!.read(), n); // [N, size, size, C]
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), channels: this.channels, size: this.size };
  }
}
register(ConstInput);

/**
 * One fixed noise image [1, size, size, 1] (N(0, 1), a non-trainable weight drawn from the seeded RNG),
 * repeated over the batch of its input: the reference's noise_mode 'const', so a generator network
 * that takes only z is deterministic (inference, export).
 */
export class ConstNoise extends tfl.layers.Layer implements SelfInitializingLayer {
  static readonly className = 'TsganConstNoise';
  readonly size: number;
  private value: LayerVariable | null = null;

  constructor(args: { size: number; name?: string }) {
    super({ name: args.name }); // the layer stays 'trainable' (init.ts draws its weight); the weight itself is not
    this.size = args.size;
  }

  override build(): void {
    this.value = this.addWeight(
      'noise_const',
      [1, this.size, this.size, 1],
      'float32',
      tfl.initializers.randomNormal({ stddev: 1 }),
      undefined,
      false,
    ) as unknown as LayerVariable;
    this.built = true;
  }

  initialValues(role: string, shape: number[], rng: Rng): Float32Array | null {
    return role === 'noise_const' ? rng.normals(shape.reduce((a, b) => a * b, 1)) : null;
  }

  /** The fixed noise image [1, size, size, 1]. */
  noise(): tf.Tensor4D {
    return this.value!.read() as tf.Tensor4D;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return [firstShape(inputShape)[0], this.size, this.size, 1];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const n = asList(inputs)[0]!.shape[0];
      return tf.mul(this.value!.read(), tf.ones([n, 1, 1, 1])); // [N, size, size, 1]
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), size: this.size };
  }
}
register(ConstNoise);

/** 2x nearest upsampling ('up') or 2x2 box downsampling ('down'). */
export class Resample2x extends tfl.layers.Layer {
  static readonly className = 'TsganResample2x';
  readonly direction: 'up' | 'down';

  constructor(args: { direction: 'up' | 'down'; name?: string }) {
    super({ name: args.name });
    this.direction = args.direction;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const s = firstShape(inputShape);
    const f = (d: number | null) => (d == null ? null : this.direction === 'up' ? d * 2 : d / 2);
    return [s[0], f(s[1] as number | null), f(s[2] as number | null), s[3]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = asList(inputs)[0] as tf.Tensor4D;
    return tf.tidy(() => (this.direction === 'up' ? up2x(x) : down2x(x)));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), direction: this.direction };
  }
}
register(Resample2x);

/** Minibatch standard deviation: appends one channel. */
export class MinibatchStd extends tfl.layers.Layer {
  static readonly className = 'TsganMinibatchStd';
  readonly groupSize: number;

  constructor(args: { groupSize?: number; name?: string } = {}) {
    super({ name: args.name });
    this.groupSize = args.groupSize ?? 4;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const s = firstShape(inputShape);
    return [s[0], s[1], s[2], (s[3] as number) + 1];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = asList(inputs)[0] as tf.Tensor4D;
    return tf.tidy(() => mbStd(x, this.groupSize));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), groupSize: this.groupSize };
  }
}
register(MinibatchStd);

/** Normalizes each row of [N, D] to unit second moment (the mapping network's input). */
export class PixelNorm extends tfl.layers.Layer {
  static readonly className = 'TsganPixelNorm';

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = asList(inputs)[0] as tf.Tensor2D;
    return tf.tidy(() => normalize2ndMoment(x));
  }
}
register(PixelNorm);
