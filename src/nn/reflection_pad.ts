// Reflection padding of an NHWC image batch, as CycleGAN's ResNet generator uses before every 3x3
// and 7x7 convolution (Zhu et al. 2017; PyTorch's ReflectionPad2d): the border is mirrored without
// repeating the edge pixel, so [a b c d] padded by 2 is [c b a b c d c b].
//
// tfjs 4.22's own MirrorPad gradient only slices the centre out of dy and drops what the mirrored
// border received, so gradients through tf.mirrorPad are wrong near the edges. `reflectionPad2d`
// below has the exact gradient: each mirrored row/column's gradient is folded back onto the pixel it
// copied. `reflectionPad2dReference` is the slow, obviously-correct path (concatenated slices, whose
// gradients tfjs gets right) that the tests compare it with.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import { MIRROR_PAD_GRAD } from '../backend/kernels/MirrorPadGrad.js';

/** Mirrors `p` rows/columns (p < size) on each side of axis 1 (H) or 2 (W) of [N, H, W, C]. */
function padAxis(x: tf.Tensor4D, p: number, axis: 1 | 2): tf.Tensor4D {
  if (p === 0) return x;
  return tf.mirrorPad(
    x,
    axis === 1
      ? [
          [0, 0],
          [p, p],
          [0, 0],
          [0, 0],
        ]
      : [
          [0, 0],
          [0, 0],
          [p, p],
          [0, 0],
        ],
    'reflect',
  );
}

/** The gradient of padAxis: dy [N, H+2p, W, C] (axis 1) -> dx [N, H, W, C]. */
function foldAxis(dy: tf.Tensor4D, p: number, axis: 1 | 2, size: number): tf.Tensor4D {
  if (p === 0) return dy;
  return tf.tidy(() => {
    const len = (start: number, n: number) => {
      const begin = [0, 0, 0, 0];
      const sz = [-1, -1, -1, -1];
      begin[axis] = start;
      sz[axis] = n;
      return tf.slice(dy, begin, sz) as tf.Tensor4D;
    };
    const zeroPad = (t: tf.Tensor4D, before: number, after: number) =>
      tf.pad(
        t,
        axis === 1
          ? [
              [0, 0],
              [before, after],
              [0, 0],
              [0, 0],
            ]
          : [
              [0, 0],
              [0, 0],
              [before, after],
              [0, 0],
            ],
      );
    const centre = len(p, size); // [.., size, ..]
    // dy's leading p entries copied x[p..1]; its trailing p entries copied x[size-2..size-1-p].
    const head = tf.reverse(len(0, p), axis); // now x[1..p]
    const tail = tf.reverse(len(p + size, p), axis); // now x[size-1-p..size-2]
    return tf.addN([centre, zeroPad(head, 1, size - 1 - p), zeroPad(tail, size - 1 - p, 1)]) as tf.Tensor4D;
  });
}

/** The gradient of a reflection pad by p on H and W: a native kernel where registered, else composed. */
function mirrorPadGrad(dy: tf.Tensor4D, xShape: number[], p: number): tf.Tensor4D {
  if (tf.getKernel(MIRROR_PAD_GRAD, tf.getBackend())) {
    const attrs = {
      xShape,
      paddings: [
        [0, 0],
        [p, p],
        [p, p],
        [0, 0],
      ],
      mode: 'reflect',
    };
    return tf.engine().runKernel(MIRROR_PAD_GRAD, { dy }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor4D;
  }
  return foldAxis(foldAxis(dy, p, 2, xShape[2]!), p, 1, xShape[1]!);
}

/** Reflection-pads x [N, H, W, C] by `p` pixels on every side: [N, H+2p, W+2p, C]. Requires p < H and p < W. */
export function reflectionPad2d(x: tf.Tensor4D, p: number): tf.Tensor4D {
  const [, h, w] = x.shape;
  if (!Number.isInteger(p) || p < 0) throw new Error(`reflection padding must be a whole number >= 0, got ${p}`);
  if (p >= h || p >= w) throw new Error(`reflection padding ${p} needs an image larger than ${p}x${p}, got ${h}x${w}`);
  if (p === 0) return x.clone();
  const f = tf.customGrad(((input: tf.Tensor4D) => {
    return {
      value: padAxis(padAxis(input, p, 1), p, 2), // [N, H+2p, W+2p, C]
      gradFunc: (dy: tf.Tensor4D) => mirrorPadGrad(dy, input.shape, p),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  return f(x) as tf.Tensor4D;
}

/** The slow reference: the same padding from slices, reversals and concatenation (exact tfjs gradients). */
export function reflectionPad2dReference(x: tf.Tensor4D, p: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [, h, w] = x.shape;
    const rows = tf.concat(
      [
        tf.reverse(tf.slice(x, [0, 1, 0, 0], [-1, p, -1, -1]), 1),
        x,
        tf.reverse(tf.slice(x, [0, h - 1 - p, 0, 0], [-1, p, -1, -1]), 1),
      ],
      1,
    ); // [N, H+2p, W, C]
    return tf.concat(
      [
        tf.reverse(tf.slice(rows, [0, 0, 1, 0], [-1, -1, p, -1]), 2),
        rows,
        tf.reverse(tf.slice(rows, [0, 0, w - 1 - p, 0], [-1, -1, p, -1]), 2),
      ],
      2,
    ) as tf.Tensor4D; // [N, H+2p, W+2p, C]
  });
}

export interface ReflectionPad2DArgs {
  /** Pixels mirrored on each side. */
  padding: number;
  name?: string;
  inputShape?: number[];
}

/** tfjs-layers layer around reflectionPad2d (serializable, so exported generators keep it). */
export class ReflectionPad2D extends tfl.layers.Layer {
  static readonly className = 'TsganReflectionPad2D';
  readonly padding: number;

  constructor(args: ReflectionPad2DArgs) {
    super({ name: args.name, inputShape: args.inputShape });
    this.padding = args.padding;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const grow = (d: number | null) => (d === null ? null : d + 2 * this.padding);
    return [s[0], grow(s[1] as number | null), grow(s[2] as number | null), s[3]];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return reflectionPad2d(x, this.padding);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), padding: this.padding };
  }
}

tf.serialization.registerClass(
  ReflectionPad2D as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
);
