// tsgan export of an image-to-image run: the any-size generator in the TF.js format with a manifest
// whose input is an image; loadGenerator and `tsgan translate EXPORT` give the run's own outputs (any
// size, both CycleGAN directions); the page translates an uploaded image in headless Chromium, offline,
// as Node does; bad combinations of options are sentences.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

import sharp from 'sharp';

import type { FieldDataset } from '../../src/data/fields.js';
import { exportRun, loadGenerator, openGenerator, serveFolder, tf } from '../../src/index.js';
import { describeArtifact } from '../../src/train/inference.js';
import { CycleGAN } from '../../src/models/cyclegan.js';
import { Pix2Pix } from '../../src/models/pix2pix.js';
import type { GANModel } from '../../src/models/types.js';
import { writeCheckpointFile } from '../../src/train/checkpoint.js';
import { parseConfig } from '../../src/train/config.js';
import { Trainer } from '../../src/train/trainer.js';
import { openTranslator, readRaster, translateFiles } from '../../src/train/translate.js';
import { findBrowser, offlinePage } from '../helpers/browser.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-trexport-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

function fields(paired: boolean, size: number): FieldDataset {
  const data = () => new Float32Array(4 * size * size * 3).map((_, i) => Math.sin(i) * 0.9);
  const names = paired ? ['input', 'target'] : ['A', 'B'];
  return {
    kind: 'fields',
    name: 'toy',
    paired,
    fields: Object.fromEntries(names.map((k) => [k, { shape: [size, size, 3], n: 4, data: data() }])),
  };
}

function checkpoint(model: GANModel, ds: FieldDataset): string {
  const t = new Trainer({ config: parseConfig({ batchSize: 2, seed: 3, ema: 0.9 }), dataset: ds, model });
  t.trainStep();
  t.trainStep();
  const file = path.join(tmp, `${model.family}.ckpt`);
  writeCheckpointFile(file, t.toCheckpoint());
  t.dispose();
  return file;
}

const pix = checkpoint(new Pix2Pix({ resolution: 16, widthG: 4, widthD: 2 }), fields(true, 16));
const cyc = checkpoint(new CycleGAN({ resolution: 16, widthG: 2, widthD: 2, blocks: 1 }), fields(false, 16));

/** Max |a - b| of two generators' outputs on the same input. */
function maxDiff(
  a: { predict: (x: tf.Tensor) => unknown },
  b: { predict: (x: tf.Tensor) => unknown },
  shape: number[],
) {
  return tf.tidy(() => {
    const x = tf.randomUniform(shape, -1, 1, 'float32', 7);
    return tf.max(tf.abs(tf.sub(a.predict(x) as tf.Tensor, b.predict(x) as tf.Tensor))).dataSync()[0]!;
  });
}

test('export of pix2pix and both CycleGAN directions: image input in the manifest, same outputs at any size', async () => {
  const exp = path.join(tmp, 'pix');
  const r = await exportRun(pix, exp);
  assert.equal(r.format, 'tfjs');
  const { model, manifest } = await loadGenerator(exp);
  assert.deepEqual(
    manifest.inputs.map((i) => [i.role, i.shape]),
    [['image', [null, null, null, 3]]],
  );
  assert.equal(manifest.latentDim, 0);
  assert.equal(manifest.sizeMultiple, 16);
  assert.deepEqual(manifest.outputShape, [16, 16, 3]);
  for (const f of ['index.html', 'tf.min.js', 'tsgan-layers.js']) assert.ok(existsSync(path.join(exp, f)), f);
  assert.match(readFileSync(path.join(exp, 'index.html'), 'utf8'), /type="file"/);
  const t = openTranslator(pix);
  try {
    for (const shape of [
      [1, 16, 16, 3],
      [2, 32, 48, 3],
    ])
      assert.ok(maxDiff(model, t.network as never, shape) < 1e-6, `pix2pix ${shape}`);
  } finally {
    t.dispose();
    model.dispose();
  }
  for (const direction of ['AtoB', 'BtoA'] as const) {
    const dir = path.join(tmp, `cyc-${direction}`);
    await exportRun(cyc, dir, { direction, page: false });
    const g = await loadGenerator(dir);
    assert.equal(g.manifest.extra?.direction, direction);
    assert.equal(g.manifest.sizeMultiple, 4);
    const tr = openTranslator(cyc, { direction });
    try {
      assert.ok(maxDiff(g.model, tr.network as never, [1, 20, 12, 3]) < 1e-6, `cyclegan ${direction}`);
    } finally {
      tr.dispose();
      g.model.dispose();
    }
  }
});

test('translate from an export equals translate from the run; options that do not fit are sentences', async () => {
  const exp = path.join(tmp, 'pix-t');
  await exportRun(pix, exp, { page: false });
  const img = path.join(tmp, 'in.png');
  const buf = Buffer.alloc(21 * 13 * 4);
  for (let i = 0; i < 21 * 13; i++) buf.set([(i * 7) % 256, (i * 3) % 256, 200, i % 3 === 0 ? 0 : 255], i * 4);
  await sharp(buf, { raw: { width: 21, height: 13, channels: 4 } })
    .png()
    .toFile(img);
  const [a] = await translateFiles(pix, [img], path.join(tmp, 'from-run'));
  const [b] = await translateFiles(exp, [img], path.join(tmp, 'from-export'));
  const ra = await readRaster(a!);
  const rb = await readRaster(b!);
  assert.deepEqual([rb.width, rb.height, rb.channels], [21, 13, 4]);
  assert.deepEqual(Array.from(rb.data), Array.from(ra.data));

  await assert.rejects(
    exportRun(pix, path.join(tmp, 'x1'), { direction: 'BtoA' }),
    /pix2pix model translates one way only/,
  );
  await assert.rejects(exportRun(cyc, path.join(tmp, 'x2'), { direction: 'up' }), /--direction must be AtoB or BtoA/);
  await assert.rejects(
    exportRun(pix, path.join(tmp, 'x3'), { classNames: 'a,b' }),
    /--class-names applies to generators with classes/,
  );
  await assert.rejects(
    exportRun(pix, path.join(tmp, 'x4'), { format: 'onnx', direction: 'AtoB' }),
    /--direction applies to the tfjs format/,
  );
  await assert.rejects(openGenerator(exp), /translates images.*tsgan translate/);
  // tsgan info describes both: the run's networks, the export's manifest.
  const run = await describeArtifact(pix);
  assert.equal(run.model, 'pix2pix');
  assert.deepEqual(Object.keys((run.description as { networks: object }).networks).sort(), ['D', 'G']);
  const ex = await describeArtifact(exp);
  assert.equal(ex.source, 'export');
  assert.equal((ex.manifest as { sizeMultiple: number }).sizeMultiple, 16);
  await assert.rejects(
    translateFiles(exp, [img], path.join(tmp, 'x5'), { direction: 'AtoB' }),
    /export of one direction/,
  );
  for (const x of ['x1', 'x2', 'x3', 'x4', 'x5']) assert.equal(existsSync(path.join(tmp, x)), false, `${x} written`);
});

test('the translator page translates an uploaded image in headless Chromium, offline, as Node does', async (t) => {
  const browser = await findBrowser();
  if ('skip' in browser) {
    t.skip(browser.skip);
    return;
  }
  const { chromium } = await import('playwright-core');
  const exp = path.join(tmp, 'pix-page');
  await exportRun(pix, exp, { raw: true });
  const img = path.join(tmp, 'upload.png');
  const raw = Buffer.alloc(24 * 20 * 3);
  for (let i = 0; i < 24 * 20; i++) raw.set([(i * 11) % 256, (i * 5) % 256, (i * 3) % 256], i * 3);
  await sharp(raw, { raw: { width: 24, height: 20, channels: 3 } })
    .png()
    .toFile(img);
  const server = await serveFolder(exp, { port: 0 });
  const b = await chromium.launch({ executablePath: browser.path, args: ['--disable-gpu'] });
  try {
    const { page, blocked, errors } = await offlinePage(b, server.url);
    await page.goto(server.url);
    await page.waitForFunction(() => document.getElementById('status')?.textContent === 'choose an image', null, {
      timeout: 60_000,
    });
    await page.setInputFiles('#file', img);
    await page.waitForFunction(() => /^done in /.test(document.getElementById('status')?.textContent ?? ''), null, {
      timeout: 60_000,
    });
    const shot = await page.evaluate(() => {
      const c = document.getElementById('output') as HTMLCanvasElement;
      return {
        width: c.width,
        height: c.height,
        data: Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data),
      };
    });
    assert.deepEqual([shot.width, shot.height], [24, 20]);
    const [node] = await translateFiles(pix, [img], path.join(tmp, 'page-node'), { useEma: false });
    const want = await readRaster(node!);
    let worst = 0;
    const levels = new Set<number>();
    for (let i = 0; i < 24 * 20; i++)
      for (let k = 0; k < 3; k++) {
        worst = Math.max(worst, Math.abs(shot.data[i * 4 + k]! - want.data[i * 3 + k]!));
        levels.add(shot.data[i * 4 + k]!);
      }
    t.diagnostic(`page vs Node: at most ${worst} levels apart; ${levels.size} distinct levels`);
    assert.ok(worst <= 2, `the page's output differs from Node's by ${worst} levels`);
    assert.ok(levels.size > 10, 'the output is not blank');
    assert.deepEqual(errors, []);
    assert.deepEqual(blocked, []);
  } finally {
    await b.close();
    await server.close();
  }
});
