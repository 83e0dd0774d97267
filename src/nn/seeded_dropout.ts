// Dropout whose masks are reproducible: each layer keeps [seed, calls] as a non-trainable weight
// (set from the run's seed by src/nn/init.ts, saved in every checkpoint), and the mask of a training
// call is drawn with tfjs's seeded uniform generator from (seed, calls). A run with a given seed, and
// a run resumed from a checkpoint, draw the same masks as an uninterrupted one; tfjs-layers' own
// dropout draws from an unseeded global generator and cannot. Inference (training false) is the
// identity, as for tfjs-layers' Dropout (inverted dropout: kept units are scaled by 1 / (1 - rate)).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

interface LayerVariable {
  read(): tf.Tensor;
  write(v: tf.Tensor): unknown;
}

export interface SeededDropoutArgs {
  /** Fraction of units dropped in training. */
  rate: number;
  name?: string;
}

export class SeededDropout extends tfl.layers.Layer {
  static readonly className = 'TsganSeededDropout';
  readonly rate: number;
  private state!: LayerVariable;

  constructor(args: SeededDropoutArgs) {
    super({ name: args.name });
    if (!(args.rate >= 0 && args.rate < 1)) throw new Error(`dropout rate must be in [0, 1), got ${args.rate}`);
    this.rate = args.rate;
  }

  override build(): void {
    // [seed, calls]; the weight's name ends in 'dropout_seed' so the initializer knows it.
    this.state = this.addWeight(
      'dropout_seed',
      [2],
      'float32',
      tfl.initializers.zeros(),
      undefined,
      false,
    ) as unknown as LayerVariable;
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    if (kwargs.training !== true || this.rate === 0) return x.clone();
    const [seed, calls] = this.state.read().dataSync() as Float32Array;
    tf.tidy(() => {
      this.state.write(tf.tensor1d([seed!, calls! + 1]));
    });
    return tf.tidy(() => {
      const keep = tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', seed! * 65537 + calls!), this.rate);
      return tf.mul(x, tf.mul(tf.cast(keep, 'float32'), 1 / (1 - this.rate)));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate };
  }
}

tf.serialization.registerClass(
  SeededDropout as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
);
