// StyleGAN2 projection (src/style/project.ts): an image the generator made is found again in W+
// (PSNR far above the w_avg start), the noise regularization penalizes correlated noise, and an
// image of the wrong size or mode is refused with a sentence.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import sharp from 'sharp';

import { tf } from '../../src/index.js';
import { psnr } from '../../src/metrics/image_quality.js';
import { StyleGAN2 } from '../../src/models/stylegan2.js';
import { initializeWeights } from '../../src/nn/init.js';
import { Rng } from '../../src/train/rng.js';
import { wForSeeds } from '../../src/style/control.js';
import { noiseRegularization, projectImage, readTargetImage } from '../../src/style/project.js';

test('projection in W+ recovers an image the generator made: PSNR far above the w_avg start', () => {
  const model = new StyleGAN2({
    resolution: 8,
    channels: 1,
    latentDim: 8,
    wDim: 8,
    mappingLayers: 2,
    channelBase: 64,
    channelMax: 8,
  });
  initializeWeights(model.networks.G!, new Rng(5), 'dcgan');
  const run = { model, generator: model.networks.G! };
  model.wAvg = Float32Array.from(
    run.model
      .mapLatents(model.sampleLatent(256, new Rng(1)))
      .mean(0)
      .dataSync(),
  );
  const target = Float32Array.from(model.synthesize(wForSeeds(run, [4])).dataSync());
  const start = Float32Array.from(model.synthesize(tf.tensor2d(model.wAvg, [1, 8])).dataSync());
  const p0 = psnr({ data: start, shape: [1, 8, 8, 1] }, { data: target, shape: [1, 8, 8, 1] });
  const p = projectImage(run, target, { space: 'w+', steps: 80, featureWeight: 0 });
  assert.equal(p.ws.length, model.numWs * 8);
  assert.ok(p.psnr > p0 + 6, `PSNR ${p0.toFixed(2)} -> ${p.psnr.toFixed(2)} dB`);
});

test('noise regularization: zero for white noise shifted-uncorrelated, large for smooth noise', () => {
  const r = new Rng(3);
  const white = tf.tensor4d(r.normals(32 * 32), [1, 32, 32, 1]);
  const smooth = tf.tensor4d(
    Float32Array.from({ length: 32 * 32 }, (_, i) => Math.sin((i % 32) / 5) + Math.cos(Math.floor(i / 32) / 5)),
    [1, 32, 32, 1],
  );
  const a = noiseRegularization([white]).dataSync()[0]!;
  const b = noiseRegularization([smooth]).dataSync()[0]!;
  assert.ok(b > 100 * a, `white ${a}, smooth ${b}`);
});

test('project refuses an image of the wrong size or mode with a sentence', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-proj-'));
  try {
    const rgb = path.join(tmp, 'rgb.png');
    const big = path.join(tmp, 'big.png');
    const gray = path.join(tmp, 'gray.png');
    await sharp({ create: { width: 32, height: 32, channels: 3, background: '#ff0000' } })
      .png()
      .toFile(rgb);
    await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ff0000' } })
      .grayscale()
      .png()
      .toFile(big);
    await sharp(Buffer.alloc(32 * 32, 128), { raw: { width: 32, height: 32, channels: 1 } })
      .toColourspace('b-w')
      .png()
      .toFile(gray);
    await assert.rejects(readTargetImage(big, [32, 32, 1]), /is 64x64; this model makes 32x32 images/);
    await assert.rejects(readTargetImage(rgb, [32, 32, 1]), /is a colour image; this model makes grayscale images/);
    await assert.rejects(readTargetImage(gray, [32, 32, 3]), /is a grayscale image; this model makes colour/);
    await assert.rejects(readTargetImage(path.join(tmp, 'none.png'), [32, 32, 1]), /not found/);
    const v = await readTargetImage(gray, [32, 32, 1]);
    assert.ok(Math.abs(v[0]! - (128 / 127.5 - 1)) < 1e-6);
    const grayRgb = path.join(tmp, 'gray-rgb.png'); // an RGB file with equal channels is a grayscale image
    await sharp({ create: { width: 32, height: 32, channels: 3, background: '#808080' } })
      .png()
      .toFile(grayRgb);
    assert.equal((await readTargetImage(grayRgb, [32, 32, 1])).length, 32 * 32);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
