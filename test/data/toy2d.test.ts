import assert from 'node:assert/strict';
import { test } from 'node:test';

import { makeToy2d, modeCoverage, PACGAN_EVAL_SAMPLES, sampleToy2d, toy2dSpec } from '../../src/data/toy2d.js';
import { mulberry32 } from '../../src/data/types.js';

function stats(points: Float32Array, modeOf: Int32Array, modes: Float32Array, m: number) {
  const count = new Array(m).fill(0);
  const sum = new Array(m).fill(0).map(() => [0, 0, 0]); // dx, dy, dx²+dy²
  for (let i = 0; i < modeOf.length; i++) {
    const k = modeOf[i];
    count[k]++;
    const dx = points[2 * i] - modes[2 * k];
    const dy = points[2 * i + 1] - modes[2 * k + 1];
    sum[k][0] += dx;
    sum[k][1] += dy;
    sum[k][2] += dx * dx + dy * dy;
  }
  return { count, sum };
}

test('ring8: 8 modes on the unit circle, sigma 0.01, equal weights', () => {
  const ds = makeToy2d('ring8', 40000, 1);
  assert.equal(ds.numModes, 8);
  assert.equal(ds.sigma, 0.01);
  for (let i = 0; i < 8; i++) {
    assert.ok(Math.abs(Math.hypot(ds.modes[2 * i], ds.modes[2 * i + 1]) - 1) < 1e-6);
    assert.ok(Math.abs(ds.modes[2 * i] - Math.cos((2 * Math.PI * i) / 8)) < 1e-6);
    assert.ok(Math.abs(ds.modes[2 * i + 1] - Math.sin((2 * Math.PI * i) / 8)) < 1e-6);
  }
  const { count, sum } = stats(ds.points, ds.modeOfPoint!, ds.modes, 8);
  for (let k = 0; k < 8; k++) {
    assert.ok(Math.abs(count[k] / 40000 - 1 / 8) < 0.01, `weight of mode ${k}: ${count[k] / 40000}`);
    assert.ok(Math.abs(sum[k][0] / count[k]) < 0.002 && Math.abs(sum[k][1] / count[k]) < 0.002, 'mean at the mode');
    const sd = Math.sqrt(sum[k][2] / count[k] / 2);
    assert.ok(Math.abs(sd - 0.01) < 0.0005, `per-axis sd of mode ${k}: ${sd}`);
  }
});

test('grid25: 5x5 modes at (-4 + 2i, -4 + 2j), sigma 0.05', () => {
  const ds = makeToy2d('grid25', 50000, 2);
  assert.equal(ds.numModes, 25);
  assert.equal(ds.sigma, 0.05);
  const xs = new Set<number>();
  for (let i = 0; i < 25; i++) xs.add(ds.modes[2 * i]);
  assert.deepEqual(
    [...xs].sort((a, b) => a - b),
    [-4, -2, 0, 2, 4],
  );
  const { count, sum } = stats(ds.points, ds.modeOfPoint!, ds.modes, 25);
  for (let k = 0; k < 25; k++) {
    assert.ok(Math.abs(count[k] / 50000 - 1 / 25) < 0.006, `weight of mode ${k}`);
    const sd = Math.sqrt(sum[k][2] / count[k] / 2);
    assert.ok(Math.abs(sd - 0.05) < 0.003, `per-axis sd of mode ${k}: ${sd}`);
  }
});

test('toy data is seeded: same seed, same points; other seed, other points', () => {
  assert.deepEqual([...makeToy2d('ring8', 100, 7).points], [...makeToy2d('ring8', 100, 7).points]);
  assert.notDeepEqual([...makeToy2d('ring8', 100, 7).points], [...makeToy2d('ring8', 100, 8).points]);
  const sp = makeToy2d('spiral', 2000, 3);
  assert.equal(sp.numModes, 0);
  let maxR = 0;
  for (let i = 0; i < sp.n; i++) maxR = Math.max(maxR, Math.hypot(sp.points[2 * i], sp.points[2 * i + 1]));
  assert.ok(maxR > 1.8 && maxR < 2.3, `spiral radius ${maxR}`);
  assert.throws(() => toy2dSpec('moons' as never), /unknown toy distribution 'moons'/);
});

test('mode coverage (PacGAN protocol): real data is perfect, collapse and noise are detected', () => {
  const spec = toy2dSpec('ring8');
  const real = sampleToy2d(spec, PACGAN_EVAL_SAMPLES, mulberry32(11)).points;
  const cov = modeCoverage(real, spec.modes, spec.sigma);
  assert.equal(cov.n, 2500);
  assert.equal(cov.modesCovered, 8);
  // Within 3 sigma in 2-D: P(chi2_2 <= 9) = 1 - exp(-4.5) ≈ 0.989.
  assert.ok(Math.abs(cov.highQualityFraction - 0.989) < 0.01, `hq ${cov.highQualityFraction}`);
  assert.ok(cov.reverseKL < 0.01, `kl ${cov.reverseKL}`);

  // Partial collapse: all samples on 3 of 8 modes.
  const collapsed = new Float32Array(2 * 2500);
  for (let i = 0; i < 2500; i++) {
    const k = i % 3;
    collapsed[2 * i] = spec.modes[2 * k] + 0.005;
    collapsed[2 * i + 1] = spec.modes[2 * k + 1];
  }
  const c2 = modeCoverage(collapsed, spec.modes, spec.sigma);
  assert.equal(c2.modesCovered, 3);
  assert.equal(c2.highQualityFraction, 1);
  assert.ok(Math.abs(c2.reverseKL - Math.log(8 / 3)) < 1e-3, `kl ${c2.reverseKL}`);

  // Samples between modes: every mode is "nearest" to something, but none is high quality.
  const blurry = new Float32Array(2 * 2500);
  for (let i = 0; i < 2500; i++) {
    const a = (2 * Math.PI * i) / 2500;
    blurry[2 * i] = 0.5 * Math.cos(a);
    blurry[2 * i + 1] = 0.5 * Math.sin(a);
  }
  const c3 = modeCoverage(blurry, spec.modes, spec.sigma);
  assert.equal(c3.highQualityFraction, 0);
  assert.equal(c3.modesCovered, 0);
  assert.ok(c3.samplesPerMode.every((c) => c > 0));
  assert.equal(c3.reverseKL, Infinity);
  assert.throws(() => modeCoverage(real, new Float32Array(0), 0.1), /no modes/);
});
