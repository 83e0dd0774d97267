// Classifier features as a perceptual measure for super-resolution: the convolution stack of the
// project's Fashion-MNIST classifier (src/metrics/fmnist_classifier.ts) applied to images of any
// size, where SRGAN (Ledig et al. 2017) uses VGG19's conv5_4 features ("VGG54"). Colour images go
// through their luminance (Y of ITU-R BT.601 on [-1, 1] values), as the classifier reads grayscale.
// The same layers and weights as the classifier; its dense head is left out so the features keep
// their spatial layout ([N, H/4, W/4, 64]) and any image size works.
// `featureDistance` is the mean squared difference of the two images' feature maps: SRGAN's content
// loss (as a training loss, differentiable) and the perceptual proxy `tsgan eval` reports.
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import { FmnistClassifier } from './fmnist_classifier.js';

/** Luminance of [N, H, W, 3] images (BT.601 weights), kept in [-1, 1]; 1-channel input is returned as is. */
export function luminance(x: tf.Tensor4D): tf.Tensor4D {
  if (x.shape[3] === 1) return x;
  if (x.shape[3] !== 3) throw new Error(`luminance needs 1 or 3 channels, got ${x.shape[3]}`);
  return tf.tidy(() => tf.sum(tf.mul(x, tf.tensor1d([0.299, 0.587, 0.114])), -1, true) as tf.Tensor4D); // [N, H, W, 1]
}

/** The classifier's convolution stack on [N, H, W, 1] images of any size: [N, H/4, W/4, 64]. */
export function buildFeatureNet(classifier: FmnistClassifier = FmnistClassifier.load()): tfl.LayersModel {
  const layers = classifier.nets.classifier.layers.filter((l) => /^(conv|bn|relu)\d+$/.test(l.name));
  if (layers.length === 0) throw new Error('the classifier has no convolution layers to take features from');
  const input = tfl.input({ shape: [null, null, 1] }); // [N, H, W, 1]
  let h: tfl.SymbolicTensor = input;
  for (const l of layers) h = l.apply(h) as tfl.SymbolicTensor;
  const net = tfl.model({ inputs: input, outputs: h, name: 'classifier_features' }); // [N, H/4, W/4, 64]
  for (const l of net.layers) l.trainable = false;
  return net;
}

/** Mean squared difference of the feature maps of a and b ([N, H, W, C] in [-1, 1]); differentiable. */
export function featureDistance(net: tfl.LayersModel, a: tf.Tensor4D, b: tf.Tensor4D): tf.Scalar {
  return tf.tidy(() => {
    const fa = net.apply(luminance(a), { training: false }) as tf.Tensor; // [N, H/4, W/4, 64]
    const fb = net.apply(luminance(b), { training: false }) as tf.Tensor;
    return tf.mean(tf.squaredDifference(fa, fb)) as tf.Scalar;
  });
}

/** Per-image feature distance averaged over a batch given as flat [n, h, w, c] values (in chunks). */
export function meanFeatureDistance(
  net: tfl.LayersModel,
  a: Float32Array,
  b: Float32Array,
  shape: [number, number, number, number],
  chunk = 64,
): number {
  const [n, h, w, c] = shape;
  const per = h * w * c;
  let total = 0;
  for (let i = 0; i < n; i += chunk) {
    const m = Math.min(chunk, n - i);
    const d = tf.tidy(() =>
      featureDistance(
        net,
        tf.tensor4d(a.subarray(i * per, (i + m) * per), [m, h, w, c]),
        tf.tensor4d(b.subarray(i * per, (i + m) * per), [m, h, w, c]),
      ),
    );
    total += d.dataSync()[0]! * m;
    d.dispose();
  }
  return total / n;
}
