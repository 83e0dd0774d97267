// DiffAugment (Zhao, Liu, Lin, Zhu & Han 2020): the same differentiable augmentations applied to
// real and fake images before D (and in G's loss), so D cannot memorize a small dataset.
// Policies: 'color' (brightness +-0.5, saturation x[0,2], contrast x[0.5,1.5]), 'translation'
// (shift by up to 1/8 of the size, zero padded), 'cutout' (a zeroed square of half the size).
// Random parameters come from the trainer's RNG; images are NHWC in [-1, 1].
import * as tf from '@tensorflow/tfjs-core';

import type { Rng } from '../train/rng.js';

export const DIFF_AUGMENT_POLICIES = ['color', 'translation', 'cutout'] as const;
export type DiffAugmentPolicy = (typeof DIFF_AUGMENT_POLICIES)[number];

/** Parses 'color,translation,cutout' (or '' / 'none') into a list, rejecting unknown names. */
export function parsePolicies(spec: string): DiffAugmentPolicy[] {
  if (!spec || spec === 'none') return [];
  return spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((p) => {
      if (!(DIFF_AUGMENT_POLICIES as readonly string[]).includes(p)) {
        throw new Error(`unknown DiffAugment policy '${p}' (use a comma list of ${DIFF_AUGMENT_POLICIES.join(', ')})`);
      }
      return p as DiffAugmentPolicy;
    });
}

/** Applies the policies in order to x [N, H, W, C]. */
export function diffAugment(x: tf.Tensor4D, policies: DiffAugmentPolicy[], rng: Rng): tf.Tensor4D {
  let y = x;
  for (const p of policies) {
    if (p === 'color') y = augmentColor(y, rng);
    else if (p === 'translation') y = augmentTranslation(y, rng);
    else y = augmentCutout(y, rng);
  }
  return y;
}

function augmentColor(x: tf.Tensor4D, rng: Rng): tf.Tensor4D {
  const n = x.shape[0];
  const c = x.shape[3];
  const b = tf.tensor(rng.uniforms(n, -0.5, 0.5), [n, 1, 1, 1]);
  let y = tf.add(x, b); // brightness
  if (c > 1) {
    const s = tf.tensor(rng.uniforms(n, 0, 2), [n, 1, 1, 1]);
    const m = tf.mean(y, 3, true); // [N, H, W, 1]
    y = tf.add(tf.mul(tf.sub(y, m), s), m); // saturation
  } else {
    rng.uniforms(n); // keep the stream identical across channel counts
  }
  const k = tf.tensor(rng.uniforms(n, 0.5, 1.5), [n, 1, 1, 1]);
  const m2 = tf.mean(y, [1, 2, 3], true); // [N, 1, 1, 1]
  return tf.add(tf.mul(tf.sub(y, m2), k), m2) as tf.Tensor4D; // contrast
}

/** Per-sample shift matrices S [N, L, L] with S[n, i, j] = 1 where j = i - shift[n] (zero outside). */
function shiftMatrices(n: number, len: number, shifts: Int32Array): tf.Tensor3D {
  const m = new Float32Array(n * len * len);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < len; i++) {
      const j = i - shifts[b];
      if (j >= 0 && j < len) m[b * len * len + i * len + j] = 1;
    }
  }
  return tf.tensor3d(m, [n, len, len]);
}

function augmentTranslation(x: tf.Tensor4D, rng: Rng, ratio = 0.125): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const maxH = Math.floor(h * ratio + 0.5);
  const maxW = Math.floor(w * ratio + 0.5);
  const sh = new Int32Array(n);
  const sw = new Int32Array(n);
  for (let i = 0; i < n; i++) sh[i] = rng.int(2 * maxH + 1) - maxH;
  for (let i = 0; i < n; i++) sw[i] = rng.int(2 * maxW + 1) - maxW;
  // Rows: [N, H, H] x [N, H, W*C]
  const rows = tf.matMul(shiftMatrices(n, h, sh), tf.reshape(x, [n, h, w * c])); // [N, H, W*C]
  // Columns: move W to the middle axis, shift, move back.
  const t = tf.reshape(tf.transpose(tf.reshape(rows, [n, h, w, c]), [0, 2, 1, 3]), [n, w, h * c]); // [N, W, H*C]
  const cols = tf.matMul(shiftMatrices(n, w, sw), t); // [N, W, H*C]
  return tf.transpose(tf.reshape(cols, [n, w, h, c]), [0, 2, 1, 3]) as tf.Tensor4D; // [N, H, W, C]
}

function augmentCutout(x: tf.Tensor4D, rng: Rng, ratio = 0.5): tf.Tensor4D {
  const [n, h, w] = x.shape;
  const ch = Math.floor(h * ratio + 0.5);
  const cw = Math.floor(w * ratio + 0.5);
  const mask = new Float32Array(n * h * w).fill(1);
  for (let b = 0; b < n; b++) {
    // Centre of the cut square, anywhere in the image (the square may be clipped by the border).
    const cy = rng.int(h + (1 - (ch % 2)));
    const cx = rng.int(w + (1 - (cw % 2)));
    for (let i = Math.max(0, cy - (ch >> 1)); i < Math.min(h, cy - (ch >> 1) + ch); i++) {
      for (let j = Math.max(0, cx - (cw >> 1)); j < Math.min(w, cx - (cw >> 1) + cw); j++)
        mask[b * h * w + i * w + j] = 0;
    }
  }
  return tf.mul(x, tf.tensor4d(mask, [n, h, w, 1])) as tf.Tensor4D;
}
