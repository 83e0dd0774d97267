// ADA (src/nn/ada.ts): each transform at p = 1 on known images (flips reverse the pixels, quarter
// turns rotate them, integer shifts move them, scaling/rotation/aniso/fractional shifts act on a
// linear ramp as the matrices say, brightness adds, contrast scales, luma flip negates, hue and
// saturation keep the luma), p = 0 is the identity, the fast sampler matches the slow reference,
// gradients flow to the image, the adaptive p rises when D says "real" and falls otherwise, and a
// StyleGAN2 step with every transform on runs no tfjs cpu fallback above 5% of its kernel time.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { censusOf, trainerFor } from '../../src/bench/presets.js';
import { tf } from '../../src/index.js';
import {
  AdaController,
  type AdaTransforms,
  adaAugment,
  adaTransforms,
  affineSample,
  affineSampleReference,
  geometricMatrices,
} from '../../src/nn/ada.js';
import { Rng } from '../../src/train/rng.js';

const N = 16;
const only = (...names: (keyof AdaTransforms)[]): AdaTransforms => {
  const t = adaTransforms('');
  for (const k of names) t[k] = 1;
  return t;
};
/** A random image batch [N, H, W, C] and its values. */
function randomImages(h: number, w: number, c: number, seed = 1): { x: tf.Tensor4D; v: Float32Array } {
  const v = new Rng(seed).uniforms(N * h * w * c, -1, 1);
  return { x: tf.tensor4d(v, [N, h, w, c]), v };
}
const at = (v: ArrayLike<number>, shape: number[], b: number, i: number, j: number, k = 0) =>
  v[((b * shape[1]! + i) * shape[2]! + j) * shape[3]! + k]!;
const close = (a: number, b: number, tol = 1e-5) => Math.abs(a - b) <= tol;

test('ADA x-flip at p = 1: every image is itself or its mirror, both occur', () => {
  const shape = [N, 6, 5, 1];
  const { x, v } = randomImages(6, 5, 1);
  const y = adaAugment(x, 1, new Rng(7), only('xflip')).dataSync();
  let flipped = 0;
  for (let b = 0; b < N; b++) {
    let same = true;
    let mirror = true;
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < 5; j++) {
        same &&= at(y, shape, b, i, j) === at(v, shape, b, i, j);
        mirror &&= at(y, shape, b, i, j) === at(v, shape, b, i, 4 - j);
      }
    assert.ok(same || mirror, `image ${b} is neither itself nor its mirror`);
    if (mirror && !same) flipped++;
  }
  assert.ok(flipped > 0 && flipped < N, `${flipped} of ${N} flipped`);
});

test('ADA 90-degree rotations at p = 1: each image is one of its four quarter turns, at least three occur', () => {
  const s = 5;
  const shape = [N, s, s, 2];
  const { x, v } = randomImages(s, s, 2);
  const y = adaAugment(x, 1, new Rng(3), only('rotate90')).dataSync();
  // Source pixel of output (i, j) for a quarter turn q (counter-clockwise turns of the sampling grid).
  const src = [
    (i: number, j: number) => [i, j],
    (i: number, j: number) => [j, s - 1 - i],
    (i: number, j: number) => [s - 1 - i, s - 1 - j],
    (i: number, j: number) => [s - 1 - j, i],
  ];
  const seen = new Set<number>();
  for (let b = 0; b < N; b++) {
    const match = src.findIndex((f) => {
      for (let i = 0; i < s; i++)
        for (let j = 0; j < s; j++)
          for (let k = 0; k < 2; k++) {
            const [si, sj] = f(i, j) as [number, number];
            if (at(y, shape, b, i, j, k) !== at(v, shape, b, si, sj, k)) return false;
          }
      return true;
    });
    assert.ok(match >= 0, `image ${b} is not a quarter turn of its input`);
    seen.add(match);
  }
  assert.ok(seen.size >= 3, `quarter turns seen: ${[...seen].join(',')}`);
});

test('ADA integer translation at p = 1: whole-pixel shifts (up to 1/8 of the side), reflected at the border', () => {
  const h = 32;
  const shape = [N, h, h, 1];
  const { x, v } = randomImages(h, h, 1);
  const y = adaAugment(x, 1, new Rng(5), only('xint')).dataSync();
  let moved = 0;
  for (let b = 0; b < N; b++) {
    let found = false;
    for (let dy = -4; dy <= 4 && !found; dy++)
      for (let dx = -4; dx <= 4 && !found; dx++) {
        let ok = true;
        for (let i = 4; i < h - 4 && ok; i++)
          for (let j = 4; j < h - 4 && ok; j++) ok = at(y, shape, b, i, j) === at(v, shape, b, i - dy, j - dx);
        if (ok) {
          found = true;
          if (dx || dy) moved++;
        }
      }
    assert.ok(found, `image ${b} is not an integer shift of its input`);
  }
  assert.ok(moved > N / 2, `${moved} of ${N} moved`);
  // Reflection: a shift by +1 column makes column 0 the old column 1.
  const one = affineSample(
    x,
    Array.from({ length: N }, () => [1, 0, -1, 0, 1, 0, 0, 0, 1]),
  ).dataSync();
  for (let i = 0; i < h; i++) assert.equal(at(one, shape, 0, i, 0), at(v, shape, 0, i, 1));
});

/** A linear ramp a (j - c) + b (i - c) + k per image: [N, S, S, 1]. */
function ramps(s: number) {
  const c = (s - 1) / 2;
  const coef = Array.from({ length: N }, (_, b) => [0.3 + 0.01 * b, -0.2 + 0.02 * b, 0.1 * (b % 3)] as const);
  const v = new Float32Array(N * s * s);
  for (let b = 0; b < N; b++)
    for (let i = 0; i < s; i++)
      for (let j = 0; j < s; j++) v[(b * s + i) * s + j] = coef[b]![0] * (j - c) + coef[b]![1] * (i - c) + coef[b]![2];
  return { x: tf.tensor4d(v, [N, s, s, 1]), coef, c };
}

/** Least-squares plane a (j - c) + b (i - c) + k through the central 7x7 of one image. */
function fitPlane(y: ArrayLike<number>, s: number, b: number): { a: number; b: number; k: number; resid: number } {
  const c = (s - 1) / 2;
  let sxx = 0;
  let syy = 0;
  let sxv = 0;
  let syv = 0;
  let sv = 0;
  let n = 0;
  const pts: [number, number, number][] = [];
  for (let i = Math.floor(c) - 3; i <= Math.ceil(c) + 3; i++)
    for (let j = Math.floor(c) - 3; j <= Math.ceil(c) + 3; j++) {
      const dx = j - c;
      const dy = i - c;
      const val = y[(b * s + i) * s + j]!;
      pts.push([dx, dy, val]);
      sxx += dx * dx;
      syy += dy * dy;
      sxv += dx * val;
      syv += dy * val;
      sv += val;
      n++;
    }
  const a = sxv / sxx;
  const bb = syv / syy;
  const k = sv / n;
  const resid = Math.max(...pts.map(([dx, dy, val]) => Math.abs(a * dx + bb * dy + k - val)));
  return { a, b: bb, k, resid };
}

test('ADA geometric transforms at p = 1 on linear ramps: scaling, rotation, anisotropic scaling and fractional shifts act as their matrices say', () => {
  const s = 32;
  const { x, coef } = ramps(s);
  const cases: [keyof AdaTransforms, (m: number[], co: readonly number[], f: ReturnType<typeof fitPlane>) => void][] = [
    // Output(q) = input(G q): the plane's gradient becomes G^T grad, its value at the centre shifts by grad . t.
    [
      'scale',
      (m, co, f) => {
        assert.ok(close(m[1]!, 0) && close(m[0]!, m[4]!), 'isotropic');
        assert.ok(close(f.a, co[0]! * m[0]!, 1e-4) && close(f.b, co[1]! * m[4]!, 1e-4), 'gradient scaled');
      },
    ],
    [
      'rotate',
      (_m, co, f) => assert.ok(close(Math.hypot(f.a, f.b), Math.hypot(co[0]!, co[1]!), 1e-4), 'gradient length kept'),
    ],
    [
      'aniso',
      (m, co, f) => {
        assert.ok(close(m[0]! * m[4]!, 1, 1e-9), 'determinant 1');
        assert.ok(close(f.a, co[0]! * m[0]!, 1e-4) && close(f.b, co[1]! * m[4]!, 1e-4));
      },
    ],
    [
      'xfrac',
      (m, co, f) => {
        assert.ok(close(f.a, co[0]!, 1e-4) && close(f.b, co[1]!, 1e-4), 'gradient unchanged');
        assert.ok(close(f.k, co[2]! + co[0]! * m[2]! + co[1]! * m[5]!, 1e-4), 'offset by grad . t');
      },
    ],
  ];
  for (const [name, check] of cases) {
    const seed = 11;
    const mats = geometricMatrices(N, s, s, 1, only(name), new Rng(seed));
    const y = adaAugment(x, 1, new Rng(seed), only(name)).dataSync();
    let changed = 0;
    for (let b = 0; b < N; b++) {
      const f = fitPlane(y, s, b);
      assert.ok(f.resid < 1e-4, `${name}: image ${b} is not a plane in the centre (residual ${f.resid})`);
      const m = mats[b]!;
      if (m.some((v, i) => !close(v, i % 4 === 0 ? 1 : 0, 1e-12))) changed++;
      // General check for every transform: the fitted gradient is G^T grad.
      const ga = coef[b]![0] * m[0]! + coef[b]![1] * m[3]!;
      const gb = coef[b]![0] * m[1]! + coef[b]![1] * m[4]!;
      assert.ok(close(f.a, ga, 1e-4) && close(f.b, gb, 1e-4), `${name}: image ${b} gradient`);
      check(m, coef[b]!, f);
    }
    assert.ok(changed >= (name === 'rotate' ? N / 2 : N - 1), `${name}: ${changed} of ${N} transformed`);
  }
});

test('ADA colour transforms at p = 1: brightness adds a constant, contrast scales, luma flip negates, hue and saturation keep the luma', () => {
  const { x, v } = randomImages(4, 4, 1);
  const per = (y: ArrayLike<number>, b: number, f: (yv: number, xv: number) => number) =>
    Array.from({ length: 16 }, (_, k) => f(y[b * 16 + k]!, v[b * 16 + k]!));
  const spread = (a: number[]) => Math.max(...a) - Math.min(...a);
  const yb = adaAugment(x, 1, new Rng(2), only('brightness')).dataSync();
  const offsets = Array.from({ length: N }, (_, b) => {
    const d = per(yb, b, (a, c) => a - c);
    assert.ok(spread(d) < 1e-5, `brightness: image ${b} offset not constant`);
    return d[0]!;
  });
  assert.ok(offsets.every((o) => o !== 0) && Math.abs(offsets.reduce((a, b) => a + b) / N) < 0.2);
  const yc = adaAugment(x, 1, new Rng(2), only('contrast')).dataSync();
  for (let b = 0; b < N; b++) {
    const r = per(yc, b, (a, c) => a / c);
    assert.ok(spread(r) < 1e-4 && r[0]! > 0, `contrast: image ${b} not scaled about 0`);
  }
  const yl = adaAugment(x, 1, new Rng(2), only('lumaflip')).dataSync();
  let negated = 0;
  for (let b = 0; b < N; b++) {
    const r = per(yl, b, (a, c) => a / c);
    assert.ok(r.every((q) => close(q, 1)) || r.every((q) => close(q, -1)), `luma flip: image ${b}`);
    if (close(r[0]!, -1)) negated++;
  }
  assert.ok(negated > 0 && negated < N);
  // Grayscale: hue and saturation are the identity (the reference's 1-channel rule).
  const yg = adaAugment(x, 1, new Rng(2), only('hue', 'saturation')).dataSync();
  assert.deepEqual(Array.from(yg), Array.from(v));
  // RGB: hue rotation and saturation keep each pixel's luma (channel mean); hue keeps the chroma length.
  const rgb = randomImages(4, 4, 3, 9);
  for (const name of ['hue', 'saturation'] as const) {
    const y = adaAugment(rgb.x, 1, new Rng(4), only(name)).dataSync();
    let moved = 0;
    for (let p = 0; p < N * 16; p++) {
      const a = [0, 1, 2].map((k) => rgb.v[p * 3 + k]!);
      const o = [0, 1, 2].map((k) => y[p * 3 + k]!);
      const ma = (a[0]! + a[1]! + a[2]!) / 3;
      const mo = (o[0]! + o[1]! + o[2]!) / 3;
      assert.ok(close(ma, mo, 1e-5), `${name}: luma kept`);
      if (name === 'hue')
        assert.ok(close(Math.hypot(...a.map((q) => q - ma)), Math.hypot(...o.map((q) => q - mo)), 1e-4));
      if (o.some((q, k) => !close(q, a[k]!, 1e-4))) moved++;
    }
    assert.ok(moved > N * 8, `${name}: ${moved} pixels changed`);
  }
});

test('ADA at p = 0 is the identity; the fast sampler equals the slow reference; gradients reach the image', () => {
  const { x, v } = randomImages(8, 8, 3);
  const all = adaTransforms('bgc');
  const y0 = adaAugment(x, 0, new Rng(1), all);
  assert.deepEqual(Array.from(y0.dataSync()), Array.from(v));
  const mats = geometricMatrices(N, 8, 8, 1, all, new Rng(8));
  const fast = affineSample(x, mats).dataSync();
  const slow = affineSampleReference(v, [N, 8, 8, 3], mats);
  for (let i = 0; i < fast.length; i++) assert.ok(close(fast[i]!, slow[i]!, 1e-5), `sample ${i}`);
  // Linear in x: the gradient of sum(w * A(x)) is A^T w, checked against a finite difference.
  const w = tf.tensor4d(new Rng(2).uniforms(N * 8 * 8 * 3, -1, 1), [N, 8, 8, 3]);
  const f = (z: tf.Tensor) => tf.sum(tf.mul(affineSample(z as tf.Tensor4D, mats), w));
  const g = tf.grad(f)(x).dataSync();
  for (const k of [0, 77, 500, 3000]) {
    const e = tf.tensor4d(
      Array.from({ length: N * 8 * 8 * 3 }, (_, i) => (i === k ? 1e-2 : 0)),
      [N, 8, 8, 3],
    );
    const fd = (f(tf.add(x, e)).dataSync()[0]! - f(tf.sub(x, e)).dataSync()[0]!) / 2e-2;
    assert.ok(close(g[k]!, fd, 2e-3), `gradient ${k}: ${g[k]} vs ${fd}`);
  }
});

test('ADA p rises while D calls every real "real" and falls back to 0 when r_t is under the target', () => {
  const ada = new AdaController({ target: 0.6, interval: 4, kimg: 1, p: 0, groups: 'bgc' });
  const always = tf.ones([16, 1]); // D says real for every image
  for (let i = 0; i < 40; i++) ada.observeLogits(always);
  // 10 adjustments of 64 images each towards 1 at 1k images per unit of p.
  assert.ok(close(ada.p, 0.64, 1e-12), `p ${ada.p}`);
  assert.equal(ada.state.rt, 1);
  const mixed = tf.tensor2d(
    Array.from({ length: 16 }, (_, i) => (i % 2 ? 1 : -1)),
    [16, 1],
  ); // r_t = 0
  const before = ada.p;
  for (let i = 0; i < 8; i++) ada.observeLogits(mixed);
  assert.ok(ada.p < before, 'p falls');
  for (let i = 0; i < 100; i++) ada.observeLogits(mixed);
  assert.equal(ada.p, 0, 'clamped at 0');
  const fixed = new AdaController({ target: 0, interval: 4, kimg: 1, p: 0.3, groups: 'b' });
  for (let i = 0; i < 8; i++) fixed.observeLogits(always);
  assert.equal(fixed.p, 0.3, 'target 0 keeps p fixed');
  assert.throws(() => adaTransforms('bx'), /unknown ADA group 'x'/);
});

test('a stylegan-fmnist32 step with ADA at p = 1 keeps the tfjs cpu fallback under 5% (the gather and its gradient are native)', {
  timeout: 120_000,
}, async () => {
  assert.equal(tf.getBackend(), 'native', 'the test needs the native backend');
  const { trainer } = await trainerFor('ref:stylegan-ada', { batchSize: 8 });
  try {
    trainer.trainStep();
    const census = await censusOf(trainer, 2);
    assert.ok(census.fallback_share <= 0.05, `fallback share ${census.fallback_share}`);
    const gather = census.rows.find((r) => r.kernel === 'GatherV2');
    assert.ok(
      gather && gather.kind === 'native' && gather.calls_per_step >= 3,
      'ADA gathers natively in D and G steps',
    );
  } finally {
    trainer.dispose();
  }
});
