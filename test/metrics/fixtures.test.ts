// The metrics against float64 reference values from numpy/scipy (scripts/make_metric_fixtures.py,
// committed under test/fixtures/metrics/): every value within 1e-6 relative.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { densityCoverage } from '../../src/metrics/density_coverage.js';
import { fid } from '../../src/metrics/fid.js';
import { inceptionScore } from '../../src/metrics/inception_score.js';
import { kid, polynomialMmd2 } from '../../src/metrics/kid.js';
import { symmetricEigen, type Features } from '../../src/metrics/linalg.js';
import { precisionRecall } from '../../src/metrics/precision_recall.js';
import { mulberry32, sampleWithoutReplacement } from '../../src/metrics/rng.js';

const dir = new URL('../fixtures/metrics/', import.meta.url);
const load = (name: string) => JSON.parse(readFileSync(new URL(name, dir), 'utf8'));

interface RawFeatures {
  n: number;
  dim: number;
  data: number[];
}
const feats = (f: RawFeatures): Features => ({ n: f.n, dim: f.dim, data: Float64Array.from(f.data) });

function close(actual: number, expected: number, what: string, rel = 1e-6): void {
  const err = Math.abs(actual - expected);
  assert.ok(
    err <= rel * Math.max(Math.abs(expected), 1e-12),
    `${what}: got ${actual}, reference ${expected} (rel err ${err / Math.abs(expected)})`,
  );
}

const features = load('features.json') as {
  cases: {
    name: string;
    real: RawFeatures;
    fake: RawFeatures;
    fid: number;
    fidSelf: number;
    mmd2Full: number;
    kid: { mean: number; std: number; values: number[]; subsetSize: number };
    precisionRecall: { precision: number; recall: number };
    densityCoverage: { density: number; coverage: number };
  }[];
};

test('mulberry32 and the subset sampler match the reference stream', () => {
  const r = load('rng.json') as { seed7: number[]; seed123Draw: { n: number; m: number; indices: number[] } };
  const g = mulberry32(7);
  for (const v of r.seed7) assert.equal(g(), v);
  const d = r.seed123Draw;
  assert.deepEqual(Array.from(sampleWithoutReplacement(mulberry32(123), d.n, d.m)), d.indices);
});

test('symmetric eigenvalues match scipy eigvalsh', () => {
  for (const c of (load('eigen.json') as { cases: { d: number; matrix: number[]; eigenvalues: number[] }[] }).cases) {
    const { values } = symmetricEigen(Float64Array.from(c.matrix), c.d, { vectors: false });
    c.eigenvalues.forEach((e, i) => {
      assert.ok(
        Math.abs(values[i] - e) <= 1e-10 * Math.max(1, Math.abs(e)),
        `d=${c.d} eigenvalue ${i}: ${values[i]} vs ${e}`,
      );
    });
  }
});

for (const c of features.cases) {
  test(`FID matches scipy sqrtm reference (${c.name})`, () => {
    close(fid(feats(c.real), feats(c.fake)), c.fid, 'FID');
    assert.ok(Math.abs(fid(feats(c.real), feats(c.real))) < 1e-8, 'FID(X, X) ~ 0');
  });

  test(`KID matches the reference (${c.name})`, () => {
    const x = feats(c.real);
    const y = feats(c.fake);
    close(polynomialMmd2(x, y), c.mmd2Full, 'MMD^2 on all samples');
    const k = kid(x, y, { subsets: 10, subsetSize: 100, seed: 7 });
    assert.equal(k.subsetSize, c.kid.subsetSize);
    c.kid.values.forEach((v, i) => {
      close(k.values[i], v, `subset ${i}`);
    });
    close(k.mean, c.kid.mean, 'KID mean');
    close(k.std, c.kid.std, 'KID std');
  });

  test(`precision/recall and density/coverage match the reference (${c.name})`, () => {
    const pr = precisionRecall(feats(c.real), feats(c.fake), { k: 3 });
    close(pr.precision, c.precisionRecall.precision, 'precision');
    close(pr.recall, c.precisionRecall.recall, 'recall');
    const dc = densityCoverage(feats(c.real), feats(c.fake), { k: 5 });
    close(dc.density, c.densityCoverage.density, 'density');
    close(dc.coverage, c.densityCoverage.coverage, 'coverage');
  });
}

test('Inception Score matches the reference (10 splits, uneven split sizes included)', () => {
  const cases = (
    load('inception_score.json') as {
      cases: { name: string; probs: RawFeatures; is: { mean: number; std: number; values: number[] } }[];
    }
  ).cases;
  for (const c of cases) {
    const r = inceptionScore(feats(c.probs), { splits: 10 });
    c.is.values.forEach((v, i) => {
      close(r.values[i], v, `${c.name} split ${i}`);
    });
    close(r.mean, c.is.mean, `${c.name} IS mean`);
    close(r.std, c.is.std, `${c.name} IS std`);
  }
});

test('KID with float32 tfjs Gram matrices stays within 1e-4 of the float64 reference', async () => {
  await import('../../src/index.js');
  for (const c of features.cases) {
    const k = kid(feats(c.real), feats(c.fake), { subsets: 10, subsetSize: 100, seed: 7, gram: 'tfjs' });
    close(k.mean, c.kid.mean, `${c.name} KID mean (tfjs)`, 1e-4);
  }
});

test('precision/recall and density/coverage with float32 tfjs distances agree with the reference', async () => {
  await import('../../src/index.js');
  for (const c of features.cases) {
    const pr = precisionRecall(feats(c.real), feats(c.fake), { k: 3, distances: 'tfjs' });
    // Counts can differ only on near-exact ties: allow one sample.
    assert.ok(
      Math.abs(pr.precision - c.precisionRecall.precision) <= 1 / c.fake.n + 1e-12,
      `${c.name} precision ${pr.precision}`,
    );
    assert.ok(Math.abs(pr.recall - c.precisionRecall.recall) <= 1 / c.real.n + 1e-12, `${c.name} recall ${pr.recall}`);
    const dc = densityCoverage(feats(c.real), feats(c.fake), { k: 5, distances: 'tfjs' });
    assert.ok(
      Math.abs(dc.coverage - c.densityCoverage.coverage) <= 1 / c.real.n + 1e-12,
      `${c.name} coverage ${dc.coverage}`,
    );
    assert.ok(
      Math.abs(dc.density - c.densityCoverage.density) <= 1 / (5 * c.fake.n) + 1e-12,
      `${c.name} density ${dc.density}`,
    );
  }
});
