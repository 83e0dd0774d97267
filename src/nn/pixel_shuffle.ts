// Sub-pixel convolution's upsampling step (Shi et al. 2016, "Real-Time Single Image and Video
// Super-Resolution Using an Efficient Sub-Pixel Convolutional Neural Network"), as SRResNet/SRGAN
// use it: [N, H, W, C*r*r] -> [N, H*r, W*r, C]. It is tf.depthToSpace (TensorFlow's channel order:
// the channel (i*r + j)*C + c goes to the pixel offset (i, j)); PyTorch's nn.PixelShuffle orders the
// channels c*r*r + i*r + j instead, a fixed permutation of the preceding convolution's filters.
//
// tfjs 4.22 registers no gradient for DepthToSpace. This module registers one: the inverse
// permutation, SpaceToDepth, which the native backend runs as the tsgan kernel TsganSpaceToDepth
// (src/backend/kernels/SpaceToDepth.ts) and other backends compose from a reshape and a transpose.
// `pixelShuffleReference` is the slow, obviously-correct path (reshape, transpose, reshape) the
// tests compare with.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import { SPACE_TO_DEPTH } from '../backend/kernels/SpaceToDepth.js';

/** Reshape/transpose DepthToSpace: [N, H, W, C*r*r] -> [N, H*r, W*r, C]. */
export function pixelShuffleReference(x: tf.Tensor4D, r: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, h, w, c] = x.shape;
    const co = c / (r * r);
    const t = tf.transpose(tf.reshape(x, [n, h, w, r, r, co]), [0, 1, 3, 2, 4, 5]); // [N, H, r, W, r, C]
    return tf.reshape(t, [n, h * r, w * r, co]) as tf.Tensor4D;
  });
}

/** SpaceToDepth composed from reshape and transpose: [N, H*r, W*r, C] -> [N, H, W, C*r*r]. */
export function spaceToDepthReference(x: tf.Tensor4D, r: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [n, hr, wr, c] = x.shape;
    const t = tf.transpose(tf.reshape(x, [n, hr / r, r, wr / r, r, c]), [0, 1, 3, 2, 4, 5]); // [N, H, W, r, r, C]
    return tf.reshape(t, [n, hr / r, wr / r, r * r * c]) as tf.Tensor4D;
  });
}

/** SpaceToDepth: the native kernel where registered, else the composed path. */
export function spaceToDepth(x: tf.Tensor4D, r: number): tf.Tensor4D {
  const [, h, w] = x.shape;
  if (h % r !== 0 || w % r !== 0) throw new Error(`spaceToDepth: block ${r} does not divide ${h}x${w}`);
  if (tf.getKernel(SPACE_TO_DEPTH, tf.getBackend()))
    return tf.engine().runKernel(SPACE_TO_DEPTH, { x }, { blockSize: r }) as tf.Tensor4D;
  return spaceToDepthReference(x, r);
}

if (!tf.getGradient(tf.DepthToSpace))
  tf.registerGradient({
    kernelName: tf.DepthToSpace,
    gradFunc: (dy, _saved, attrs) => {
      const { blockSize, dataFormat } = attrs as unknown as tf.DepthToSpaceAttrs;
      if (dataFormat !== 'NHWC') throw new Error('the DepthToSpace gradient supports NHWC only');
      return { x: () => spaceToDepth(dy as tf.Tensor4D, blockSize) };
    },
  });

/** Pixel shuffle by r: [N, H, W, C*r*r] -> [N, H*r, W*r, C], differentiable on every backend. */
export function pixelShuffle(x: tf.Tensor4D, r: number): tf.Tensor4D {
  if (x.shape[3] % (r * r) !== 0)
    throw new Error(`pixel shuffle by ${r} needs channels divisible by ${r * r}, got ${x.shape[3]}`);
  return tf.depthToSpace(x, r, 'NHWC');
}

export interface PixelShuffleArgs {
  /** Upscale factor r. */
  factor: number;
  name?: string;
}

/** tfjs-layers layer around pixelShuffle (serializable, so exported generators keep it). */
export class PixelShuffle extends tfl.layers.Layer {
  static readonly className = 'TsganPixelShuffle';
  readonly factor: number;

  constructor(args: PixelShuffleArgs) {
    super({ name: args.name });
    this.factor = args.factor;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const r = this.factor;
    const up = (d: number | null) => (d === null ? null : d * r);
    return [s[0], up(s[1] as number | null), up(s[2] as number | null), (s[3] as number) / (r * r)];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return pixelShuffle(x, this.factor);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), factor: this.factor };
  }
}

tf.serialization.registerClass(
  PixelShuffle as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
);
