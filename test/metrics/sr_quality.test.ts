// Super-resolution scores (src/metrics/sr_quality.ts, src/train/sr_eval.ts): Y channel as MATLAB's
// rgb2ycbcr, PSNR of identical images, the border crop, and `evaluateSRRun` on an srgan checkpoint
// of the sr-fmnist task (model and bicubic scored on the same held-out images).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { fmnistSR } from '../../src/data/super_resolution.js';
import { loadFashionMnist } from '../../src/index.js';
import { scoreSR, yChannel } from '../../src/metrics/sr_quality.js';
import { SRGAN } from '../../src/models/srgan.js';
import { writeCheckpointFile } from '../../src/train/checkpoint.js';
import { parseConfig } from '../../src/train/config.js';
import { evaluateSRRun, formatSREvaluation, isSRRun } from '../../src/train/sr_eval.js';
import { Trainer } from '../../src/train/trainer.js';

test('yChannel: white is 235, black 16 (BT.601 studio range), gray passes through as bytes; the crop removes the border', () => {
  const img = new Float32Array([1, 1, 1, -1, -1, -1, 1, -1, -1, -1, 1, -1]); // white, black, red, green: a 2x2 RGB image
  const y = yChannel(img, [1, 2, 2, 3], 0);
  assert.ok(Math.abs(y[0]! - 235) < 1e-3 && Math.abs(y[1]! - 16) < 1e-3);
  assert.ok(Math.abs(y[2]! - (16 + 65.481)) < 1e-3 && Math.abs(y[3]! - (16 + 128.553)) < 1e-3);
  assert.deepEqual(Array.from(yChannel(new Float32Array(16).fill(0), [1, 4, 4, 1], 1)), [128, 128, 128, 128]);
  assert.throws(() => yChannel(new Float32Array(4), [1, 2, 2, 1], 1), /too small to crop/);
});

test('scoreSR: identical images give 100 dB and SSIM 1; a difference only inside the crop border is ignored', () => {
  const a = new Float32Array(20 * 20).map((_, i) => Math.sin(i));
  const b = a.slice();
  const s = scoreSR(a, b, [1, 20, 20, 1], 4);
  assert.equal(s.psnrY, 100);
  assert.ok(Math.abs(s.ssimY - 1) < 1e-9);
  b[0] = -a[0]!; // the corner: in the cropped border
  assert.equal(scoreSR(a, b, [1, 20, 20, 1], 4).psnrY, 100);
  b[10 * 20 + 10] = 1 - a[10 * 20 + 10]!;
  assert.ok(scoreSR(a, b, [1, 20, 20, 1], 4).psnrY < 100);
});

test('evaluateSRRun scores an srgan checkpoint of sr-fmnist on held-out images against bicubic', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-sreval-'));
  try {
    const ds = loadFashionMnist({ limit: 16 });
    const t = new Trainer({
      config: parseConfig({ batchSize: 4, seed: 1, ema: 0, model: { family: 'srgan' }, data: { source: 'sr-fmnist' } }),
      dataset: fmnistSR(ds.images, ds.n, 4),
      model: new SRGAN({ scale: 4, inputSize: 7, channels: 1, blocks: 1, width: 4, adversarial: false }),
    });
    t.trainStep();
    const file = path.join(dir, 'sr.ckpt');
    writeCheckpointFile(file, t.toCheckpoint());
    t.dispose();
    assert.ok(isSRRun(file));
    const r = await evaluateSRRun(file, { limit: 24 });
    assert.equal(r.n, 24);
    assert.equal(r.scale, 4);
    for (const s of [r.model, r.bicubic])
      assert.ok(Number.isFinite(s.psnrY) && s.ssimY > -1 && s.ssimY <= 1 && s.featureDistance >= 0);
    assert.ok(r.bicubic.psnrY > 12 && r.bicubic.psnrY < 30, `bicubic ${r.bicubic.psnrY}`);
    assert.match(formatSREvaluation(r), /PSNR-Y .* dB/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
