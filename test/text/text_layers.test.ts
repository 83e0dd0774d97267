// The text encoder's new layers (src/text/layers.ts): values against float64 references and
// gradients against central finite differences of those references (the gradient check);
// a text encoder's output has unit rows and ignores padding.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf } from '../../src/index.js';
import { buildTextEncoder, contrastiveLoss, duplicateMask } from '../../src/text/encoder.js';
import { condAugment, klToStandardNormal, l2Normalize, maskedMean } from '../../src/text/layers.js';
import { numericGrad } from '../helpers/gradcheck.js';
import { randValues, rng } from '../helpers/parity.js';

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(a.length, b.length, what);
  for (let i = 0; i < a.length; i++)
    assert.ok(Math.abs(a[i]! - b[i]!) <= tol * (1 + Math.abs(b[i]!)), `${what}[${i}]: ${a[i]} vs ${b[i]}`);
}

const dot = (a: ArrayLike<number>, w: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * w[i]!;
  return s;
};

test('maskedMean: mean over real words only; gradient matches finite differences', () => {
  const [n, l, e] = [3, 5, 4];
  const r = rng(11);
  const emb = randValues(r, n * l * e);
  const ids = Int32Array.from([3, 4, 0, 0, 0, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0]); // row 3: only padding
  const w = randValues(r, n * e);
  const ref = (x: ArrayLike<number>) => {
    const out = new Float64Array(n * e);
    for (let b = 0; b < n; b++) {
      let cnt = 0;
      for (let t = 0; t < l; t++) if (ids[b * l + t] !== 0) cnt++;
      for (let t = 0; t < l; t++)
        if (ids[b * l + t] !== 0)
          for (let k = 0; k < e; k++) out[b * e + k]! += x[(b * l + t) * e + k]! / Math.max(cnt, 1);
    }
    return out;
  };
  const idsT = tf.tensor2d(ids, [n, l], 'int32');
  const y = maskedMean(tf.tensor3d(emb, [n, l, e]), idsT);
  close(y.dataSync(), ref(emb), 1e-5, 'value');
  assert.deepEqual(Array.from(y.dataSync().slice(2 * e)), [0, 0, 0, 0]);
  const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(maskedMean(x as tf.Tensor3D, idsT), tf.tensor2d(w, [n, e]))))(
    tf.tensor3d(emb, [n, l, e]),
  );
  close(
    g.dataSync(),
    numericGrad((x) => dot(ref(x), w), emb),
    1e-4,
    'grad',
  );
});

test('l2Normalize: unit rows; gradient matches finite differences', () => {
  const [n, d] = [3, 6];
  const r = rng(12);
  const x0 = randValues(r, n * d);
  const w = randValues(r, n * d);
  const ref = (x: ArrayLike<number>) => {
    const out = new Float64Array(n * d);
    for (let b = 0; b < n; b++) {
      let s = 1e-12;
      for (let k = 0; k < d; k++) s += x[b * d + k]! ** 2;
      for (let k = 0; k < d; k++) out[b * d + k] = x[b * d + k]! / Math.sqrt(s);
    }
    return out;
  };
  close(l2Normalize(tf.tensor2d(x0, [n, d])).dataSync(), ref(x0), 1e-5, 'value');
  const g = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(l2Normalize(x as tf.Tensor2D), tf.tensor2d(w, [n, d]))))(
    tf.tensor2d(x0, [n, d]),
  );
  close(
    g.dataSync(),
    numericGrad((x) => dot(ref(x), w), x0),
    2e-4,
    'grad',
  );
});

test('condAugment and its KL term: values and gradients (in h and eps) match finite differences', () => {
  const [n, c] = [2, 3];
  const r = rng(13);
  const h0 = randValues(r, n * 2 * c);
  const eps0 = randValues(r, n * c);
  const w = randValues(r, n * c);
  const ref = (h: ArrayLike<number>, eps: ArrayLike<number>) => {
    const out = new Float64Array(n * c);
    for (let b = 0; b < n; b++)
      for (let k = 0; k < c; k++)
        out[b * c + k] = h[b * 2 * c + k]! + Math.exp(h[b * 2 * c + c + k]! / 2) * eps[b * c + k]!;
    return out;
  };
  const kl = (h: ArrayLike<number>) => {
    let s = 0;
    for (let b = 0; b < n; b++)
      for (let k = 0; k < c; k++) {
        const mu = h[b * 2 * c + k]!;
        const lv = h[b * 2 * c + c + k]!;
        s += 0.5 * (mu * mu + Math.exp(lv) - lv - 1);
      }
    return s / n;
  };
  const H = tf.tensor2d(h0, [n, 2 * c]);
  const E = tf.tensor2d(eps0, [n, c]);
  const W = tf.tensor2d(w, [n, c]);
  close(condAugment(H, E).dataSync(), ref(h0, eps0), 1e-5, 'value');
  close(klToStandardNormal(H).dataSync(), [kl(h0)], 1e-5, 'kl');
  const [gh, ge] = tf.grads((h: tf.Tensor, e: tf.Tensor) =>
    tf.sum(tf.mul(condAugment(h as tf.Tensor2D, e as tf.Tensor2D), W)),
  )([H, E]);
  close(
    gh!.dataSync(),
    numericGrad((h) => dot(ref(h, eps0), w), h0),
    2e-4,
    'grad h',
  );
  close(
    ge!.dataSync(),
    numericGrad((e) => dot(ref(h0, e), w), eps0),
    2e-4,
    'grad eps',
  );
  const gk = tf.grad((h: tf.Tensor) => klToStandardNormal(h as tf.Tensor2D))(H);
  close(gk.dataSync(), numericGrad(kl, h0), 2e-4, 'grad kl');
});

test('text encoder: unit rows, padding ignored, contrastive loss falls to near zero on separable pairs', () => {
  const t = buildTextEncoder({ vocabSize: 10, maxLen: 4, wordDim: 8, hidden: 16, embedDim: 8 });
  const ids = tf.tensor2d([2, 3, 0, 0, 4, 0, 0, 0], [2, 4], 'int32');
  const e = t.apply(ids) as tf.Tensor2D;
  const norms = tf.sum(tf.square(e), 1).dataSync();
  close(norms, [1, 1], 1e-4, 'norm');
  // the same words with different padding give the same embedding
  const e2 = t.apply(tf.tensor2d([2, 3, 0, 0], [1, 4], 'int32')) as tf.Tensor2D;
  close(e2.dataSync(), e.dataSync().slice(0, 8), 1e-6, 'padding');
  // duplicates are masked out of each other's negatives
  const mask = duplicateMask(Int32Array.from([2, 3, 2, 3, 4, 0]), 3, 2);
  assert.deepEqual(Array.from(mask), [0, -1e4, 0, -1e4, 0, 0, 0, 0, 0]);
  // identical unit vectors on the diagonal: the loss is lower than for shuffled pairs
  const a = l2Normalize(tf.eye(4) as tf.Tensor2D);
  const good = contrastiveLoss(a, a, 10).loss.dataSync()[0]!;
  const bad = contrastiveLoss(a, tf.reverse(a, 0) as tf.Tensor2D, 10).loss.dataSync()[0]!;
  assert.ok(good < 0.01 && bad > 5, `${good} ${bad}`);
  assert.equal(contrastiveLoss(a, a, 10).accuracy.dataSync()[0], 1);
});
