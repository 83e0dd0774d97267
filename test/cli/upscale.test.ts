// tsgan upscale (src/train/upscale.ts): tiled output equals the whole-image output within 1e-5 when
// the tile padding covers the receptive radius (and differs when it does not); a rectangular RGBA
// PNG upscales from a checkpoint (size x scale, alpha kept, labelled synthetic, pixels equal to the
// network on the whole image); a 1x1 image, a corrupt file, a non-SR run and a --scale the model was
// not trained for are sentences and write nothing.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import sharp from 'sharp';

import { srPairs } from '../../src/data/super_resolution.js';
import { isLabelledSynthetic, readPngText, tf } from '../../src/index.js';
import { DCGAN } from '../../src/models/dcgan.js';
import { SRGAN } from '../../src/models/srgan.js';
import { writeCheckpointFile } from '../../src/train/checkpoint.js';
import { parseConfig } from '../../src/train/config.js';
import { Trainer } from '../../src/train/trainer.js';
import { openUpscaler, tiledUpscale, upscaleFiles } from '../../src/train/upscale.js';
import { loadFashionMnist } from '../../src/index.js';

async function tiled(
  g: import('@tensorflow/tfjs-layers').LayersModel,
  x: Float32Array,
  h: number,
  w: number,
  c: number,
  s: number,
  tile: number,
  pad: number,
) {
  const out = new Float32Array(h * s * w * s * c);
  await tiledUpscale(
    g,
    { height: h, width: w, channels: c, scale: s },
    async (y0, y1) => x.slice(y0 * w * c, y1 * w * c),
    (rows, y0) => out.set(rows, y0 * s * w * s * c),
    { tile, pad },
  );
  return out;
}

test('tiled upscaling equals the whole image within 1e-5 when the padding covers the receptive radius', async () => {
  const m = new SRGAN({ scale: 2, blocks: 2, width: 8, adversarial: false, channels: 3 });
  const g = m.generatorForAnySize('G');
  const [h, w, c] = [37, 29, 3];
  const x = tf.randomUniform([1, h, w, c], -1, 1, 'float32', 4);
  const whole = tf.clipByValue(g.apply(x) as tf.Tensor, -1, 1).dataSync();
  const xv = x.dataSync() as Float32Array;
  const exact = await tiled(g, xv, h, w, c, 2, 8, m.receptiveRadius);
  let worst = 0;
  for (let i = 0; i < whole.length; i++) worst = Math.max(worst, Math.abs(exact[i]! - whole[i]!));
  assert.ok(worst < 1e-5, `tiled vs whole: ${worst}`);
  const short = await tiled(g, xv, h, w, c, 2, 8, 1);
  let off = 0;
  for (let i = 0; i < whole.length; i++) off = Math.max(off, Math.abs(short[i]! - whole[i]!));
  assert.ok(off > 1e-4, `a padding below the radius shows at the seams (${off})`);
  g.dispose();
  m.dispose();
});

function srCheckpoint(dir: string): string {
  const ds = loadFashionMnist({ limit: 8 });
  // Colour pairs from grayscale: three copies of each image.
  const rgb = new Float32Array(ds.n * 28 * 28 * 3).map((_, i) => ds.images[Math.floor(i / 3)]!);
  const t = new Trainer({
    config: parseConfig({ batchSize: 2, seed: 1, ema: 0.9 }),
    dataset: srPairs(rgb, ds.n, 28, 3, 4, 'toy'),
    model: new SRGAN({ scale: 4, inputSize: 7, channels: 3, blocks: 1, width: 4, widthD: 2, dStages: 1, denseD: 4 }),
  });
  t.trainStep();
  const file = path.join(dir, 'sr.ckpt');
  writeCheckpointFile(file, t.toCheckpoint());
  t.dispose();
  return file;
}

test('upscale: a rectangular RGBA PNG from a checkpoint: x4 size, alpha kept, labelled, equal to the whole-image network', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-upscale-'));
  try {
    const run = srCheckpoint(dir);
    const [w, h] = [23, 17];
    const buf = Buffer.alloc(w * h * 4);
    for (let i = 0; i < w * h; i++) buf.set([(i * 7) % 256, (i * 3) % 256, 200, i % 5 === 0 ? 0 : 255], i * 4);
    const input = path.join(dir, 'in.png');
    await sharp(buf, { raw: { width: w, height: h, channels: 4 } })
      .png()
      .toFile(input);
    const [written] = await upscaleFiles(run, [input], path.join(dir, 'out'), { tile: 6 });
    const { data, info } = await sharp(written!).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height, info.channels], [w * 4, h * 4, 4]);
    assert.equal(data[3], 0, 'transparent pixel stays transparent');
    assert.equal(data[4 * 4 * 4 + 3], 255);
    assert.ok(isLabelledSynthetic(readPngText(written!)));
    // The same network on the whole image (alpha composited on white), rounded to bytes.
    const up = openUpscaler(run);
    const x = new Float32Array(w * h * 3);
    for (let i = 0; i < w * h; i++) {
      const a = buf[i * 4 + 3]! / 255;
      for (let k = 0; k < 3; k++) x[i * 3 + k] = (buf[i * 4 + k]! * a + 255 * (1 - a)) / 127.5 - 1;
    }
    const ref = tf
      .tidy(() => tf.clipByValue(up.generator.apply(tf.tensor4d(x, [1, h, w, 3])) as tf.Tensor, -1, 1))
      .dataSync();
    let worst = 0;
    for (let i = 0; i < ref.length; i++)
      worst = Math.max(worst, Math.abs(Math.round((ref[i]! + 1) * 127.5) - data[Math.floor(i / 3) * 4 + (i % 3)]!));
    assert.ok(worst <= 1, `bytes differ by ${worst}`);
    up.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('upscale refuses a 1x1 image, a corrupt file, a non-SR run and a wrong --scale, writing nothing', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-upscale-bad-'));
  try {
    const run = srCheckpoint(dir);
    const tiny = path.join(dir, 'tiny.png');
    await sharp({ create: { width: 1, height: 1, channels: 3, background: '#808080' } })
      .png()
      .toFile(tiny);
    const corrupt = path.join(dir, 'corrupt.png');
    writeFileSync(corrupt, Buffer.from('\x89PNG\r\n\x1a\nthis is not a png'));
    const good = path.join(dir, 'good.png');
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
      .png()
      .toFile(good);
    const out = path.join(dir, 'out');
    await assert.rejects(upscaleFiles(run, [good, tiny], out), /tiny\.png is 1x1 pixels; upscale needs at least 2x2/);
    await assert.rejects(upscaleFiles(run, [corrupt], out), /cannot read .*corrupt\.png as an image/);
    await assert.rejects(upscaleFiles(run, [good], out, { scale: 2 }), /trained for x4; --scale 2 is not available/);
    const t = new Trainer({
      config: parseConfig({ batchSize: 2, seed: 1, ema: 0 }),
      dataset: loadFashionMnist({ limit: 4 }),
      model: new DCGAN({ resolution: 28, channels: 1, width: 4, latentDim: 4 }),
    });
    const dc = path.join(dir, 'dc.ckpt');
    writeCheckpointFile(dc, t.toCheckpoint());
    t.dispose();
    await assert.rejects(upscaleFiles(dc, [good], out), /holds a dcgan model; upscale needs a super-resolution run/);
    assert.equal(existsSync(out), false, 'nothing written');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
