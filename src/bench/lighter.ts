// `tsgan bench lighter RUN [STUDENT...]`: what the lighter generators cost and save. The run's
// generator is exported as TF.js float32, float16 and uint8 weights (and each distilled student run as
// float32), then for each: the bytes of its weight files, the load time, and the Node inference time
// of a batch (median of `reps` timed calls after a warm-up) on the current backend, plus the largest
// and mean |difference| from the float32 generator's images on the same latents (students: from
// their teacher's); with `onnx`, the ONNX graph in onnxruntime-web too; with `browser`, the TF.js
// exports in headless Chromium per backend (lighter_browser.ts). fid-fmnist comes from `tsgan eval` on
// the exported folders (kept with --keep).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import * as tf from '@tensorflow/tfjs-core';

import { exportRun } from '../export/export_run.js';
import { loadGenerator } from '../export/generator_io.js';
import { Rng } from '../train/rng.js';
import { BROWSER_BACKENDS, type BrowserTiming, benchLighterBrowser, formatLighterBrowser } from './lighter_browser.js';

export interface LighterRow {
  variant: string;
  /** Bytes of the weight files (model.json excluded). */
  weightBytes: number;
  params: number;
  loadMs: number;
  /** Median ms of one forward pass of `batch` latents. */
  inferMs: number;
  imgPerS: number;
  /** Largest and mean |image - float32 image| on the same latents. */
  maxDiff: number;
  meanDiff: number;
  folder: string;
  /** With `browser`: the same generator in headless Chromium, one entry per backend. */
  browser?: BrowserTiming[];
}

export interface LighterOptions {
  batch?: number;
  reps?: number;
  /** Keep the exported folders in this folder (default: a temporary one, removed). */
  keep?: string;
  /** Also time the ONNX export in onnxruntime-web (wasm, one thread). */
  onnx?: boolean;
  /** Also time the TF.js exports in headless Chromium on these backends (cpu, webgl). */
  browser?: string[];
  /** Timed passes per variant in the browser (default 5: a browser pass is slower). */
  browserReps?: number;
  /** Chromium's executable (default TSGAN_CHROMIUM, else /usr/bin/chromium). */
  chromium?: string;
  log?: (m: string) => void;
}

function weightBytes(dir: string): number {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.bin'))
    .reduce((s, f) => s + statSync(path.join(dir, f)).size, 0);
}

/** Exports and measures the run's generator (float32, float16, uint8) and each student run. */
export async function benchLighter(run: string, students: string[], o: LighterOptions = {}): Promise<LighterRow[]> {
  const batch = o.batch ?? 64;
  const reps = o.reps ?? 20;
  // Before any export: a wrong backend name is found at once, not after minutes of timing.
  const unknown = (o.browser ?? []).find((b) => !BROWSER_BACKENDS.includes(b));
  if (unknown)
    throw new Error(`--browser: unknown backend '${unknown}' (the page has: ${BROWSER_BACKENDS.join(', ')})`);
  const root = o.keep ?? mkdtempSync(path.join(os.tmpdir(), 'tsgan-lighter-'));
  const variants: { name: string; source: string; quantize?: string }[] = [
    { name: 'float32', source: run },
    { name: 'float16', source: run, quantize: 'float16' },
    { name: 'uint8', source: run, quantize: 'uint8' },
    ...students.map((s, i) => ({ name: `student ${i + 1} (${path.basename(s)})`, source: s })),
  ];
  const entries: Entry[] = [];
  try {
    for (const [i, v] of variants.entries()) {
      const folder = path.join(root, i < 3 ? v.name : `student-${i - 2}`);
      await exportRun(v.source, folder, { page: false, ...(v.quantize ? { quantize: v.quantize } : {}) });
      entries.push(await tfjsEntry(v.name, folder, batch));
    }
    if (o.onnx) entries.push(await onnxEntry(run, path.join(root, 'onnx'), batch));
    // Timed round-robin (one pass of each variant per round), so a change of machine load falls on all.
    const times = entries.map(() => [] as number[]);
    for (let r = 0; r < reps; r++)
      for (const [k, e] of entries.entries()) {
        const s = performance.now();
        await e.pass();
        times[k]!.push(performance.now() - s);
      }
    const reference = entries[0]!.images;
    const tfjs = entries.filter((e) => e.inputs);
    const browser =
      o.browser?.length && tfjs.length
        ? await benchLighterBrowser(
            tfjs.map((e) => ({ name: e.row.variant, folder: e.row.folder, nodeImages: e.images })),
            { batch, ...tfjs[0]!.inputs! },
            { backends: o.browser, reps: o.browserReps, chromium: o.chromium, log: o.log },
          )
        : [];
    return entries.map((e, k) => {
      const t = times[k]!.sort((a, b) => a - b);
      const inferMs = t[Math.floor(t.length / 2)]!;
      let maxDiff = 0;
      let sum = 0;
      for (let j = 0; j < e.images.length; j++) {
        const d = Math.abs(e.images[j]! - reference[j]!);
        maxDiff = Math.max(maxDiff, d);
        sum += d;
      }
      const inBrowser = browser.filter((b) => b.variant === e.row.variant);
      return {
        ...e.row,
        inferMs,
        imgPerS: (batch / inferMs) * 1000,
        maxDiff,
        meanDiff: sum / e.images.length,
        ...(inBrowser.length ? { browser: inBrowser } : {}),
      };
    });
  } finally {
    for (const e of entries) await e.dispose();
    if (!o.keep) rmSync(root, { recursive: true, force: true });
  }
}

/** A generator ready to time: its row's fixed fields, one forward pass, its first images. */
interface Entry {
  row: Omit<LighterRow, 'inferMs' | 'imgPerS' | 'maxDiff' | 'meanDiff'>;
  pass: () => Promise<Float32Array>;
  images: Float32Array;
  /** A TF.js export's inputs, as the browser timing feeds them (absent for ONNX). */
  inputs?: { latentDim: number; latentInput: number; labelInput: number; z: Float32Array; labels: Float32Array | null };
  dispose: () => Promise<void> | void;
}

/** The seeded latents (and labels cycled over the classes) every variant gets. */
function fixedInputs(batch: number, latentDim: number, numClasses: number) {
  const z = new Rng(7).normals(batch * latentDim);
  const labels = numClasses > 0 ? Float32Array.from({ length: batch }, (_, k) => k % numClasses) : null;
  return { z, labels };
}

/** An exported TF.js generator, loaded with loadGenerator (dequantized when quantized). */
async function tfjsEntry(name: string, folder: string, batch: number): Promise<Entry> {
  const t0 = performance.now();
  const { model, manifest } = await loadGenerator(folder);
  const loadMs = performance.now() - t0;
  const { z, labels } = fixedInputs(batch, manifest.latentDim, manifest.numClasses);
  const zt = tf.tensor2d(z, [batch, manifest.latentDim]); // [B, Z]
  const lt = labels ? tf.tensor2d(labels, [batch, 1]) : null; // [B, 1]
  const pass = async () => {
    const y = model.predict(lt ? [zt, lt] : zt) as tf.Tensor; // [B, H, W, C]
    const d = y.dataSync() as Float32Array;
    y.dispose();
    return d;
  };
  const images = await pass(); // also the warm-up
  return {
    row: { variant: name, weightBytes: weightBytes(folder), params: model.countParams(), loadMs, folder },
    pass,
    images,
    inputs: {
      latentDim: manifest.latentDim,
      latentInput: manifest.inputs.findIndex((i) => i.role === 'latent'),
      labelInput: manifest.inputs.findIndex((i) => i.role === 'label'),
      z,
      labels,
    },
    dispose: () => {
      tf.dispose([zt, ...(lt ? [lt] : [])]);
      model.dispose();
    },
  };
}

/** The run's generator as ONNX in onnxruntime-web (wasm, one thread; a devDependency, loaded on demand). */
async function onnxEntry(run: string, folder: string, batch: number): Promise<Entry> {
  let ort: typeof import('onnxruntime-web');
  try {
    ort = await import('onnxruntime-web');
  } catch {
    throw new Error(
      '--onnx needs the onnxruntime-web package (a devDependency of tsgan: npm install in the repository)',
    );
  }
  ort.env.wasm.numThreads = 1;
  const r = await exportRun(run, folder, { format: 'onnx' });
  if (r.format !== 'onnx') throw new Error('unexpected export');
  const file = path.join(folder, Object.values(r.result.files)[0]!);
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(readFileSync(file));
  const loadMs = performance.now() - t0;
  const side = r.result.sidecar as { latentDim: number; numClasses: number };
  const { z, labels } = fixedInputs(batch, side.latentDim, side.numClasses);
  const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {
    z: new ort.Tensor('float32', z, [batch, side.latentDim]),
    ...(labels ? { label: new ort.Tensor('float32', labels, [batch, 1]) } : {}),
  };
  const pass = async () => (await session.run(feeds)).output!.data as Float32Array;
  const images = await pass();
  return {
    row: {
      variant: 'onnx (ort-web wasm, 1 thread)',
      weightBytes: statSync(file).size,
      params: 0,
      loadMs,
      folder,
    },
    pass,
    images,
    dispose: () => session.release(),
  };
}

/** The rows as a table; sizes and speeds also as ratios to float32. */
export function formatLighter(rows: LighterRow[], batch: number): string {
  const base = rows[0]!;
  const lines = [
    `variant                          weights (KiB)  x float32   params   infer ms (batch ${batch})  img/s   speed x  max|diff|  mean|diff|`,
  ];
  for (const r of rows)
    lines.push(
      `${r.variant.padEnd(32)}${(r.weightBytes / 1024).toFixed(1).padStart(14)}${(r.weightBytes / base.weightBytes).toFixed(3).padStart(11)}${String(r.params).padStart(9)}${r.inferMs.toFixed(2).padStart(22)}${r.imgPerS.toFixed(0).padStart(8)}${(base.inferMs / r.inferMs).toFixed(2).padStart(9)}${r.maxDiff.toExponential(2).padStart(11)}${r.meanDiff.toExponential(2).padStart(12)}`,
    );
  const browser = rows.flatMap((r) => r.browser ?? []);
  if (browser.length) lines.push('', formatLighterBrowser(browser, batch));
  return lines.join('\n');
}
