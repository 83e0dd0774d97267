// The browser half of `tsgan bench lighter --browser`: the exported TF.js generators (float32, the
// quantized ones, the students) timed in headless Chromium, per TensorFlow.js backend (cpu; webgl:
// SwiftShader's software WebGL where there is no GPU). A loopback server serves the export folders,
// the page bundle `tsgan export` writes (tf.min.js: tfjs-core, cpu, layers; tsgan-layers.js) and
// tfjs-backend-webgl's browser build; one page loads every variant with tf.loadLayersModel (quantized
// weights are dequantized on load, as in the exported page), runs one warm-up pass each (its time is
// the "first" figure: shader compilation, weight upload), then `reps` rounds of one pass of each
// variant (round-robin, so load changes fall on all), each pass a predict on the same latents as the
// Node timing plus the read-back of its pixels (`await y.data()`). Needs Debian's chromium and the
// playwright-core devDependency (as `tsgan bench explorer`).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';

import { layersBundle, tfjsBundle } from '../export/web_demo.js';

/** One variant as the page loads it. */
export interface BrowserVariant {
  name: string;
  /** Its export folder (model.json, manifest.json, weight files). */
  folder: string;
  /** Node's images of the same latents (to check the browser computes the same generator). */
  nodeImages: Float32Array;
}

export interface BrowserInputs {
  batch: number;
  latentDim: number;
  /** Index of the latent and label inputs of the model (label -1: none). */
  latentInput: number;
  labelInput: number;
  z: Float32Array;
  labels: Float32Array | null;
}

export interface BrowserTiming {
  variant: string;
  /** The backend asked for, and the one the page ended up on. */
  backend: string;
  actual: string;
  loadMs: number;
  /** The warm-up pass (shader compilation and weight upload on webgl). */
  firstMs: number;
  /** Median of the timed passes. */
  medianMs: number;
  minMs: number;
  reps: number;
  /** Largest |browser image - Node image| of the same variant on the same latents. */
  maxDiffVsNode: number;
}

export interface BrowserBenchOptions {
  backends?: string[];
  reps?: number;
  /** Chromium's executable (default TSGAN_CHROMIUM, else /usr/bin/chromium). */
  chromium?: string;
  log?: (m: string) => void;
}

/** The TensorFlow.js backends the page loads (tf.min.js: cpu; tfjs-backend-webgl: webgl). */
export const BROWSER_BACKENDS: readonly string[] = ['cpu', 'webgl'];

const MIME: Record<string, string> = {
  '.json': 'application/json',
  '.js': 'text/javascript',
  '.html': 'text/html',
  '.bin': 'application/octet-stream',
};

/** A loopback server: /v<k>/<file> from the k-th variant's folder, the page and its scripts. */
async function serve(variants: BrowserVariant[]): Promise<{ server: Server; origin: string }> {
  const req = createRequire(import.meta.url);
  let webgl: string;
  try {
    webgl = readFileSync(req.resolve('@tensorflow/tfjs-backend-webgl/dist/tf-backend-webgl.min.js'), 'utf8');
  } catch {
    throw new Error('--browser needs @tensorflow/tfjs-backend-webgl (a dependency of tsgan: npm ci installs it)');
  }
  const scripts: Record<string, string> = {
    '/tf.min.js': tfjsBundle(),
    '/tsgan-layers.js': layersBundle(),
    '/webgl.js': webgl,
    '/bench.js': PAGE_SCRIPT,
  };
  const page =
    '<!doctype html><meta charset="utf-8"><title>tsgan bench lighter</title>' +
    '<script src="/tf.min.js"></script><script src="/tsgan-layers.js"></script><script src="/webgl.js"></script>' +
    '<script src="/bench.js"></script>';
  const server = createServer((rq, rs) => {
    const url = decodeURIComponent((rq.url ?? '/').split('?')[0]!);
    const send = (code: number, type: string, body: string | Buffer) => {
      rs.writeHead(code, { 'content-type': type });
      rs.end(body);
    };
    if (url === '/' || url === '/index.html') return send(200, 'text/html', page);
    if (scripts[url] !== undefined) return send(200, 'text/javascript', scripts[url]!);
    const m = /^\/v(\d+)\/([\w.-]+)$/.exec(url);
    const v = m ? variants[Number(m[1])] : undefined;
    const file = v && m ? path.join(v.folder, m[2]!) : null;
    if (!file || !existsSync(file) || !statSync(file).isFile()) return send(404, 'text/plain', 'not found');
    send(200, MIME[path.extname(file)] ?? 'application/octet-stream', readFileSync(file));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('bench lighter: the page server has no port');
  return { server, origin: `http://127.0.0.1:${addr.port}` };
}

/** What the page sends back for one variant on one backend. */
interface PageResult {
  actual: string;
  loadMs: number;
  firstMs: number;
  times: number[];
  maxDiff: number;
}

/** Times every variant in headless Chromium on each backend (rows: variant x backend). */
export async function benchLighterBrowser(
  variants: BrowserVariant[],
  inputs: BrowserInputs,
  o: BrowserBenchOptions = {},
): Promise<BrowserTiming[]> {
  const reps = o.reps ?? 5;
  const backends = o.backends ?? ['cpu', 'webgl'];
  const unknown = backends.filter((b) => !BROWSER_BACKENDS.includes(b));
  if (unknown.length)
    throw new Error(`--browser: unknown backend '${unknown[0]}' (the page has: ${BROWSER_BACKENDS.join(', ')})`);
  const log = o.log ?? (() => {});
  const exe =
    o.chromium ?? process.env.TSGAN_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find(existsSync);
  if (!exe || !existsSync(exe)) throw new Error('--browser needs Chromium (Debian: apt-get install chromium)');
  let chromium: typeof import('playwright-core').chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    throw new Error('--browser needs playwright-core (a devDependency: npm ci installs it)');
  }
  const { server, origin } = await serve(variants);
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
  const rows: BrowserTiming[] = [];
  try {
    const context = await browser.newContext();
    await context.route('**/*', (r) => (r.request().url().startsWith(origin) ? r.continue() : r.abort()));
    for (const backend of backends) {
      log(`bench lighter: ${variants.length} generators in Chromium on ${backend}…`);
      // A fresh page per backend: nothing of the other backend's state (textures, kernels) is left.
      const page = await context.newPage();
      try {
        await page.goto(`${origin}/`);
        const out = await page.evaluate((a: PageArgs) => (globalThis as unknown as BenchWindow).tsganLighterBench(a), {
          backend,
          reps,
          urls: variants.map((_, k) => `/v${k}/model.json`),
          nodeImages: variants.map((v) => Array.from(v.nodeImages)),
          batch: inputs.batch,
          latentDim: inputs.latentDim,
          latentInput: inputs.latentInput,
          labelInput: inputs.labelInput,
          z: Array.from(inputs.z),
          labels: inputs.labels ? Array.from(inputs.labels) : null,
        });
        if (typeof out === 'string') throw new Error(`bench lighter in Chromium on ${backend}: ${out}`);
        for (const [k, r] of out.entries()) {
          const t = [...r.times].sort((a, b) => a - b);
          rows.push({
            variant: variants[k]!.name,
            backend,
            actual: r.actual,
            loadMs: r.loadMs,
            firstMs: r.firstMs,
            medianMs: t[Math.floor(t.length / 2)] ?? r.firstMs,
            minMs: t[0] ?? r.firstMs,
            reps,
            maxDiffVsNode: r.maxDiff,
          });
        }
      } finally {
        await page.close();
      }
    }
  } finally {
    await browser.close();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return rows;
}

interface BenchWindow {
  tsganLighterBench: (a: PageArgs) => Promise<PageResult[] | string>;
}

interface PageArgs {
  backend: string;
  reps: number;
  urls: string[];
  nodeImages: number[][];
  batch: number;
  latentDim: number;
  latentInput: number;
  labelInput: number;
  z: number[];
  labels: number[] | null;
}

/**
 * The page's timing function (window.tsganLighterBench), plain JavaScript served as /bench.js: kept out
 * of the TypeScript so that no compiler helper (tsx's __name) ends up in code the browser runs.
 * Argument: PageArgs; result: PageResult[] per url, or the error's message.
 */
const PAGE_SCRIPT = `
window.tsganLighterBench = async function (a) {
  try {
    if (!(await tf.setBackend(a.backend))) return 'the ' + a.backend + ' backend could not start';
    await tf.ready();
    const actual = tf.getBackend();
    const z = tf.tensor2d(a.z, [a.batch, a.latentDim]);
    const labels = a.labels ? tf.tensor2d(a.labels, [a.batch, 1]) : null;
    const inputs = [];
    inputs[a.latentInput] = z;
    if (labels && a.labelInput >= 0) inputs[a.labelInput] = labels;
    const feed = inputs.length === 1 ? inputs[0] : inputs;
    const models = [];
    const results = [];
    for (const url of a.urls) {
      const t0 = performance.now();
      models.push(await tf.loadLayersModel(url));
      results.push({ actual, loadMs: performance.now() - t0, firstMs: 0, times: [], maxDiff: 0 });
    }
    async function pass(k) {
      const t0 = performance.now();
      const y = models[k].predict(feed);
      const d = await y.data();
      const ms = performance.now() - t0;
      y.dispose();
      return { ms, d };
    }
    for (let k = 0; k < models.length; k++) {
      const { ms, d } = await pass(k);
      results[k].firstMs = ms;
      const ref = a.nodeImages[k];
      let m = 0;
      for (let j = 0; j < d.length; j++) m = Math.max(m, Math.abs(d[j] - ref[j]));
      results[k].maxDiff = d.length === ref.length ? m : Infinity;
    }
    for (let r = 0; r < a.reps; r++)
      for (let k = 0; k < models.length; k++) results[k].times.push((await pass(k)).ms);
    for (const m of models) m.dispose();
    tf.dispose(labels ? [z, labels] : [z]);
    return results;
  } catch (e) {
    return e && e.message ? e.message : String(e);
  }
};
`;

/** The browser rows as a table (one line per variant and backend). */
export function formatLighterBrowser(rows: BrowserTiming[], batch: number): string {
  const lines = [
    `in Chromium (batch ${batch}; webgl without a GPU is SwiftShader's software WebGL)`,
    'variant                          backend   load ms  first ms  median ms  fastest ms  img/s  max|diff| vs Node',
  ];
  for (const r of rows)
    lines.push(
      `${r.variant.padEnd(32)} ${`${r.backend}${r.actual !== r.backend ? `->${r.actual}` : ''}`.padEnd(8)}${r.loadMs.toFixed(0).padStart(9)}${r.firstMs.toFixed(0).padStart(10)}${r.medianMs.toFixed(1).padStart(11)}${r.minMs.toFixed(1).padStart(12)}${((batch * 1000) / r.medianMs).toFixed(0).padStart(7)}${r.maxDiffVsNode.toExponential(2).padStart(19)}`,
    );
  return lines.join('\n');
}
