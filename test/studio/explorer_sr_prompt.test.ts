// The studio explorer for super-resolution and text-to-image runs, end to end in headless Chromium
// (offline: every request that is not the studio's own is refused): an srgan run's explorer takes an
// uploaded image and draws it upscaled (scale x its size, not blank, Node's pixels), and says so for
// an image over its size limit; a text2image run's explorer draws a non-blank row for a prompt, and
// an empty prompt gets the tokenizer's sentence. Screenshots go to test-artifacts/studio/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';

import { openRunTrainer, Rng, tf, train } from '../../src/index.js';
import { defaultAssetsDir, type Studio, startStudio } from '../../src/studio/server.js';
import { writeCheckpointFile } from '../../src/train/checkpoint.js';
import { resolveCheckpointPath } from '../../src/train/inference.js';
import { readRaster } from '../../src/train/translate.js';
import { upscaleFiles } from '../../src/train/upscale.js';
import { findBrowser, offlinePage } from '../helpers/browser.js';

const ARTIFACTS = path.resolve('test-artifacts', 'studio');
const root = mkdtempSync(path.join(tmpdir(), 'tsgan-studio-srt2i-'));
const runsDir = path.join(root, 'runs');
let skip: string | null = null;
let studio: Studio;
let browser: Browser;
let page: Page;
let blocked: string[] = [];
let pageErrors: string[] = [];
const COMMON = { steps: 2, logEvery: 2, sampleEvery: 1000, checkpointEvery: 2, evalEvery: 0, ema: 0 };

/**
 * Sets the run's generator weights (and T's) in its checkpoint to seeded values: two steps leave
 * BatchNorm's moving statistics far from the activations, a nearly flat image; these images vary.
 */
function randomizeCheckpoint(runDir: string, nets: string[], sd: number): void {
  const { file } = resolveCheckpointPath(runDir);
  const t = openRunTrainer(runDir);
  let seed = 40;
  for (const name of nets) {
    const rng = new Rng(seed++);
    for (const w of t.model.networks[name]!.weights) {
      const k = w.shape.reduce((a, b) => a * b, 1);
      let v = rng.normals(k).map((x) => x * sd);
      if (/variance/.test(w.name)) v = v.map((x) => Math.abs(x) + 0.5);
      w.write(tf.tensor(v, w.shape));
    }
  }
  writeCheckpointFile(file, t.toCheckpoint());
  t.dispose();
}

/** An opaque PNG of w x h with varied gray pixels (R = G = B: every luma formula gives the same gray). */
async function image(file: string, w: number, h: number): Promise<string> {
  const raw = Buffer.alloc(w * h * 3);
  for (let i = 0; i < w * h; i++) raw.fill((i * 37 + Math.floor(i / w) * 11) % 256, i * 3, i * 3 + 3);
  await sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .png()
    .toFile(file);
  return file;
}

/** Width, height and distinct channel values of a canvas. */
async function canvasPixels(id: string): Promise<{ width: number; height: number; data: number[] }> {
  return page.evaluate((sel) => {
    const c = document.getElementById(sel) as HTMLCanvasElement;
    return {
      width: c.width,
      height: c.height,
      data: Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data),
    };
  }, id);
}

async function runId(name: string): Promise<string> {
  const r = await fetch(`${studio.origin}/api/runs`, { headers: { authorization: `Bearer ${studio.token}` } });
  const all = (await r.json()) as { runs: Array<{ id: string; name: string }> };
  return all.runs.find((x) => x.name === name)!.id;
}

before(async () => {
  const found = await findBrowser();
  if ('skip' in found) {
    skip = found.skip;
    return;
  }
  assert.ok(existsSync(path.join(defaultAssetsDir(), 'index.html')), 'the studio page is not built: npm run build');
  const sr = await train({
    preset: 'srresnet-fmnist-x4',
    config: { model: { blocks: 1, width: 4 }, data: { limit: 8 }, batchSize: 2, ...COMMON },
    runDir: path.join(runsDir, 'sr-small'),
    progress: 'none',
    handleSignals: false,
  });
  sr.trainer.dispose();
  randomizeCheckpoint(path.join(runsDir, 'sr-small'), ['G'], 0.2);
  const tiny = { width: 4, latentDim: 4, wordDim: 8, textHidden: 8, embedDim: 8, condDim: 4, imageEncoderWidth: 4 };
  const t2i = await train({
    config: {
      model: { family: 'text2image', ...tiny },
      data: { source: 'shapes-text', limit: 64, size: 32 },
      batchSize: 4,
      ...COMMON,
    },
    runDir: path.join(runsDir, 't2i-small'),
    progress: 'none',
    handleSignals: false,
  });
  t2i.trainer.dispose();
  randomizeCheckpoint(path.join(runsDir, 't2i-small'), ['T', 'G'], 0.3);
  studio = await startStudio({ runDirs: [runsDir], port: 0 });
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({ executablePath: found.path, args: ['--disable-gpu', '--no-sandbox'] });
  ({
    page,
    blocked,
    errors: pageErrors,
  } = await offlinePage(browser, studio.origin, { context: { viewport: { width: 1200, height: 800 } } }));
  await page.goto(studio.url); // sets the token cookie
  await page.waitForSelector('#runs-table');
});

after(async () => {
  await browser?.close();
  await studio?.close();
  rmSync(root, { recursive: true, force: true });
});

test('explorer: an srgan run upscales an uploaded image x4 in the page, as tsgan upscale does', {
  skip: skip ?? false,
  timeout: 120_000,
}, async () => {
  const runDir = path.join(runsDir, 'sr-small');
  await page.goto(`${studio.origin}/#/explore/${await runId('sr-small')}?backend=cpu`);
  await page.waitForSelector('#sr-upload', { timeout: 90_000 });
  const big = await image(path.join(root, 'big.png'), 140, 20);
  await page.setInputFiles('#sr-upload', big);
  await page.waitForFunction(() => document.getElementById('sr-message')?.className === 'error');
  assert.match(
    (await page.textContent('#sr-message')) ?? '',
    /140x20 pixels; the explorer upscales images of at most 128x128/,
  );
  const img = await image(path.join(root, 'small.png'), 20, 12);
  await page.setInputFiles('#sr-upload', img);
  await page.waitForFunction(
    () => Number(document.getElementById('sr-output')?.getAttribute('data-generated') ?? 0) >= 1,
    null,
    { timeout: 60_000 },
  );
  const out = await canvasPixels('sr-output');
  assert.deepEqual([out.width, out.height], [80, 48], 'scale x the size');
  // fashion-mnist is grayscale: the network reads and writes one channel (drawn as gray).
  const [node] = await upscaleFiles(runDir, [img], path.join(root, 'node-sr'));
  const want = await readRaster(node!);
  let worst = 0;
  const levels = new Set<number>();
  for (let i = 0; i < 80 * 48; i++) {
    worst = Math.max(worst, Math.abs(out.data[4 * i]! - want.data[i * want.channels]!));
    levels.add(out.data[4 * i]!);
  }
  console.log(`# studio SR: page vs tsgan upscale at most ${worst} levels apart; ${levels.size} levels`);
  assert.ok(levels.size > 10, 'the upscaled image is not blank');
  assert.ok(worst <= 2, `the page's output differs from Node's by ${worst} levels`);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'explorer-sr.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
});

test('explorer: a text2image run draws a prompt in the page; an empty prompt gets the tokenizer’s sentence', {
  skip: skip ?? false,
  timeout: 120_000,
}, async () => {
  await page.goto(`${studio.origin}/#/explore/${await runId('t2i-small')}?backend=cpu`);
  await page.waitForSelector('#prompt', { timeout: 90_000 });
  await page.fill('#prompt', '  ');
  await page.click('#prompt-go');
  await page.waitForFunction(() => document.getElementById('prompt-message')?.className === 'error');
  assert.match((await page.textContent('#prompt-message')) ?? '', /^the prompt is empty: write what to draw/);
  await page.fill('#prompt', 'zebra unicorn');
  await page.click('#prompt-go');
  await page.waitForFunction(() =>
    /none of the words/.test(document.getElementById('prompt-message')?.textContent ?? ''),
  );
  assert.match(
    (await page.textContent('#prompt-message')) ?? '',
    /none of the words of the prompt \('zebra', 'unicorn'\)/,
  );
  assert.equal(await page.getAttribute('#prompt-grid', 'data-generated'), null, 'nothing drawn');
  await page.fill('#prompt', 'a large blue square');
  await page.click('#prompt-go');
  await page.waitForFunction(
    () => Number(document.getElementById('prompt-grid')?.getAttribute('data-generated') ?? 0) >= 1,
    null,
    { timeout: 60_000 },
  );
  const out = await canvasPixels('prompt-grid');
  assert.deepEqual([out.width, out.height], [8 * 32 * 3, 32 * 3]);
  const levels = new Set<number>();
  for (let i = 0; i < out.data.length; i++) if (i % 4 !== 3) levels.add(out.data[i]!);
  assert.ok(levels.size > 10, `the images are not blank (${levels.size} levels)`);
  assert.match((await page.textContent('#prompt-message')) ?? '', /8 images of "a large blue square"/);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'explorer-prompt.png'), fullPage: true });
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(blocked, []);
});
