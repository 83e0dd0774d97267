// `tsgan bench explorer RUN`: how long the studio's explorer takes to draw a grid of a run's
// generator in headless Chromium, per TensorFlow.js backend (cpu, webgl: SwiftShader's software
// WebGL where there is no GPU). The studio serves the run (exporting the generator first), the page
// generates `n` images from a fresh seed `repeats` times; the first draw (shader compilation, weight
// upload) is reported apart from the median of the others. Needs Debian's chromium and the
// playwright-core devDependency. No peer: PyTorch has no in-browser path to compare with.
import { existsSync } from 'node:fs';
import path from 'node:path';

import { startStudio } from '../studio/server.js';

export interface ExplorerBenchOptions {
  /** Images per grid (16, 36 or 64). */
  n?: number;
  backends?: string[];
  /** Grids drawn per backend after the first. */
  repeats?: number;
  /** Chromium's executable (default /usr/bin/chromium). */
  chromium?: string;
  log?: (m: string) => void;
}

export interface ExplorerBenchRow {
  backend: string;
  /** The backend the page ended up on (it says when one could not start). */
  actual: string;
  n: number;
  firstMs: number;
  medianMs: number;
  minMs: number;
  imagesPerSec: number;
  repeats: number;
}

export async function benchExplorer(runDir: string, opts: ExplorerBenchOptions = {}): Promise<ExplorerBenchRow[]> {
  const n = opts.n ?? 64;
  if (![16, 36, 64].includes(n)) throw new Error(`--n must be 16, 36 or 64, got ${n}`);
  const repeats = opts.repeats ?? 5;
  const log = opts.log ?? (() => {});
  const exe = opts.chromium ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);
  if (!exe || !existsSync(exe)) throw new Error('bench explorer needs Chromium (Debian: apt-get install chromium)');
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    throw new Error('bench explorer needs playwright-core (a devDependency: npm ci installs it)');
  }
  const abs = path.resolve(runDir);
  if (!existsSync(path.join(abs, 'config.json')))
    throw new Error(`${runDir} is not a tsgan run folder (no config.json)`);
  const studio = await startStudio({ runDirs: [abs], port: 0 });
  const browser = await chromium.launch({
    executablePath: exe,
    args: [
      '--no-sandbox',
      '--use-angle=swiftshader',
      '--enable-unsafe-swiftshader',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
  const rows: ExplorerBenchRow[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1300, height: 900 } });
    await context.route('**/*', (r) => (r.request().url().startsWith(studio.origin) ? r.continue() : r.abort()));
    const page = await context.newPage();
    await page.goto(studio.url);
    for (const backend of opts.backends ?? ['cpu', 'webgl']) {
      log(`explorer: ${n} images on ${backend}…`);
      await page.goto(`${studio.origin}/#/explore/r1?backend=${backend}&n=${n}`);
      await page.reload();
      await page.waitForFunction(
        () =>
          Number(document.getElementById('explorer-grid')?.getAttribute('data-generated') ?? 0) >= 1 ||
          document.querySelector('.error, #page-error') != null,
        null,
        { timeout: 600_000 },
      );
      const err = await page.$('.error, #page-error');
      if (err) throw new Error(`explorer on ${backend}: ${await err.textContent()}`);
      const status = (await page.textContent('#explorer-status')) ?? '';
      const actual = /on (\w+)$/.exec(status.trim())?.[1] ?? '?';
      const ms = async () => Number(await page.getAttribute('#gen-time', 'data-ms'));
      const firstMs = await ms();
      const times: number[] = [];
      for (let i = 0; i < repeats; i++) {
        const before = Number(await page.getAttribute('#explorer-grid', 'data-generated'));
        await page.click('#new-seed');
        await page.waitForFunction(
          (b) => Number(document.getElementById('explorer-grid')?.getAttribute('data-generated')) > b,
          before,
          { timeout: 600_000 },
        );
        times.push(await ms());
      }
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)] ?? firstMs;
      rows.push({
        backend,
        actual,
        n,
        firstMs,
        medianMs: median,
        minMs: times[0] ?? firstMs,
        imagesPerSec: (n * 1000) / median,
        repeats,
      });
    }
  } finally {
    await browser.close();
    await studio.close();
  }
  return rows;
}

export function formatExplorerBench(rows: ExplorerBenchRow[]): string {
  const lines = [
    '| backend | images | first grid | median of the next | fastest | images/s |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of rows)
    lines.push(
      `| ${r.backend}${r.actual !== r.backend ? ` (ran on ${r.actual})` : ''} | ${r.n} | ${r.firstMs.toFixed(0)} ms | ${r.medianMs.toFixed(0)} ms (${r.repeats}) | ${r.minMs.toFixed(0)} ms | ${r.imagesPerSec.toFixed(0)} |`,
    );
  return lines.join('\n');
}
