// The two layers of tsgan's small text encoder (src/text/encoder.ts) that tfjs-layers lacks:
// - MaskedMean: the mean of a sentence's word embeddings over its real words (ids != 0), so
//   padding never dilutes the sentence vector: inputs [emb [N, L, E], ids [N, L]] -> [N, E];
// - L2Normalize: x / sqrt(sum(x^2) + eps) per row, the unit-sphere embeddings a contrastive
//   (CLIP-style) objective compares by dot products;
// - CondAugment: StackGAN's conditioning augmentation (Zhang et al. 2017): inputs
//   [h [N, 2C], eps [N, C]], h = (mu, log sigma^2) -> c = mu + exp(log sigma^2 / 2) * eps.
// Both are compositions of kernels the native backend has (NotEqual, Cast, Multiply, Sum, RealDiv,
// Maximum, Square, Rsqrt, Exp, SplitV); autograd gives their gradients, checked against finite differences in
// test/text/text_layers.test.ts. The plain functions are exported for use outside a layers model.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

/** Mean of emb [N, L, E] over the positions where ids [N, L] != 0; a row of only padding gives zeros. */
export function maskedMean(emb: tf.Tensor3D, ids: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const mask = tf.cast(tf.notEqual(ids, 0), 'float32'); // [N, L]
    const summed = tf.sum(tf.mul(emb, tf.expandDims(mask, 2)), 1); // [N, E]
    const count = tf.maximum(tf.sum(mask, 1, true), 1); // [N, 1]
    return tf.div(summed, count) as tf.Tensor2D; // [N, E]
  });
}

/** Rows of x [N, D] scaled to unit length (eps keeps a zero row finite). */
export function l2Normalize(x: tf.Tensor2D, eps = 1e-12): tf.Tensor2D {
  return tf.tidy(() => tf.mul(x, tf.rsqrt(tf.add(tf.sum(tf.square(x), 1, true), eps))) as tf.Tensor2D); // [N, D]
}

/** c = mu + exp(logvar / 2) * eps, with h = [mu, logvar] along the last axis. */
export function condAugment(h: tf.Tensor2D, eps: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const c = eps.shape[1];
    const [mu, logvar] = tf.split(h, [c, c], 1) as [tf.Tensor2D, tf.Tensor2D]; // [N, C] each
    return tf.add(mu, tf.mul(tf.exp(tf.mul(logvar, 0.5)), eps)) as tf.Tensor2D; // [N, C]
  });
}

/** KL(N(mu, sigma^2) || N(0, I)) averaged over the batch, summed over components; h = [mu, logvar]. */
export function klToStandardNormal(h: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const c = h.shape[1] / 2;
    const [mu, logvar] = tf.split(h, [c, c], 1) as [tf.Tensor2D, tf.Tensor2D];
    // 0.5 * sum(mu^2 + sigma^2 - log sigma^2 - 1)
    const t = tf.sub(tf.add(tf.square(mu), tf.exp(logvar)), tf.add(logvar, 1));
    return tf.mul(0.5, tf.mean(tf.sum(t, 1))) as tf.Scalar;
  });
}

export class CondAugment extends tfl.layers.Layer {
  static readonly className = 'TsganCondAugment';

  constructor(args: { name?: string } = {}) {
    super({ name: args.name });
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return (inputShape as tfl.Shape[])[1]!;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [h, eps] = inputs as tf.Tensor[];
    return condAugment(h as tf.Tensor2D, eps as tf.Tensor2D);
  }
}

export class MaskedMean extends tfl.layers.Layer {
  static readonly className = 'TsganMaskedMean';

  constructor(args: { name?: string } = {}) {
    super({ name: args.name });
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const s = (inputShape as tfl.Shape[])[0]!;
    return [s[0]!, s[2]!];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const [emb, ids] = inputs as tf.Tensor[];
    return maskedMean(emb as tf.Tensor3D, ids as tf.Tensor2D);
  }
}

export class L2Normalize extends tfl.layers.Layer {
  static readonly className = 'TsganL2Normalize';

  constructor(args: { name?: string } = {}) {
    super({ name: args.name });
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    return inputShape as tfl.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor2D;
    return l2Normalize(x);
  }
}

for (const c of [MaskedMean, L2Normalize, CondAugment])
  tf.serialization.registerClass(
    c as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
  );
