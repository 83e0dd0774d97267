// The studio end to end in headless Chromium (Debian's chromium through playwright-core, offline:
// every request that is not the studio's own is refused): a live ring8 run started from the form,
// curves that gain points, pause and resume, one step of D alone, a sample grid, the 2-D view, a
// live learning-rate change in metrics.jsonl, the explorer drawing a non-blank grid of a DCGAN run,
// a PNG download labelled as synthetic, and the server's and the page's responsiveness while it
// trains. Screenshots of each view go to test-artifacts/studio/.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { after, before, test } from 'node:test';

import type { Browser, Page } from 'playwright-core';

import '../../src/index.js'; // the native backend (the tfjs cpu backend would take minutes per DCGAN step)
import { readPngText } from '../../src/io/png.js';
import { defaultAssetsDir, type Studio, startStudio } from '../../src/studio/server.js';
import { train } from '../../src/train/run.js';
import { offlinePage } from '../helpers/browser.js';

const ARTIFACTS = path.resolve('test-artifacts', 'studio');
const root = mkdtempSync(path.join(tmpdir(), 'tsgan-studio-e2e-'));
const runsDir = path.join(root, 'runs');
const exe = process.env.TSGAN_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);
let skip: string | null = null;
if (!exe) skip = 'no chromium here (Debian: apt-get install chromium)';
let studio: Studio;
let browser: Browser;
let page: Page;
let blocked: string[] = [];
let pageErrors: string[] = [];

async function shot(name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

const t0 = performance.now();
/** Elapsed seconds at a milestone (the log says where an e2e run spends its time). */
const mark = (what: string) => process.stdout.write(`# ${((performance.now() - t0) / 1000).toFixed(1)} s: ${what}\n`);

const num = async (sel: string) => Number((await page.textContent(sel))?.trim());

before(async () => {
  if (skip) return;
  assert.ok(
    existsSync(path.join(defaultAssetsDir(), 'index.html')),
    `the studio page is not built (${defaultAssetsDir()}): npm run build`,
  );
  // A tiny DCGAN run with a checkpoint, for the explorer.
  const res = await train({
    preset: 'dcgan-fmnist',
    config: {
      model: { width: 8, init: 'glorot' }, // glorot: an untrained G already draws varied pixels
      steps: 4,
      batchSize: 8,
      logEvery: 2,
      sampleEvery: 4,
      sampleCount: 16,
      checkpointEvery: 4,
      evalEvery: 0,
      ema: 0, // the raw weights: an EMA copy after 4 steps is still near its start (a flat gray)
      health: { enabled: false },
    },
    runDir: path.join(runsDir, 'dcgan-small'),
    progress: 'none',
    handleSignals: false,
  });
  res.trainer.dispose();
  mark('dcgan run trained');
  studio = await startStudio({ runDirs: [runsDir], port: 0 });
  const { chromium } = await import('playwright-core');
  browser = await chromium.launch({
    executablePath: exe,
    args: [
      '--disable-gpu',
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  ({
    page,
    blocked,
    errors: pageErrors,
  } = await offlinePage(browser, studio.origin, {
    context: { viewport: { width: 1400, height: 1000 }, acceptDownloads: true },
  }));
});

after(async () => {
  await browser?.close();
  await studio?.close();
});

test('studio e2e: a live ring8 run from the form, curves, pause/resume, D alone, samples, 2-D view, lr', {
  skip: skip ?? false,
  timeout: 240_000,
}, async () => {
  await page.goto(studio.url);
  await page.waitForSelector('#runs-table');
  assert.equal(await page.locator('#runs-table tr[data-run]').count(), 1, 'the dcgan run is listed');
  await shot('runs');

  // The form: a bad value is refused at its field.
  await page.goto(`${studio.origin}/#/new`);
  await page.selectOption('#preset', 'vanilla-ring8');
  await page.fill('input[name="lr"]', '-1');
  await page.click('button[type=submit]');
  await page.waitForSelector('.field.invalid[data-field="lr"]');
  assert.match((await page.textContent('.field[data-field="lr"] .err')) ?? '', /\S/);
  await shot('new-run-error');
  await page.fill('input[name="lr"]', '0.001');
  for (const [k, v] of Object.entries({
    steps: '3000',
    batchSize: '64',
    logEvery: '5',
    sampleEvery: '20',
    sampleCount: '256',
    'model.hidden': '32',
    'model.depth': '3',
    checkpointEvery: '100000',
    name: 'ring8-live',
  }))
    await page.fill(`input[name="${k}"]`, v);
  await page.click('button[type=submit]');
  await page.waitForURL(/#\/run\/r\d+/);
  mark('run started from the form');
  const panel = page.locator('section.panel');

  // Curves gain points.
  const points = async () => Number((await page.getAttribute('canvas[data-chart="losses"]', 'data-points')) ?? 0);
  await page.waitForFunction(
    () => Number(document.querySelector('canvas[data-chart="losses"]')?.getAttribute('data-points') ?? 0) >= 2,
    null,
    { timeout: 60_000 },
  );
  const p1 = await points();
  mark('curves have 2 points');
  await page.waitForFunction(
    (p) => Number(document.querySelector('canvas[data-chart="losses"]')?.getAttribute('data-points') ?? 0) > p,
    p1,
    { timeout: 30_000 },
  );

  // The server's event loop and a page interaction while it trains.
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const fetchMs: number[] = [];
  for (let i = 0; i < 5; i++) {
    fetchMs.push(
      await page.evaluate(async () => {
        const t0 = performance.now();
        await (await fetch(location.pathname.replace(/\/$/, '') + '/api/runs')).json();
        return performance.now() - t0;
      }),
    );
    await page.waitForTimeout(200);
  }
  const clickMs = await page.evaluate(async () => {
    const s = document.querySelector<HTMLInputElement>('.sample-slider')!;
    const t0 = performance.now();
    s.dispatchEvent(new Event('input'));
    await new Promise((r) => requestAnimationFrame(() => r(null)));
    return performance.now() - t0;
  });
  h.disable();
  const p99 = h.percentile(99) / 1e6;
  const sortedFetch = [...fetchMs].sort((a, b) => a - b);
  const medianFetch = sortedFetch[2];
  process.stdout.write(
    `studio responsiveness while training: server event-loop delay p99 ${p99.toFixed(1)} ms, max ${(h.max / 1e6).toFixed(1)} ms; page fetch /api/runs median ${medianFetch.toFixed(0)} ms, max ${sortedFetch[4].toFixed(0)} ms; slider input to next frame ${clickMs.toFixed(0)} ms\n`,
  );
  assert.ok(p99 < 200, `server event-loop delay p99 ${p99} ms`);
  // The median of five: one fetch can stall for seconds when a shared machine's neighbours take the
  // cores (CI once measured 2.1 s for one of five while the server's event loop stayed under 70 ms).
  assert.ok(medianFetch < 1000, `page fetch median ${medianFetch} ms (${fetchMs.map((t) => t.toFixed(0)).join(', ')})`);
  assert.ok(clickMs < 1000, `page interaction ${clickMs} ms`);

  // A sample grid shows.
  await page.waitForFunction(
    () => (document.querySelector<HTMLImageElement>('.sample-img')?.naturalWidth ?? 0) > 0,
    null,
    { timeout: 60_000 },
  );
  // The 2-D view animates.
  await page.waitForFunction(
    () => Number(document.querySelector('.toy-canvas')?.getAttribute('data-frames') ?? 0) >= 3,
    null,
    { timeout: 30_000 },
  );
  await shot('live-run');
  mark('sample grid and 2-D view shown');

  // Pause: the step count stops.
  await panel.locator('.btn-pause').click();
  await page.waitForFunction(() => document.querySelector('section.panel .status')?.textContent === 'paused', null, {
    timeout: 20_000,
  });
  await page.waitForTimeout(400);
  const s1 = await num('.step-count');
  const d1 = await num('.phase-count-D');
  const g1 = await num('.phase-count-G');
  await page.waitForTimeout(800);
  assert.equal(await num('.step-count'), s1, 'paused: no step');
  // One step of D alone: only D's count moves.
  await panel.locator('.btn-step-D').click();
  await page.waitForFunction((d) => Number(document.querySelector('.phase-count-D')?.textContent) === d + 1, d1, {
    timeout: 20_000,
  });
  assert.equal(await num('.phase-count-G'), g1, "G's count did not move");
  assert.equal(await num('.step-count'), s1, 'the step count did not move');
  await shot('paused-step-d');
  mark('paused, D stepped');
  // A live learning rate, recorded in metrics.jsonl.
  await page.fill('input[data-lr="G"]', '0.0005');
  await page.dispatchEvent('input[data-lr="G"]', 'change');
  // Resume: steps move again.
  await panel.locator('.btn-resume').click();
  await page.waitForFunction((s) => Number(document.querySelector('.step-count')?.textContent) > s + 5, s1, {
    timeout: 30_000,
  });
  const metrics = readFileSync(path.join(runsDir, 'ring8-live', 'metrics.jsonl'), 'utf8');
  assert.match(metrics, /"control":"lr","optimizer":"G","lr":0.0005/);
  await panel.locator('.btn-stop').click();
  await page.waitForFunction(
    () => /ended: stopped/.test(document.querySelector('section.panel .status')?.textContent ?? ''),
    null,
    { timeout: 60_000 },
  );
  assert.ok(existsSync(path.join(runsDir, 'ring8-live', 'checkpoints')), 'stop saved a checkpoint');
  mark('stopped');
  // Both runs side by side.
  await page.goto(`${studio.origin}/#/run/r1,r2`);
  await page.waitForFunction(() => document.querySelectorAll('section.panel .sample-img[src]').length === 2, null, {
    timeout: 30_000,
  });
  await shot('side-by-side');
  assert.deepEqual(blocked, [], 'no request left the machine');
  assert.deepEqual(pageErrors, []);
});

test('studio e2e: the explorer draws a non-blank grid in the page and downloads a labelled PNG', {
  skip: skip ?? false,
  timeout: 180_000,
}, async () => {
  // A health event of the run (as the monitor writes it) is listed with its remedy in words.
  writeFileSync(
    path.join(runsDir, 'dcgan-small', 'health.jsonl'),
    `${JSON.stringify({ kind: 'd-overpowering', step: 2, severity: 'warning', message: 'D classifies 99% right', signals: { dAccuracy: 0.99 }, remedy: { action: 'diffaugment', policy: 'color,translation' } })}\n`,
  );
  await page.goto(`${studio.origin}/#/run/r1`);
  await page.waitForSelector('.sample-img');
  await page.waitForSelector('.health li');
  assert.match(
    (await page.textContent('.health li')) ?? '',
    /d-overpowering.*remedy: turn on DiffAugment \(color,translation\)/s,
  );
  await page.goto(`${studio.origin}/#/explore/r1?backend=cpu&n=16`);
  await page.waitForFunction(
    () => Number(document.getElementById('explorer-grid')?.getAttribute('data-generated') ?? 0) >= 1,
    null,
    { timeout: 120_000 },
  );
  const stats = await page.evaluate(() => {
    const c = document.getElementById('explorer-grid') as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let min = 255;
    let max = 0;
    for (let i = 0; i < d.length; i += 4) {
      min = Math.min(min, d[i]!);
      max = Math.max(max, d[i]!);
    }
    return { w: c.width, h: c.height, min, max };
  });
  assert.ok(stats.w >= 4 * 28 && stats.h >= 4 * 28, `grid ${stats.w}x${stats.h}`);
  assert.ok(stats.max - stats.min > 10, `pixels vary (${stats.min}..${stats.max}): not blank`);
  assert.match((await page.textContent('#explorer-status')) ?? '', /on cpu/);
  await page.click('#find-directions');
  await page.waitForFunction(() => document.querySelectorAll('.side .slider').length > 8, null, { timeout: 60_000 });
  await shot('explorer');
  mark('explorer drawn');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-grid')]);
  const file = path.join(root, 'download.png');
  await download.saveAs(file);
  const text = readPngText(file);
  assert.equal(text['tsgan:synthetic'], 'true');
  assert.match(text.Description ?? '', /generated by a GAN/);

  // A conditional generator gets a class picker.
  const cgan = await train({
    preset: 'cgan-fmnist',
    config: {
      model: { width: 8, init: 'glorot' },
      steps: 2,
      batchSize: 10,
      logEvery: 2,
      sampleEvery: 2,
      sampleCount: 10,
      checkpointEvery: 2,
      evalEvery: 0,
      ema: 0,
      health: { enabled: false },
    },
    runDir: path.join(runsDir, 'cgan-small'),
    progress: 'none',
    handleSignals: false,
  });
  cgan.trainer.dispose();
  const list = (await (
    await fetch(`${studio.origin}/api/runs`, { headers: { authorization: `Bearer ${studio.token}` } })
  ).json()) as {
    runs: Array<{ id: string; name: string }>;
  };
  const cganId = list.runs.find((r) => r.name === 'cgan-small')!.id;
  await page.goto(`${studio.origin}/#/explore/${cganId}?backend=cpu&n=16`);
  await page.waitForFunction(
    () => Number(document.getElementById('explorer-grid')?.getAttribute('data-generated') ?? 0) >= 1,
    null,
    { timeout: 120_000 },
  );
  assert.equal(await page.locator('#class option').count(), 11, 'every class and "every class in turn"');
  await page.selectOption('#class', '3');
  await page.waitForFunction(
    () => Number(document.getElementById('explorer-grid')?.getAttribute('data-generated')) >= 2,
    null,
    { timeout: 60_000 },
  );
  await shot('explorer-cgan');
  mark('cgan explorer drawn');

  // An image-to-image generator takes an upload and translates it in the page.
  const p2p = await train({
    preset: 'pix2pix-edges-fmnist',
    config: {
      model: { widthG: 8, widthD: 8 },
      steps: 2,
      batchSize: 2,
      logEvery: 2,
      sampleEvery: 2,
      checkpointEvery: 2,
      evalEvery: 0,
      ema: 0,
    },
    runDir: path.join(runsDir, 'pix2pix-small'),
    progress: 'none',
    handleSignals: false,
  });
  p2p.trainer.dispose();
  const all = (await (
    await fetch(`${studio.origin}/api/runs`, { headers: { authorization: `Bearer ${studio.token}` } })
  ).json()) as {
    runs: Array<{ id: string; name: string }>;
  };
  await page.goto(`${studio.origin}/#/explore/${all.runs.find((r) => r.name === 'pix2pix-small')!.id}?backend=cpu`);
  await page.waitForSelector('#upload', { timeout: 120_000 });
  await page.setInputFiles('#upload', path.join(runsDir, 'dcgan-small', 'samples', 'step-0000004.png'));
  await page.waitForFunction(
    () => Number(document.getElementById('translator-output')?.getAttribute('data-generated') ?? 0) >= 1,
    null,
    { timeout: 60_000 },
  );
  const out = await page.evaluate(() => {
    const c = document.getElementById('translator-output') as HTMLCanvasElement;
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let a = 0;
    for (let i = 3; i < d.length; i += 4) a += d[i]!;
    return a / (d.length / 4);
  });
  assert.equal(out, 255, 'the output is drawn (opaque)');
  await shot('explorer-translator');
  mark('translator drawn');
  assert.deepEqual(pageErrors, []);
});
