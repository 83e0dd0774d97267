// `tsgan bench lighter RUN [STUDENT...]`: what the lighter generators cost and save. The run's
// generator is exported as TF.js float32, float16 and uint8 weights (and each distilled student run as
// float32), then for each: the bytes of its weight files, the load time, and the Node inference time
// of a batch (median of `reps` timed calls after a warm-up) on the current backend, plus the largest
// and mean |difference| from the float32 generator's images on the same latents (students: from
// their teacher's). fid-fmnist comes from `tsgan eval` on the exported folders (kept with --keep).
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import * as tf from '@tensorflow/tfjs-core';

import { exportRun } from '../export/export_run.js';
import { loadGenerator } from '../export/generator_io.js';
import { Rng } from '../train/rng.js';

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
}

export interface LighterOptions {
  batch?: number;
  reps?: number;
  /** Keep the exported folders in this folder (default: a temporary one, removed). */
  keep?: string;
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
  const root = o.keep ?? mkdtempSync(path.join(os.tmpdir(), 'tsgan-lighter-'));
  const variants: { name: string; source: string; quantize?: string }[] = [
    { name: 'float32', source: run },
    { name: 'float16', source: run, quantize: 'float16' },
    { name: 'uint8', source: run, quantize: 'uint8' },
    ...students.map((s, i) => ({ name: `student ${i + 1} (${path.basename(s)})`, source: s })),
  ];
  const rows: LighterRow[] = [];
  let reference: Float32Array | null = null;
  try {
    for (const [i, v] of variants.entries()) {
      const folder = path.join(root, i < 3 ? v.name : `student-${i - 2}`);
      await exportRun(v.source, folder, { page: false, ...(v.quantize ? { quantize: v.quantize } : {}) });
      const t0 = performance.now();
      const { model, manifest } = await loadGenerator(folder);
      const loadMs = performance.now() - t0;
      const z = tf.tensor2d(new Rng(7).normals(batch * manifest.latentDim), [batch, manifest.latentDim]);
      const labels =
        manifest.numClasses > 0
          ? tf.tensor2d(
              Float32Array.from({ length: batch }, (_, k) => k % manifest.numClasses),
              [batch, 1],
            )
          : null;
      const input = labels ? [z, labels] : z;
      const run1 = () => {
        const y = model.predict(input) as tf.Tensor;
        const d = y.dataSync() as Float32Array;
        y.dispose();
        return d;
      };
      const images = run1(); // warm-up, and the images compared
      const times: number[] = [];
      for (let r = 0; r < reps; r++) {
        const s = performance.now();
        run1();
        times.push(performance.now() - s);
      }
      times.sort((a, b) => a - b);
      const inferMs = times[Math.floor(times.length / 2)]!;
      reference ??= images;
      let maxDiff = 0;
      let sum = 0;
      for (let k = 0; k < images.length; k++) {
        const d = Math.abs(images[k]! - reference[k]!);
        maxDiff = Math.max(maxDiff, d);
        sum += d;
      }
      rows.push({
        variant: v.name,
        weightBytes: weightBytes(folder),
        params: model.countParams(),
        loadMs,
        inferMs,
        imgPerS: (batch / inferMs) * 1000,
        maxDiff,
        meanDiff: sum / images.length,
        folder,
      });
      tf.dispose([z, ...(labels ? [labels] : [])]);
      model.dispose();
    }
  } finally {
    if (!o.keep) rmSync(root, { recursive: true, force: true });
  }
  return rows;
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
  return lines.join('\n');
}
