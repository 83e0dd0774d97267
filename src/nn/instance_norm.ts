// Instance normalization (Ulyanov, Vedaldi & Lempitsky 2016): each image's each channel is
// normalized over its own H x W pixels, the same at training and at inference (no running
// statistics), as CycleGAN's and pix2pix's reference code use it (PyTorch InstanceNorm2d with
// affine=False, track_running_stats=False: tsgan's default here). With `affine` on, a learned
// per-channel scale and shift follow.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** (x - mean) / sqrt(var + eps) per (image, channel) over H and W; x [N, H, W, C]. */
export function instanceNorm(x: tf.Tensor4D, epsilon = 1e-5): tf.Tensor4D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, [1, 2], true); // [N, 1, 1, C] each
    return tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, epsilon))) as tf.Tensor4D; // [N, H, W, C]
  });
}

export interface InstanceNormArgs {
  /** Learned per-channel scale (init 1) and shift (init 0) after normalizing. Default false, as CycleGAN. */
  affine?: boolean;
  /** Added to the variance. Default 1e-5, as PyTorch. */
  epsilon?: number;
  name?: string;
  inputShape?: number[];
}

interface LayerVariable {
  read(): tf.Tensor;
}

/** tfjs-layers layer around instanceNorm (serializable, so exported generators keep it). */
export class InstanceNorm extends tfl.layers.Layer {
  static readonly className = 'TsganInstanceNorm';
  readonly affine: boolean;
  readonly epsilon: number;
  private gamma: LayerVariable | null = null;
  private beta: LayerVariable | null = null;

  constructor(args: InstanceNormArgs = {}) {
    super({ name: args.name, inputShape: args.inputShape });
    this.affine = args.affine ?? false;
    this.epsilon = args.epsilon ?? 1e-5;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const c = s[s.length - 1] as number;
    if (this.affine) {
      this.gamma = this.addWeight('gamma', [c], 'float32', tfl.initializers.ones()) as unknown as LayerVariable;
      this.beta = this.addWeight('beta', [c], 'float32', tfl.initializers.zeros()) as unknown as LayerVariable;
    }
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const y = instanceNorm(x, this.epsilon);
      if (!this.gamma || !this.beta) return y;
      return tf.add(tf.mul(y, this.gamma.read()), this.beta.read());
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), affine: this.affine, epsilon: this.epsilon };
  }
}

tf.serialization.registerClass(
  InstanceNorm as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
);
