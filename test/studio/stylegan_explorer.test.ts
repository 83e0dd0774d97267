// The studio explorer on a tiny trained StyleGAN2 run, in headless Chromium (Debian's chromium via
// playwright-core, offline): the StyleGAN2 panel draws A, B and the mix in the page; truncation psi
// and the mixed layer range change the image; without a directions file the panel says how to make
// one, with one (as `tsgan directions` writes it) each direction gets a slider that moves the image.
// The screenshot goes to test-artifacts/studio/explorer-stylegan.png.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import type { Browser, Page } from 'playwright-core';

import '../../src/index.js';
import { openStyleRun } from '../../src/style/control.js';
import { findDirections } from '../../src/style/directions.js';
import { defaultAssetsDir, type Studio, startStudio } from '../../src/studio/server.js';
import { train } from '../../src/train/run.js';
import { findBrowser, offlinePage } from '../helpers/browser.js';

const ARTIFACTS = path.resolve('test-artifacts', 'studio');
const root = mkdtempSync(path.join(tmpdir(), 'tsgan-studio-sg-'));
const runDir = path.join(root, 'runs', 'stylegan-small');
let skip: string | null = null;
let exe = '';
let studio: Studio;
let browser: Browser;
let page: Page;
let blocked: string[] = [];
let pageErrors: string[] = [];

before(async () => {
  const found = await findBrowser();
  if ('skip' in found) {
    skip = found.skip;
    return;
  }
  exe = found.path;
  const r = await train({
    preset: 'stylegan-shapes32',
    config: {
      model: { resolution: 16, latentDim: 8, wDim: 8, mappingLayers: 2, channelBase: 64, channelMax: 8 },
      data: { limit: 8, size: 16 },
      batchSize: 4,
      steps: 2,
      logEvery: 2,
      sampleEvery: 2,
      checkpointEvery: 2,
      evalEvery: 0,
      seed: 5,
      health: { enabled: false },
    },
    runDir,
    progress: 'none',
    handleSignals: false,
  });
  r.trainer.dispose();
  studio = await startStudio({ runDirs: [path.dirname(runDir)], port: 0 });
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: exe,
    args: ['--disable-gpu', '--no-sandbox', '--no-first-run', '--enable-unsafe-webgpu'],
  });
  ({
    page,
    blocked,
    errors: pageErrors,
  } = await offlinePage(browser, studio.origin, { context: { viewport: { width: 1200, height: 900 } } }));
});

after(async () => {
  await browser?.close();
  await studio?.close();
  rmSync(root, { recursive: true, force: true });
});

const generated = (n: number) =>
  page.waitForFunction((k) => Number(document.getElementById('sg-mixed')?.dataset.generated ?? 0) >= k, n, {
    timeout: 60_000,
  });
const pixels = () =>
  page.evaluate(() => {
    const c = document.getElementById('sg-mixed') as HTMLCanvasElement;
    return Array.from(c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data);
  });
const changed = (a: number[], b: number[]) => a.filter((v, i) => v !== b[i]).length;

test('studio explorer, StyleGAN2: truncation, style mixing and direction sliders change a non-blank image', {
  timeout: 180_000,
}, async (t) => {
  if (skip) {
    t.skip(skip);
    return;
  }
  assert.ok(
    existsSync(path.join(defaultAssetsDir(), 'index.html')),
    `the studio page is not built (${defaultAssetsDir()}): npm run build`,
  );
  const t0 = performance.now();
  await page.goto(studio.url); // the access token, kept as a cookie
  await page.waitForSelector('#runs-table'); // the runs list has rendered (its refresh stops on leaving)
  await page.goto(`${studio.origin}/#/explore/r1?backend=cpu&n=16`);
  await generated(1);
  const help = (await page.textContent('#sg-directions-help')) ?? '';
  assert.match(help, /no directions file.*tsgan directions .*stylegan-small -o .*stylegan-small\/directions/s);
  const p1 = await pixels();
  const levels = new Set(p1.filter((_, i) => i % 4 === 0));
  assert.ok(levels.size > 10, `the mixed image has ${levels.size} red levels: not blank`);
  await page.fill('#sg-psi', '0.3');
  await page.dispatchEvent('#sg-psi', 'input');
  await generated(2);
  const p2 = await pixels();
  assert.ok(changed(p1, p2) > 0, 'truncation changes the image');
  await page.selectOption('#sg-mix', 'fine');
  await generated(3);
  const p3 = await pixels();
  assert.ok(changed(p2, p3) > 0, 'taking the fine styles from B instead of the coarse changes the image');
  assert.match((await page.textContent('#sg-status')) ?? '', /w 8-d, 6 layers/);

  // A directions file as tsgan directions writes it: a slider per direction.
  const run = await openStyleRun(runDir);
  const file = findDirections(run, { count: 2, samples: 200 });
  run.dispose();
  mkdirSync(path.join(runDir, 'directions'), { recursive: true });
  writeFileSync(path.join(runDir, 'directions', 'directions.json'), JSON.stringify(file));
  await page.reload();
  await generated(1);
  assert.equal(await page.locator('.sg-dir').count(), 4, 'two GANSpace and two SeFa sliders');
  const q1 = await pixels();
  await page.fill('.sg-dir >> nth=0', '3');
  await page.dispatchEvent('.sg-dir >> nth=0', 'input');
  await generated(2);
  assert.ok(changed(q1, await pixels()) > 0, 'the first direction moves the image');
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.locator('#stylegan').screenshot({ path: path.join(ARTIFACTS, 'explorer-stylegan.png') });
  t.diagnostic(`explorer opened, changed and reloaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // WebGPU where the browser has an adapter (Chromium with --enable-unsafe-webgpu: SwiftShader's software
  // Vulkan even without a GPU): the same images as on the cpu backend.
  const adapter = await page.evaluate(async () => {
    const gpu = (
      navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: { architecture?: string } } | null> } }
    ).gpu;
    const a = gpu ? await gpu.requestAdapter() : null;
    return a ? (a.info?.architecture ?? 'unknown') : null;
  });
  if (!adapter) {
    t.diagnostic('no WebGPU adapter in this Chromium: the webgpu part is skipped');
  } else {
    const t1 = performance.now();
    await page.goto(`${studio.origin}/#/explore/r1?backend=webgpu&n=16`);
    await page.reload();
    await generated(1);
    assert.match((await page.textContent('#explorer-status')) ?? '', /on webgpu/);
    const g = await pixels();
    let worst = 0;
    for (let i = 0; i < g.length; i++) worst = Math.max(worst, Math.abs(g[i]! - p1[i]!));
    t.diagnostic(
      `webgpu (${adapter}): drawn in ${((performance.now() - t1) / 1000).toFixed(1)} s; at most ${worst} levels from the cpu backend's image`,
    );
    assert.ok(worst <= 2, `webgpu differs from cpu by ${worst} levels`);
  }
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(blocked, [], 'no request left the machine');
});
