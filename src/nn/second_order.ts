// Second-order gradients (WGAN-GP, R1) differentiate through backward passes, and tfjs's backward
// of LeakyReLU/ReLU-like ops contains comparisons (Greater, ...) that have no registered gradient,
// which makes tfjs throw. A comparison is piecewise constant: its gradient is zero almost
// everywhere. This registers that zero gradient for the comparison kernels lacking one (idempotent;
// kernels that already have a gradient are left alone).
import * as tf from '@tensorflow/tfjs-core';

const COMPARISONS = ['Greater', 'GreaterEqual', 'Less', 'LessEqual', 'Equal', 'NotEqual'];

export function ensureSecondOrderGradients(): void {
  for (const kernelName of COMPARISONS) {
    if (tf.getGradient(kernelName) != null) continue;
    tf.registerGradient({
      kernelName,
      inputsToSave: ['a', 'b'],
      gradFunc: (_dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => ({
        a: () => tf.cast(tf.zerosLike(saved[0]), 'float32'),
        b: () => tf.cast(tf.zerosLike(saved[1]), 'float32'),
      }),
    });
  }
}
