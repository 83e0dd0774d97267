// tsgan's small text-image encoder pair, trained by the project with a contrastive image-text
// objective (CLIP: Radford et al. 2021, "Learning Transferable Visual Models From Natural Language
// Supervision": a symmetric softmax cross-entropy over the batch's image-caption similarity
// matrix, the true pairs on the diagonal).
// - text encoder T: word ids [N, L] -> embedding (wordDim) -> mean over the real words
//   (MaskedMean) -> dense(hidden) + ReLU -> dense(embedDim) -> unit length. A bag of words is
//   enough for captions whose words each name one attribute ("a small red circle at the top
//   left"); every kernel it runs (GatherV2, UnsortedSegmentSum, NotEqual, Sum, _FusedMatMul...)
//   has a native implementation.
// - image encoder I: the DCGAN discriminator trunk (stride-2 4x4 convolutions, LeakyReLU 0.2) ->
//   dense(embedDim) -> unit length.
// The same pair ranks captions for R-precision (src/text/measure.ts).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import { classCrossEntropy } from '../losses/adversarial.js';
import { type DCGANOptions, dcganDiscriminatorTrunk } from '../models/dcgan.js';
import { L2Normalize, MaskedMean } from './layers.js';

export interface TextEncoderOptions {
  vocabSize: number;
  maxLen: number;
  /** Word embedding size. */
  wordDim: number;
  /** Hidden units of the MLP after the mean. */
  hidden: number;
  /** Sentence embedding size (shared with the image encoder). */
  embedDim: number;
}

/** T: ids [N, L] (int32) -> unit sentence embeddings [N, embedDim]. */
export function buildTextEncoder(o: TextEncoderOptions): tfl.LayersModel {
  const ids = tfl.input({ shape: [o.maxLen], dtype: 'int32', name: 'ids' });
  const emb = tfl.layers.embedding({ inputDim: o.vocabSize, outputDim: o.wordDim }).apply(ids) as tfl.SymbolicTensor; // [N, L, W]
  let h = new MaskedMean().apply([emb, ids]) as tfl.SymbolicTensor; // [N, W]
  h = tfl.layers.dense({ units: o.hidden, activation: 'relu' }).apply(h) as tfl.SymbolicTensor; // [N, H]
  h = tfl.layers.dense({ units: o.embedDim }).apply(h) as tfl.SymbolicTensor; // [N, E]
  const out = new L2Normalize().apply(h) as tfl.SymbolicTensor; // [N, E]
  return tfl.model({ inputs: ids, outputs: out, name: 'T' });
}

/** I: images [N, res, res, C] -> unit image embeddings [N, embedDim]. */
export function buildImageEncoder(
  o: Pick<DCGANOptions, 'resolution' | 'channels'> & { width: number; embedDim: number },
): tfl.LayersModel {
  const x = tfl.input({ shape: [o.resolution, o.resolution, o.channels], name: 'x' });
  const trunk: DCGANOptions = {
    resolution: o.resolution,
    channels: o.channels,
    width: o.width,
    widthG: o.width,
    widthD: o.width,
    latentDim: 1,
    batchNormG: false,
    batchNormDense: false,
    batchNormD: false,
    spectralNorm: false,
    infoCategories: 0,
    refineWidth: 0,
  };
  const phi = dcganDiscriminatorTrunk(x, trunk); // [N, F]
  const h = tfl.layers.dense({ units: o.embedDim }).apply(phi) as tfl.SymbolicTensor; // [N, E]
  return tfl.model({ inputs: x, outputs: new L2Normalize().apply(h) as tfl.SymbolicTensor, name: 'I' });
}

/**
 * A mask [N, N] of -1e4 where captions i and j (rows of ids [N, L]) are identical and i != j:
 * two identical captions in a batch are not each other's negatives.
 */
export function duplicateMask(ids: Int32Array, n: number, len: number): Float32Array {
  const keys = Array.from({ length: n }, (_, i) => ids.subarray(i * len, (i + 1) * len).join(','));
  const mask = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (j !== i && keys[i] === keys[j]) mask[i * n + j] = -1e4;
  return mask;
}

/**
 * The symmetric contrastive loss of image embeddings [N, E] and text embeddings [N, E] (unit rows):
 * logits = scale * img txt^T, cross-entropy toward the diagonal both ways, averaged.
 * `mask` [N, N] (duplicateMask) is added to the logits. Also returns the image->text top-1 accuracy.
 */
export function contrastiveLoss(
  img: tf.Tensor2D,
  txt: tf.Tensor2D,
  scale: number,
  mask?: tf.Tensor2D,
): { loss: tf.Scalar; accuracy: tf.Scalar } {
  const n = img.shape[0];
  let logits = tf.mul(tf.matMul(img, txt, false, true), scale) as tf.Tensor2D; // [N, N]
  if (mask) logits = tf.add(logits, mask) as tf.Tensor2D;
  const diag = tf.range(0, n, 1, 'int32') as tf.Tensor1D; // [N]
  const loss = tf.mul(
    0.5,
    tf.add(classCrossEntropy(logits, diag), classCrossEntropy(tf.transpose(logits) as tf.Tensor2D, diag)),
  ) as tf.Scalar;
  const accuracy = tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), diag), 'float32')) as tf.Scalar;
  return { loss, accuracy };
}
