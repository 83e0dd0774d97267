// tsgan export of a super-resolution (srgan) run: the any-size generator in the TF.js format with a
// manifest whose input is a 'low-resolution image' and whose scale is the run's; loadGenerator and
// `tsgan upscale EXPORT` give the run's own outputs; the page upscales an uploaded image in headless
// Chromium, offline, as Node does, and states its size limit for a larger one; options that do not
// fit are sentences.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

import sharp from 'sharp';

import { srPairs } from '../../src/data/super_resolution.js';
import { SR_PAGE_MAX_SIDE } from '../../src/export/web_sr.js';
import { exportRun, loadGenerator, openGenerator, Rng, serveFolder, tf, type tfl } from '../../src/index.js';
import { SRGAN } from '../../src/models/srgan.js';
import { writeCheckpointFile } from '../../src/train/checkpoint.js';
import { parseConfig } from '../../src/train/config.js';
import { readRaster, translateFiles } from '../../src/train/translate.js';
import { Trainer } from '../../src/train/trainer.js';
import { openUpscaler, upscaleFiles } from '../../src/train/upscale.js';
import { findBrowser, offlinePage } from '../helpers/browser.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-srexport-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Sets every weight of a network to seeded values N(0, sd) (variances |N(0, sd)| + 0.5): outputs that vary. */
function randomize(net: tfl.LayersModel, seed: number, sd: number): void {
  const rng = new Rng(seed);
  for (const w of net.weights) {
    const n = w.shape.reduce((a, b) => a * b, 1);
    let v = rng.normals(n).map((x) => x * sd);
    if (/variance/.test(w.name)) v = v.map((x) => Math.abs(x) + 0.5);
    w.write(tf.tensor(v, w.shape));
  }
}

/**
 * A tiny x4 RGB SRGAN checkpoint after two steps, its generators' weights then set to seeded values
 * (a two-step network's output is nearly flat; these vary), EMA and raw differing.
 */
function srCheckpoint(): string {
  const size = 16;
  const n = 4;
  const targets = new Float32Array(n * size * size * 3).map((_, i) => Math.sin(i * 0.37) * 0.9);
  const t = new Trainer({
    config: parseConfig({ batchSize: 2, seed: 1, ema: 0.9 }),
    dataset: srPairs(targets, n, size, 3, 4, 'toy'),
    model: new SRGAN({ scale: 4, inputSize: 4, channels: 3, blocks: 1, width: 4, widthD: 2, dStages: 1, denseD: 4 }),
  });
  t.trainStep();
  t.trainStep();
  randomize(t.model.networks.G!, 3, 0.2);
  randomize(t.ema.G!, 4, 0.2);
  const file = path.join(tmp, 'sr.ckpt');
  writeCheckpointFile(file, t.toCheckpoint());
  t.dispose();
  return file;
}

const ck = srCheckpoint();

/** An opaque RGB PNG of w x h with varied pixels. */
async function image(file: string, w: number, h: number): Promise<string> {
  const raw = Buffer.alloc(w * h * 3);
  for (let i = 0; i < w * h; i++) raw.set([(i * 11) % 256, (i * 5) % 256, (i * 3) % 256], i * 3);
  await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toFile(file);
  return file;
}

test('export of an srgan run: low-resolution image input with its scale, the run’s outputs at any size; upscale from the export', async () => {
  const exp = path.join(tmp, 'sr');
  const r = await exportRun(ck, exp);
  assert.equal(r.format, 'tfjs');
  const { model, manifest } = await loadGenerator(exp);
  assert.deepEqual(
    manifest.inputs.map((i) => [i.role, i.shape]),
    [['low-resolution image', [null, null, null, 3]]],
  );
  assert.equal(manifest.scale, 4);
  assert.equal(manifest.latentDim, 0);
  assert.equal(manifest.resolution, 16);
  assert.equal(typeof manifest.extra?.receptiveRadius, 'number');
  for (const f of ['index.html', 'tf.min.js', 'tsgan-layers.js']) assert.ok(existsSync(path.join(exp, f)), f);
  assert.match(readFileSync(path.join(exp, 'index.html'), 'utf8'), /type="file"[\s\S]*at most 128x128 pixels/);
  const up = openUpscaler(ck);
  try {
    for (const shape of [
      [1, 4, 4, 3],
      [2, 9, 13, 3],
    ])
      tf.tidy(() => {
        const x = tf.randomUniform(shape, -1, 1, 'float32', 7);
        const a = model.predict(x) as tf.Tensor;
        const b = up.generator.predict(x) as tf.Tensor;
        assert.deepEqual(a.shape, [shape[0], shape[1]! * 4, shape[2]! * 4, 3]);
        const d = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
        assert.ok(d < 1e-6, `export vs run at ${shape}: ${d}`);
      });
  } finally {
    up.dispose();
    model.dispose();
  }
  // tsgan upscale on the export writes the same PNG pixels as on the run (tiled, with the recorded radius).
  const img = await image(path.join(tmp, 'in.png'), 21, 13);
  const [a] = await upscaleFiles(ck, [img], path.join(tmp, 'from-run'), { tile: 8 });
  const [b] = await upscaleFiles(exp, [img], path.join(tmp, 'from-export'), { tile: 8 });
  const ra = await readRaster(a!);
  const rb = await readRaster(b!);
  assert.deepEqual([rb.width, rb.height], [84, 52]);
  assert.deepEqual(Array.from(rb.data), Array.from(ra.data));
  await assert.rejects(upscaleFiles(exp, [img], path.join(tmp, 'x0'), { scale: 2 }), /exported for x4; --scale 2/);
  await assert.rejects(
    openGenerator(exp),
    /upscales images instead of generating them from latents: use tsgan upscale/,
  );
  await assert.rejects(translateFiles(exp, [img], path.join(tmp, 'x0')), /exported srgan upscaler; use tsgan upscale/);
});

test('srgan export: options that do not fit are sentences, nothing written', async () => {
  await assert.rejects(exportRun(ck, path.join(tmp, 'x1'), { classNames: 'a,b' }), /--class-names applies to/);
  await assert.rejects(
    exportRun(ck, path.join(tmp, 'x2'), { direction: 'BtoA' }),
    /--direction applies to image-to-image runs/,
  );
  for (const x of ['x0', 'x1', 'x2']) assert.equal(existsSync(path.join(tmp, x)), false, `${x} written`);
});

test('the super-resolution page upscales an uploaded image in headless Chromium, offline, as Node does', async (t) => {
  const browser = await findBrowser();
  if ('skip' in browser) {
    t.skip(browser.skip);
    return;
  }
  const { chromium } = await import('playwright-core');
  const exp = path.join(tmp, 'sr-page');
  await exportRun(ck, exp, { raw: true });
  const img = await image(path.join(tmp, 'upload.png'), 20, 12);
  const big = await image(path.join(tmp, 'big.png'), SR_PAGE_MAX_SIDE + 2, 8);
  const server = await serveFolder(exp, { port: 0 });
  const b = await chromium.launch({ executablePath: browser.path, args: ['--disable-gpu'] });
  try {
    const { page, blocked, errors } = await offlinePage(b, server.url);
    await page.goto(server.url);
    const status = () => document.getElementById('status')?.textContent ?? '';
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'choose an image', null, {
      timeout: 60_000,
    });
    await page.setInputFiles('#file', big);
    await page.waitForFunction(() => /at most/.test(document.getElementById('status')?.textContent ?? ''));
    assert.match(await page.evaluate(status), /130x8 pixels; the page upscales images of at most 128x128/);
    await page.setInputFiles('#file', img);
    await page.waitForFunction(() => /^done in /.test(document.getElementById('status')?.textContent ?? ''), null, {
      timeout: 60_000,
    });
    t.diagnostic(`page: ${await page.evaluate(status)}`);
    const shot = await page.evaluate(() => {
      const c = document.getElementById('output') as HTMLCanvasElement;
      return {
        width: c.width,
        height: c.height,
        data: Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data),
      };
    });
    assert.deepEqual([shot.width, shot.height], [80, 48]);
    const [node] = await upscaleFiles(ck, [img], path.join(tmp, 'page-node'), { useEma: false });
    const want = await readRaster(node!);
    assert.deepEqual([want.width, want.height, want.channels], [80, 48, 3]);
    let worst = 0;
    const levels = new Set<number>();
    for (let i = 0; i < 80 * 48; i++)
      for (let k = 0; k < 3; k++) {
        worst = Math.max(worst, Math.abs(shot.data[i * 4 + k]! - want.data[i * 3 + k]!));
        levels.add(shot.data[i * 4 + k]!);
      }
    t.diagnostic(`page vs Node: at most ${worst} levels apart; ${levels.size} distinct levels`);
    assert.ok(worst <= 2, `the page's output differs from Node's by ${worst} levels`);
    assert.ok(levels.size > 10, 'the output is not blank');
    if (process.env.TSGAN_SCREENSHOTS)
      await page.screenshot({ path: path.join(process.env.TSGAN_SCREENSHOTS, 'sr-page.png'), fullPage: true });
    assert.deepEqual(errors, []);
    assert.deepEqual(blocked, []);
  } finally {
    await b.close();
    await server.close();
  }
});
