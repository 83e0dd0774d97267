// Instance normalization (Ulyanov, Vedaldi & Lempitsky 2016): each image's each channel is
// normalized over its own H x W pixels, the same at training and at inference (no running
// statistics), as CycleGAN's and pix2pix's reference code use it (PyTorch InstanceNorm2d with
// affine=False, track_running_stats=False: tsgan's default here). With `affine` on, a learned
// per-channel scale and shift follow.
// On the native backend each image is one call of the fused batch-norm kernels (an image's H*W
// pixels are the rows, gamma 1 and beta 0: the same statistics), forward and backward, instead of
// the dozen composed kernels of `instanceNormReference`, which every other backend runs.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import { valuesF32 } from '../backend/in_place.js';
import { activeNativeBackend } from '../backend/active_native.js';
import type { NativeBackend } from '../backend/native_backend.js';

/** (x - mean) / sqrt(var + eps) per (image, channel) over H and W; x [N, H, W, C]. */
export function instanceNorm(x: tf.Tensor4D, epsilon = 1e-5): tf.Tensor4D {
  const backend = activeNativeBackend();
  if (backend != null && x.dtype === 'float32' && x.rank === 4 && x.size > 0)
    return fusedInstanceNorm(backend, x, epsilon);
  return instanceNormReference(x, epsilon);
}

/** The fused path: per image, BatchNormTrain forward and BatchNormTrainGrad backward (native/kernels/batch_norm_train.cc). */
function fusedInstanceNorm(backend: NativeBackend, x: tf.Tensor4D, eps: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const per = h * w * c;
  const ones = new Float32Array(c).fill(1);
  const zeros = new Float32Array(c);
  const op = tf.customGrad(((xIn: tf.Tensor4D, save: tf.GradSaveFunc) => {
    const xv = valuesF32(backend, xIn) ?? (xIn.dataSync() as Float32Array);
    const y = backend.allocF32(xv.length, false); // [N, H, W, C]
    const mean = new Float32Array(n * c); // [N, C]
    const variance = new Float32Array(n * c); // [N, C]
    for (let k = 0; k < n; k++) {
      const at = (a: Float32Array, size: number) => a.subarray(k * size, (k + 1) * size);
      backend.run('BatchNormTrain', at(xv, per), ones, zeros, eps, at(y, per), at(mean, c), at(variance, c));
    }
    save([xIn, tf.tensor2d(mean, [n, c]), tf.tensor2d(variance, [n, c])]);
    return {
      value: tf.tensor4d(y, x.shape),
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [xs, ms, vs] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        const d = (Array.isArray(dy) ? dy[0] : dy)!;
        const dyv = valuesF32(backend, d) ?? (d.dataSync() as Float32Array);
        const xsv = valuesF32(backend, xs) ?? (xs.dataSync() as Float32Array);
        const mv = ms.dataSync() as Float32Array;
        const vv = vs.dataSync() as Float32Array;
        const dx = backend.allocF32(dyv.length, false);
        const scratch = new Float32Array(2 * c); // dgamma, dbeta: unused (no affine weights here)
        for (let k = 0; k < n; k++) {
          const at = (a: Float32Array, size: number) => a.subarray(k * size, (k + 1) * size);
          backend.run(
            'BatchNormTrainGrad',
            at(xsv, per),
            at(dyv, per),
            at(mv, c),
            at(vv, c),
            ones,
            eps,
            at(dx, per),
            scratch.subarray(0, c),
            scratch.subarray(c),
          );
        }
        return tf.tensor4d(dx, x.shape);
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x) as tf.Tensor4D;
}

/** The slow reference path: tf.moments and the normalization, composed (autograd gives the gradient). */
export function instanceNormReference(x: tf.Tensor4D, epsilon = 1e-5): tf.Tensor4D {
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
