// The vanilla-ring8 preset learns the ring of 8 Gaussians (PacGAN protocol: 2,500 samples, a
// sample is high quality within 3 sigma of a mode): at least 7 of 8 modes covered and at least 80%
// high-quality samples, with a fixed seed.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { PACGAN_EVAL_SAMPLES, Rng, modeCoverage, train, type PointDataset } from '../../src/index.js';

test('vanilla-ring8 covers >= 7/8 modes with >= 80% high-quality samples', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-ring8-'));
  try {
    const res = await train({
      preset: 'vanilla-ring8',
      config: { seed: 1, logEvery: 1000, sampleEvery: 100000, checkpointEvery: 100000 },
      runDir: tmp,
      progress: 'none',
      handleSignals: false,
    });
    const t = res.trainer;
    const ds = t.dataset as PointDataset;
    const z = t.model.sampleLatent(PACGAN_EVAL_SAMPLES, new Rng(2024));
    const pts = t.generate(z).dataSync() as Float32Array;
    const cov = modeCoverage(pts, ds.modes, ds.sigma, { k: 3 });
    t.dispose();
    assert.ok(cov.modesCovered >= 7, `modes covered: ${cov.modesCovered}/8 (${cov.highQualityPerMode.join(', ')})`);
    assert.ok(cov.highQualityFraction >= 0.8, `high-quality fraction ${cov.highQualityFraction.toFixed(3)}`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
