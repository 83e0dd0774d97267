// Sanity checks of the metrics on real data and on constructed cases: FID of a set with itself,
// two disjoint halves of Fashion-MNIST, a collapsed set; the eps*I fallback; KID, IS, precision/
// recall, density/coverage and class coverage on cases whose answer is known.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { loadFashionMnist } from '../../src/data/fashion_mnist.js';
import { classCoverage } from '../../src/metrics/class_coverage.js';
import { densityCoverage } from '../../src/metrics/density_coverage.js';
import { featureStats, fid, fidFromStats } from '../../src/metrics/fid.js';
import { inceptionScore } from '../../src/metrics/inception_score.js';
import { kid } from '../../src/metrics/kid.js';
import type { Features } from '../../src/metrics/linalg.js';
import { toyModeCoverage } from '../../src/metrics/mode_coverage.js';
import { precisionRecall } from '../../src/metrics/precision_recall.js';
import { cachedReferenceStats, readStatsFile } from '../../src/metrics/reference_stats.js';
import { mulberry32 } from '../../src/metrics/rng.js';
import { toy2dSpec } from '../../src/data/toy2d.js';

/** Fashion-MNIST test images average-pooled 4x4 to 7x7 = 49 features (cheap real-data features). */
function pooledFmnist(): { f: Features; labels: Int32Array } {
  const ds = loadFashionMnist({ split: 'test' });
  const d = 49;
  const data = new Float64Array(ds.n * d);
  for (let i = 0; i < ds.n; i++) {
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 28; x++) data[i * d + (y >> 2) * 7 + (x >> 2)] += ds.images[i * 784 + y * 28 + x] / 16;
    }
  }
  return { f: { n: ds.n, dim: d, data }, labels: ds.labels! };
}

const rows = (f: Features, idx: number[]): Features => {
  const data = new Float64Array(idx.length * f.dim);
  idx.forEach((r, i) => {
    data.set(f.data.subarray(r * f.dim, (r + 1) * f.dim), i * f.dim);
  });
  return { n: idx.length, dim: f.dim, data };
};

function gaussian(n: number, d: number, seed: number, shift = 0): Features {
  const r = mulberry32(seed);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n * d; i++) {
    const u = Math.max(r(), 1e-12);
    data[i] = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r()) + shift;
  }
  return { n, dim: d, data };
}

test('FID on Fashion-MNIST: itself ~0, disjoint halves small, a collapsed set large', () => {
  const { f } = pooledFmnist();
  const even = Array.from({ length: f.n / 2 }, (_, i) => 2 * i);
  const odd = even.map((i) => i + 1);
  const self = fid(f, f);
  assert.ok(Math.abs(self) < 1e-6, `FID(X, X) = ${self}`);
  const halves = fid(rows(f, even), rows(f, odd));
  // A "generator" that outputs 10 images (plus a little noise) over and over.
  const r = mulberry32(3);
  const collapsed = rows(
    f,
    even.map((_, i) => 2 * (i % 10)),
  );
  for (let i = 0; i < collapsed.data.length; i++) collapsed.data[i] += 0.01 * (r() - 0.5);
  const bad = fid(rows(f, even), collapsed);
  assert.ok(halves > 0 && halves < 0.05 * bad, `halves ${halves} should be far below collapsed ${bad}`);
  assert.ok(bad > 1, `collapsed FID ${bad}`);
});

test('FID stays finite and symmetric on singular covariances (fewer samples than dimensions)', () => {
  const a = gaussian(10, 40, 1);
  const b = gaussian(12, 40, 2, 0.1);
  const v = fid(a, b);
  assert.ok(Number.isFinite(v) && v > 0, `FID = ${v}`);
  // Symmetric in its arguments.
  const w = fid(b, a);
  assert.ok(Math.abs(v - w) < 1e-6 * v, `FID(a,b)=${v} FID(b,a)=${w}`);
  assert.throws(() => fid(a, gaussian(12, 41, 3)), /dimensions differ/);
});

test('FID reference statistics are cached in a file and reused', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsgan-stats-'));
  try {
    const file = path.join(dir, 'ref.stats');
    const x = gaussian(200, 6, 4);
    let computed = 0;
    const compute = () => {
      computed++;
      return featureStats(x);
    };
    const first = await cachedReferenceStats(file, 'toy:6d', compute);
    const second = await cachedReferenceStats(file, 'toy:6d', compute);
    assert.equal(computed, 1);
    assert.equal(first.cached, false);
    assert.equal(second.cached, true);
    assert.deepEqual(Array.from(second.stats.cov), Array.from(first.stats.cov));
    assert.equal(fidFromStats(second.stats, featureStats(gaussian(200, 6, 5, 1))), fid(x, gaussian(200, 6, 5, 1)));
    // Another key recomputes; a corrupt file is recomputed, not trusted.
    await cachedReferenceStats(file, 'toy:other', compute);
    assert.equal(computed, 2);
    writeFileSync(file, 'garbage');
    assert.throws(() => readStatsFile(file), /not a tsgan statistics file/);
    const again = await cachedReferenceStats(file, 'toy:other', compute);
    assert.equal(again.cached, false);
    assert.equal(computed, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('KID: ~0 for samples of one distribution, positive for shifted ones, seeded subsets are repeatable', () => {
  const a = gaussian(400, 8, 10);
  const b = gaussian(400, 8, 11);
  const c = gaussian(400, 8, 12, 0.5);
  const same = kid(a, b, { subsets: 20, subsetSize: 200 });
  const diff = kid(a, c, { subsets: 20, subsetSize: 200 });
  assert.ok(Math.abs(same.mean) < 3 * same.std + 0.01, `same-distribution KID ${same.mean} +- ${same.std}`);
  assert.ok(diff.mean > 10 * Math.abs(same.mean) && diff.mean > 0.05, `shifted KID ${diff.mean}`);
  assert.deepEqual(
    kid(a, c, { subsets: 5, subsetSize: 50, seed: 9 }).values,
    kid(a, c, { subsets: 5, subsetSize: 50, seed: 9 }).values,
  );
  assert.notDeepEqual(
    kid(a, c, { subsets: 5, subsetSize: 50, seed: 9 }).values,
    kid(a, c, { subsets: 5, subsetSize: 50, seed: 10 }).values,
  );
  assert.equal(kid(gaussian(30, 8, 1), c, { subsets: 2 }).subsetSize, 30);
});

test('IS: one-hot over all classes gives C, identical rows give 1', () => {
  const c = 10;
  const n = 1000;
  const onehot = new Float64Array(n * c);
  for (let i = 0; i < n; i++) onehot[i * c + (i % c)] = 1;
  const r = inceptionScore({ n, dim: c, data: onehot });
  assert.ok(Math.abs(r.mean - c) < 1e-9 && r.std < 1e-9, `IS ${r.mean}`);
  const flat = new Float64Array(n * c).fill(0.1);
  assert.ok(Math.abs(inceptionScore({ n, dim: c, data: flat }).mean - 1) < 1e-12);
  assert.throws(() => inceptionScore({ n: 5, dim: c, data: flat.subarray(0, 50) }), /splits/);
});

test('precision/recall and density/coverage: identical sets score 1, a collapsed set has low recall and coverage', () => {
  const a = gaussian(300, 4, 20);
  const pr = precisionRecall(a, a);
  assert.deepEqual(pr, { precision: 1, recall: 1 });
  // 300 samples around one real point: precise but no recall.
  const r = mulberry32(1);
  const collapsed = { n: 300, dim: 4, data: new Float64Array(1200).map((_, i) => a.data[i % 4] + 1e-3 * r()) };
  const pc = precisionRecall(a, collapsed);
  assert.ok(pc.precision > 0.9 && pc.recall < 0.05, JSON.stringify(pc));
  const dc = densityCoverage(a, collapsed);
  assert.ok(dc.coverage < 0.05, JSON.stringify(dc));
  const dcSame = densityCoverage(a, gaussian(300, 4, 21));
  assert.ok(dcSame.coverage > 0.8 && dcSame.density > 0.7 && dcSame.density < 1.3, JSON.stringify(dcSame));
});

test('class coverage and classifier confidence, with and without requested labels', () => {
  const probs = new Float64Array([0.9, 0.05, 0.05, 0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.6, 0.3, 0.1]);
  const r = classCoverage({ n: 4, dim: 3, data: probs }, { labels: [0, 0, 1, 1] });
  assert.deepEqual(r.classHistogram, [3, 1, 0]);
  assert.ok(Math.abs(r.classCoverage - 2 / 3) < 1e-12);
  assert.ok(Math.abs(r.confidence - (0.9 + 0.8 + 0.7 + 0.6) / 4) < 1e-12);
  assert.equal(r.conditionalAccuracy, 0.75);
  assert.ok(Math.abs(r.conditionalConfidence! - (0.9 + 0.8 + 0.7 + 0.3) / 4) < 1e-12);
  assert.throws(() => classCoverage({ n: 4, dim: 3, data: probs }, { labels: [0, 0, 1, 3] }), /outside/);
});

test('mode coverage (PacGAN protocol): a perfect sampler covers 8/8 modes, a one-mode sampler 1/8', async () => {
  const spec = toy2dSpec('ring8');
  const r = mulberry32(5);
  const sampler = (modes: number) => (n: number) => {
    const out = new Float32Array(2 * n);
    for (let i = 0; i < n; i++) {
      const k = i % modes;
      out[2 * i] = spec.modes[2 * k] + spec.sigma * (r() - 0.5);
      out[2 * i + 1] = spec.modes[2 * k + 1] + spec.sigma * (r() - 0.5);
    }
    return out;
  };
  const good = await toyModeCoverage('ring8', sampler(8));
  assert.equal(good.n, 2500);
  assert.equal(good.modesCovered, 8);
  assert.equal(good.highQualityFraction, 1);
  const one = await toyModeCoverage('ring8', sampler(1));
  assert.equal(one.modesCovered, 1);
});
