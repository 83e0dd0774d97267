// Gradient penalties on the discriminator's input gradients.
//  - gradientPenalty: WGAN-GP (Gulrajani et al. 2017), E[(||grad D(x_hat)||_2 - 1)^2] on random
//    interpolates x_hat = a*real + (1-a)*fake, a ~ U(0,1) per sample; reference weight 10.
//  - r1Penalty: R1 (Mescheder, Geiger & Nowozin 2018), (gamma/2) E[||grad D(x)||^2] on real data.
//    StyleGAN2 applies it lazily (every 16 steps, scaled by 16); the phase's `every` does that.
// Both are differentiable with respect to D's weights (second-order gradients through tfjs's tape).
import * as tf from '@tensorflow/tfjs-core';

import { ensureSecondOrderGradients } from '../nn/second_order.js';

/** A discriminator as a function of its image (or point) input, returning logits [N, 1]. */
export type CriticFn = (x: tf.Tensor) => tf.Tensor;

/** Per-sample squared L2 norm of a gradient [N, ...] -> [N]. */
function perSampleSquaredNorm(g: tf.Tensor): tf.Tensor1D {
  return tf.sum(tf.reshape(tf.square(g), [g.shape[0], -1]), 1) as tf.Tensor1D;
}

/**
 * WGAN-GP penalty (without its weight). `alphas` [N] in [0, 1] come from the trainer's RNG so runs
 * are reproducible.
 */
export function gradientPenalty(critic: CriticFn, real: tf.Tensor, fake: tf.Tensor, alphas: Float32Array): tf.Scalar {
  ensureSecondOrderGradients();
  const n = real.shape[0];
  if (alphas.length !== n) throw new Error(`gradientPenalty: ${alphas.length} alphas for a batch of ${n}`);
  const aShape = [n, ...real.shape.slice(1).map(() => 1)];
  const a = tf.tensor(alphas, aShape); // [N, 1, 1, 1]
  const xhat = tf.add(tf.mul(a, real), tf.mul(tf.sub(1, a), fake)); // [N, ...]
  const g = tf.grad((x: tf.Tensor) => tf.sum(critic(x)))(xhat); // [N, ...]
  const norm = tf.sqrt(tf.add(perSampleSquaredNorm(g), 1e-12)); // [N]
  return tf.mean(tf.square(tf.sub(norm, 1))) as tf.Scalar;
}

/** R1 penalty (gamma/2) * E ||grad_x D(x)||^2 on the real batch. */
export function r1Penalty(critic: CriticFn, real: tf.Tensor, gamma: number): tf.Scalar {
  ensureSecondOrderGradients();
  const g = tf.grad((x: tf.Tensor) => tf.sum(critic(x)))(real); // [N, ...]
  return tf.mul(gamma / 2, tf.mean(perSampleSquaredNorm(g))) as tf.Scalar;
}
