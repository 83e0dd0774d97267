// Adversarial losses on discriminator logits (one value per sample, shape [N, 1] or [N]).
//  - minimax: Goodfellow et al. 2014, G minimizes log(1 - D(G(z))) (saturates early in training);
//  - nonsaturating: the same paper's practical variant, G maximizes log D(G(z));
//  - hinge: Lim & Ye 2017 / Miyato et al. 2018, D: relu(1 - r) + relu(1 + f), G: -f;
//  - wgan: Arjovsky et al. 2017 critic loss f - r (use with a gradient penalty, Gulrajani et al. 2017);
//  - lsgan: Mao et al. 2017 least squares with targets a=0 (fake), b=1 (real), c=1 (G).
// One-sided label smoothing (Salimans et al. 2016) lowers only the real target of D, e.g. to 0.9.
import * as tf from '@tensorflow/tfjs-core';

export const ADVERSARIAL_LOSSES = ['minimax', 'nonsaturating', 'hinge', 'wgan', 'lsgan'] as const;
export type AdversarialLoss = (typeof ADVERSARIAL_LOSSES)[number];

export interface DiscriminatorLossOptions {
  /** Target for real samples (1 = none; 0.9 = one-sided label smoothing). minimax, nonsaturating, lsgan only. */
  realTarget?: number;
}

/** Binary cross-entropy from logits x against target t: t*softplus(-x) + (1-t)*softplus(x), averaged. */
export function bceWithLogits(logits: tf.Tensor, target: number): tf.Scalar {
  return tf.tidy(() => {
    const pos = tf.softplus(tf.neg(logits)); // -log sigmoid(x)
    if (target === 1) return tf.mean(pos) as tf.Scalar;
    const neg = tf.softplus(logits); // -log(1 - sigmoid(x))
    if (target === 0) return tf.mean(neg) as tf.Scalar;
    return tf.mean(tf.add(tf.mul(pos, target), tf.mul(neg, 1 - target))) as tf.Scalar;
  });
}

/** D's loss to minimize, given its logits on a real and a fake batch. */
export function discriminatorLoss(
  kind: AdversarialLoss,
  real: tf.Tensor,
  fake: tf.Tensor,
  opts: DiscriminatorLossOptions = {},
): tf.Scalar {
  const t = opts.realTarget ?? 1;
  if (t !== 1 && (kind === 'hinge' || kind === 'wgan')) {
    throw new Error(`label smoothing does not apply to the ${kind} loss (it has no targets); set labelSmoothing to 0`);
  }
  return tf.tidy(() => {
    switch (kind) {
      case 'minimax':
      case 'nonsaturating':
        // -log D(x) - log(1 - D(G(z)))
        return tf.add(bceWithLogits(real, t), bceWithLogits(fake, 0)) as tf.Scalar;
      case 'hinge':
        return tf.add(tf.mean(tf.relu(tf.sub(1, real))), tf.mean(tf.relu(tf.add(1, fake)))) as tf.Scalar;
      case 'wgan':
        return tf.sub(tf.mean(fake), tf.mean(real)) as tf.Scalar;
      case 'lsgan':
        return tf.mul(0.5, tf.add(tf.mean(tf.square(tf.sub(real, t))), tf.mean(tf.square(fake)))) as tf.Scalar;
      default:
        throw new Error(`unknown adversarial loss '${kind as string}' (one of ${ADVERSARIAL_LOSSES.join(', ')})`);
    }
  });
}

/** G's loss to minimize, given D's logits on a fake batch. */
export function generatorLoss(kind: AdversarialLoss, fake: tf.Tensor): tf.Scalar {
  return tf.tidy(() => {
    switch (kind) {
      case 'minimax':
        // log(1 - D(G(z))) = -softplus(x)
        return tf.neg(tf.mean(tf.softplus(fake))) as tf.Scalar;
      case 'nonsaturating':
        return bceWithLogits(fake, 1);
      case 'hinge':
      case 'wgan':
        return tf.neg(tf.mean(fake)) as tf.Scalar;
      case 'lsgan':
        return tf.mul(0.5, tf.mean(tf.square(tf.sub(fake, 1)))) as tf.Scalar;
      default:
        throw new Error(`unknown adversarial loss '${kind as string}' (one of ${ADVERSARIAL_LOSSES.join(', ')})`);
    }
  });
}

/**
 * Softmax cross-entropy of class logits [N, K] against integer labels [N] (ACGAN's auxiliary loss,
 * InfoGAN's information term). On the CPU backends (native, cpu) one custom op computes the loss and
 * its gradient (softmax - onehot) / N on the host in float64: a few hundred values, where the
 * composed version costs ~25 kernel calls forward and backward. Elsewhere (webgpu: no host reads
 * mid-step), and as the reference, classCrossEntropyReference.
 */
export function classCrossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  const b = tf.getBackend();
  if (b !== 'native' && b !== 'cpu') return classCrossEntropyReference(logits, labels);
  const [n, k] = logits.shape;
  if (labels.shape[0] !== n) throw new Error(`classCrossEntropy: ${labels.shape[0]} labels for ${n} rows of logits`);
  const y = labels.dataSync();
  for (let i = 0; i < n; i++) {
    if (!Number.isInteger(y[i]) || y[i]! < 0 || y[i]! >= k)
      throw new Error(`classCrossEntropy: label ${y[i]} is out of range 0..${k - 1}`);
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = (args[0] as tf.Tensor).dataSync();
    const grad = new Float32Array(n * k); // (softmax - onehot) / N
    let loss = 0;
    for (let i = 0; i < n; i++) {
      let m = -Infinity;
      for (let j = 0; j < k; j++) m = Math.max(m, x[i * k + j]!);
      let s = 0;
      for (let j = 0; j < k; j++) s += Math.exp(x[i * k + j]! - m);
      const lse = m + Math.log(s);
      loss += lse - x[i * k + y[i]!]!;
      for (let j = 0; j < k; j++) grad[i * k + j] = (Math.exp(x[i * k + j]! - lse) - (j === y[i] ? 1 : 0)) / n;
    }
    return {
      value: tf.scalar(loss / n),
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) => [tf.mul(tf.tensor2d(grad, [n, k]), (Array.isArray(dy) ? dy[0] : dy)!)],
    };
  });
  return op(logits) as tf.Scalar;
}

/** classCrossEntropy composed from tfjs ops (any backend; the reference the fused path is tested against). */
export function classCrossEntropyReference(logits: tf.Tensor2D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const k = logits.shape[1];
    const onehot = tf.oneHot(tf.cast(labels, 'int32') as tf.Tensor1D, k); // [N, K]
    const logp = tf.logSoftmax(logits); // [N, K]
    return tf.neg(tf.mean(tf.sum(tf.mul(onehot, logp), 1))) as tf.Scalar;
  });
}
