// Spectral normalization (Miyato, Kataoka, Koyama & Yoshida 2018): each weight matrix W is used as
// W / sigma(W), with sigma the largest singular value estimated by one power iteration per training
// forward pass on a persistent vector u (a non-trainable weight, so it is checkpointed). Gradients
// flow through sigma with u and v held constant, as in the paper.
// Layers: SNDense and SNConv2D (tfjs-layers custom layers), plus the plain function for tests.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

type Kwargs = { training?: boolean; [k: string]: unknown };
/** The part of tfjs-layers' LayerVariable used here (the class is not exported from its index). */
interface LayerVariable {
  read(): tf.Tensor;
  write(v: tf.Tensor): unknown;
  shape: number[];
}

/** Identity whose gradient is zero (tfjs has no stop_gradient op). */
export const stopGradient: (x: tf.Tensor) => tf.Tensor = tf.customGrad(((x: tf.Tensor) => ({
  value: tf.clone(x),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
})) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor) => tf.Tensor;

const l2normalize = (x: tf.Tensor, eps = 1e-12): tf.Tensor => tf.div(x, tf.add(tf.norm(x), eps));

/**
 * One power iteration on the matrix w [m, n] from u [n]: returns sigma (differentiable in w),
 * the new u [n] (constant). v = normalize(w u), u' = normalize(w^T v), sigma = v^T w u'.
 */
export function spectralNormStep(w: tf.Tensor2D, u: tf.Tensor1D): { sigma: tf.Scalar; u: tf.Tensor1D } {
  return tf.tidy(() => {
    const [v, u2] = tf.tidy(() => {
      const wc = stopGradient(w) as tf.Tensor2D;
      const v = l2normalize(tf.reshape(tf.matMul(wc, tf.reshape(u, [-1, 1])), [-1])); // [m]
      const u2 = l2normalize(tf.reshape(tf.matMul(tf.reshape(v, [1, -1]), wc), [-1])); // [n]
      return [v, u2];
    });
    // sigma = v^T W u'
    const sigma = tf.sum(tf.mul(tf.reshape(tf.matMul(w, tf.reshape(u2, [-1, 1])), [-1]), v)) as tf.Scalar;
    return { sigma, u: u2 as tf.Tensor1D };
  });
}

export interface SNDenseArgs {
  units: number;
  /** Use a bias (not normalized). */
  useBias?: boolean;
  /** Power iterations per training forward pass. */
  powerIterations?: number;
  name?: string;
  inputShape?: number[];
}

/** Dense layer with a spectrally normalized kernel [in, units]. */
export class SNDense extends tfl.layers.Layer {
  static readonly className = 'TsganSNDense';
  readonly units: number;
  readonly useBias: boolean;
  readonly powerIterations: number;
  private kernel!: LayerVariable;
  private bias: LayerVariable | null = null;
  private u!: LayerVariable;

  constructor(args: SNDenseArgs) {
    super({ name: args.name, inputShape: args.inputShape });
    this.units = args.units;
    this.useBias = args.useBias ?? true;
    this.powerIterations = args.powerIterations ?? 1;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const fanIn = s[s.length - 1] as number;
    this.kernel = this.addWeight(
      'kernel',
      [fanIn, this.units],
      'float32',
      tfl.initializers.glorotUniform({}),
    ) as unknown as LayerVariable;
    if (this.useBias)
      this.bias = this.addWeight('bias', [this.units], 'float32', tfl.initializers.zeros()) as unknown as LayerVariable;
    this.u = this.addWeight(
      'sn_u',
      [this.units],
      'float32',
      tfl.initializers.randomNormal({}),
      undefined,
      false,
    ) as unknown as LayerVariable;
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    return [...s.slice(0, -1), this.units];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs; // [N, in]
      const w = normalizedKernel(
        this.kernel,
        this.u,
        [this.kernel.shape[0], this.units],
        this.powerIterations,
        kwargs.training === true,
      );
      let y = tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D); // [N, units]
      if (this.bias) y = tf.add(y, this.bias.read());
      return y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), units: this.units, useBias: this.useBias, powerIterations: this.powerIterations };
  }
}

export interface SNConv2DArgs {
  filters: number;
  kernelSize: number;
  strides?: number;
  padding?: 'same' | 'valid';
  useBias?: boolean;
  powerIterations?: number;
  name?: string;
  inputShape?: number[];
}

/** 2-D convolution (NHWC) with a spectrally normalized kernel [k, k, cin, filters]. */
export class SNConv2D extends tfl.layers.Layer {
  static readonly className = 'TsganSNConv2D';
  readonly filters: number;
  readonly kernelSize: number;
  readonly strides: number;
  readonly padding: 'same' | 'valid';
  readonly useBias: boolean;
  readonly powerIterations: number;
  private kernel!: LayerVariable;
  private bias: LayerVariable | null = null;
  private u!: LayerVariable;

  constructor(args: SNConv2DArgs) {
    super({ name: args.name, inputShape: args.inputShape });
    this.filters = args.filters;
    this.kernelSize = args.kernelSize;
    this.strides = args.strides ?? 1;
    this.padding = args.padding ?? 'same';
    this.useBias = args.useBias ?? true;
    this.powerIterations = args.powerIterations ?? 1;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const cin = s[s.length - 1] as number;
    const k = this.kernelSize;
    this.kernel = this.addWeight(
      'kernel',
      [k, k, cin, this.filters],
      'float32',
      tfl.initializers.glorotUniform({}),
    ) as unknown as LayerVariable;
    if (this.useBias)
      this.bias = this.addWeight(
        'bias',
        [this.filters],
        'float32',
        tfl.initializers.zeros(),
      ) as unknown as LayerVariable;
    this.u = this.addWeight(
      'sn_u',
      [this.filters],
      'float32',
      tfl.initializers.randomNormal({}),
      undefined,
      false,
    ) as unknown as LayerVariable;
    this.built = true;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const out = (n: number | null) =>
      n == null
        ? null
        : this.padding === 'same'
          ? Math.ceil(n / this.strides)
          : Math.ceil((n - this.kernelSize + 1) / this.strides);
    return [s[0], out(s[1]), out(s[2]), this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D; // [N, H, W, Cin]
      const [k, , cin] = this.kernel.shape;
      const w = normalizedKernel(
        this.kernel,
        this.u,
        [k * k * cin, this.filters],
        this.powerIterations,
        kwargs.training === true,
      );
      let y: tf.Tensor = tf.conv2d(x, w as tf.Tensor4D, this.strides, this.padding); // [N, H', W', filters]
      if (this.bias) y = tf.add(y, this.bias.read());
      return y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      useBias: this.useBias,
      powerIterations: this.powerIterations,
    };
  }
}

/**
 * kernel / sigma, where sigma comes from power iteration on the kernel seen as a [fanIn, out] matrix.
 * Training passes update u; inference passes reuse it (one extra sigma evaluation, no update).
 */
function normalizedKernel(
  kernel: LayerVariable,
  uVar: LayerVariable,
  matShape: [number, number],
  iters: number,
  training: boolean,
): tf.Tensor {
  const w = kernel.read();
  const wm = tf.reshape(w, matShape) as tf.Tensor2D; // [fanIn, out]
  let u = uVar.read() as tf.Tensor1D; // [out]
  let sigma: tf.Scalar | null = null;
  for (let i = 0; i < Math.max(1, iters); i++) {
    const r = spectralNormStep(wm, u);
    sigma = r.sigma;
    u = r.u;
  }
  if (training) uVar.write(u);
  return tf.div(w, sigma!);
}

tf.serialization.registerClass(
  SNDense as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
);
tf.serialization.registerClass(
  SNConv2D as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
);
