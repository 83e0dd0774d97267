// Maxout units (Goodfellow, Warde-Farley, Mirza, Courville & Bengio 2013, "Maxout Networks"): each
// output unit is the largest of `pieces` linear pieces. A LinearMaxout layer of U units and k pieces
// is a dense layer of U*k outputs followed by `maxout`, which takes the max over each unit's k
// consecutive outputs: [N, U*k] -> [N, U] (the layout of Blocks' LinearMaxout, which the PacGAN and
// VEEGAN 2-D discriminators use: 200 units of 5 pieces).
// The fast path is a reshape and a max over the last axis (tfjs's Max gradient routes dy to the
// arg-max piece: native Equal, Cast and Multiply kernels); `maxoutReference` is the slow, obviously
// correct path (one slice per piece, elementwise maximum) the tests compare with.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

function checkPieces(features: number, pieces: number): void {
  if (!(Number.isInteger(pieces) && pieces >= 1))
    throw new Error(`maxout: pieces must be an integer >= 1, got ${pieces}`);
  if (features % pieces !== 0) throw new Error(`maxout: ${features} features are not a multiple of ${pieces} pieces`);
}

/** Maxout over consecutive groups of `pieces` features of the last axis: [..., U*k] -> [..., U]. */
export function maxout<T extends tf.Tensor>(x: T, pieces: number): T {
  const lead = x.shape.slice(0, -1);
  const f = x.shape[x.shape.length - 1] as number;
  checkPieces(f, pieces);
  if (pieces === 1) return tf.clone(x);
  return tf.tidy(() => tf.max(tf.reshape(x, [...lead, f / pieces, pieces]), -1) as T); // [..., U]
}

/** The slow path: piece j of unit u is feature u*k + j; the elementwise maximum of the k pieces. */
export function maxoutReference(x: tf.Tensor2D, pieces: number): tf.Tensor2D {
  const [n, f] = x.shape;
  checkPieces(f, pieces);
  return tf.tidy(() => {
    const groups = tf.reshape(x, [n, f / pieces, pieces]); // [N, U, k]
    let out = tf.reshape(tf.slice(groups, [0, 0, 0], [n, f / pieces, 1]), [n, f / pieces]) as tf.Tensor2D; // [N, U]
    for (let j = 1; j < pieces; j++) {
      const piece = tf.reshape(tf.slice(groups, [0, 0, j], [n, f / pieces, 1]), [n, f / pieces]); // [N, U]
      out = tf.maximum(out, piece) as tf.Tensor2D;
    }
    return out;
  });
}

export interface MaxoutArgs {
  /** Linear pieces per unit (k). */
  pieces: number;
  name?: string;
}

/** tfjs-layers layer around `maxout` (no weights; serializable): put it after a dense layer of U*k units. */
export class Maxout extends tfl.layers.Layer {
  static readonly className = 'TsganMaxout';
  readonly pieces: number;

  constructor(args: MaxoutArgs) {
    super({ name: args.name });
    if (!(Number.isInteger(args.pieces) && args.pieces >= 1))
      throw new Error(`maxout: pieces must be an integer >= 1, got ${args.pieces}`);
    this.pieces = args.pieces;
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const f = s[s.length - 1] as number;
    checkPieces(f, this.pieces);
    return [...s.slice(0, -1), f / this.pieces];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor;
    return maxout(x, this.pieces);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), pieces: this.pieces };
  }
}

tf.serialization.registerClass(
  Maxout as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
);
