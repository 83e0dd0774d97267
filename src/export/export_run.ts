// One entry point for `tsgan export`: a run folder or checkpoint to a TF.js layers model (optionally
// with quantized weights), a safetensors file of every network, or an ONNX graph of the generator.
// Inputs are checked before anything is loaded or written, with one sentence per mistake.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

import { resolveClassNames } from './class_names.js';
import { checkExportTarget } from './generator_io.js';
import type { GeneratorManifest } from './manifest.js';
import { QUANTIZE_DTYPES, type QuantizeDtype } from './quantize.js';
import { exportOnnx, type OnnxExport } from './onnx/export.js';
import { exportSafetensors, type SafetensorsExport } from './safetensors.js';
import { exportStyleGAN, isStyleGAN2Handle } from './stylegan_export.js';
import { exportUpscaler } from './sr_export.js';
import { exportPromptGenerator } from './text2image_export.js';
import { exportTranslator } from './translator_export.js';
import { familiesTaking } from '../models/registry.js';
import type { Direction } from '../train/translate.js';
import {
  exportFromCheckpoint,
  openGenerator,
  resolveCheckpointPath,
  trainerFromCheckpoint,
  videoRefusal,
} from '../train/inference.js';
import type { Trainer } from '../train/trainer.js';

export const EXPORT_FORMATS = ['tfjs', 'safetensors', 'onnx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface RunExportOptions {
  /** Default 'tfjs'. */
  format?: string;
  /** Weight quantization of the tfjs format: 'uint8' or 'float16'. */
  quantize?: string;
  /** The raw generator, not the EMA copy (tfjs and onnx). */
  raw?: boolean;
  /** Class names for the manifest (tfjs), comma-separated. */
  classNames?: string;
  /** The web page beside a tfjs export (default true). */
  page?: boolean;
  /** Image-to-image runs, tfjs format: which CycleGAN generator (default AtoB). */
  direction?: string;
  warn?: (m: string) => void;
}

export type RunExportResult =
  | { format: 'tfjs'; manifest: GeneratorManifest }
  | { format: 'safetensors'; result: SafetensorsExport }
  | { format: 'onnx'; result: OnnxExport };

/** Checks the format and quantization options; returns them typed. */
export function checkExportOptions(o: RunExportOptions): { format: ExportFormat; quantize: QuantizeDtype | null } {
  const format = (o.format ?? 'tfjs') as ExportFormat;
  if (!EXPORT_FORMATS.includes(format))
    throw new Error(`unknown export format '${o.format}': choose one of ${EXPORT_FORMATS.join(', ')}`);
  let quantize: QuantizeDtype | null = null;
  if (o.quantize !== undefined) {
    if (!(QUANTIZE_DTYPES as readonly string[]).includes(o.quantize))
      throw new Error(`unknown quantization '${o.quantize}': choose uint8 or float16`);
    if (format !== 'tfjs')
      throw new Error(
        `--quantize applies to the tfjs format (TF.js weight quantization, dequantized on load); ${format} files keep float32 weights`,
      );
    quantize = o.quantize as QuantizeDtype;
  }
  if (format !== 'tfjs' && o.classNames)
    throw new Error(
      '--class-names is recorded in the tfjs manifest; it does not apply to the safetensors or onnx formats',
    );
  return { format, quantize };
}

/** A run folder or checkpoint file as a Trainer; clear sentences for an export folder or a run with no checkpoint. */
export function openRunTrainer(source: string, warn: (m: string) => void = () => {}): Trainer {
  const abs = path.resolve(source);
  if (!existsSync(abs)) throw new Error(`${source}: no such run folder or checkpoint file`);
  if (statSync(abs).isDirectory() && existsSync(path.join(abs, 'manifest.json')))
    throw new Error(`${source} is an exported generator, not a run: export from the run folder or a checkpoint file`);
  let ck: ReturnType<typeof resolveCheckpointPath>;
  try {
    ck = resolveCheckpointPath(abs, warn);
  } catch (e) {
    const msg = (e as Error).message;
    if (/^no checkpoint in /.test(msg))
      throw new Error(`${source} holds no checkpoint: it has no trained generator to export yet (train it first)`);
    throw e;
  }
  return trainerFromCheckpoint(ck.checkpoint, ck.file);
}

/** The model family of `source` (a run folder or checkpoint, not an export); null if it is not one. */
function runFamily(source: string, warn: (m: string) => void): string | null {
  const abs = path.resolve(source);
  if (!existsSync(abs) || (statSync(abs).isDirectory() && existsSync(path.join(abs, 'manifest.json')))) return null;
  try {
    return resolveCheckpointPath(abs, warn).checkpoint.header.model.family;
  } catch {
    return null; // openGenerator says what is wrong with it
  }
}

/** Exports the run or checkpoint at `source` to `outDir` in the chosen format. */
export async function exportRun(source: string, outDir: string, o: RunExportOptions = {}): Promise<RunExportResult> {
  const { format, quantize } = checkExportOptions(o);
  const warn = o.warn ?? (() => {});
  if (o.direction !== undefined && format !== 'tfjs')
    throw new Error(`--direction applies to the tfjs format (${format} exports every generator of the run)`);
  if (format === 'tfjs') {
    checkExportTarget(outDir); // before loading anything: a file path or a foreign folder fails at once
    const family = runFamily(source, warn);
    if (family === 'srgan' || family === 'text2image') {
      // Super-resolution (sr_export.ts) and text-to-image (text2image_export.ts): their own models and pages.
      if (o.classNames) throw new Error(`--class-names applies to generators with classes; this run is ${family}`);
      if (o.direction !== undefined) throw new Error('--direction applies to image-to-image runs (pix2pix, cyclegan)');
      const eo = { raw: o.raw, webDemo: o.page ?? true, ...(quantize ? { quantize } : {}), warn };
      const manifest =
        family === 'srgan' ? await exportUpscaler(source, outDir, eo) : await exportPromptGenerator(source, outDir, eo);
      return { format, manifest };
    }
    if (family !== null && familiesTaking('image').includes(family)) {
      if (o.classNames) throw new Error('--class-names applies to generators with classes; this run translates images');
      if (o.direction !== undefined && o.direction !== 'AtoB' && o.direction !== 'BtoA')
        throw new Error(`--direction must be AtoB or BtoA, got '${o.direction}'`);
      const manifest = await exportTranslator(source, outDir, {
        direction: o.direction as Direction | undefined,
        raw: o.raw,
        webDemo: o.page ?? true,
        ...(quantize ? { quantize } : {}),
        warn,
      });
      return { format, manifest };
    }
    if (o.direction !== undefined) throw new Error('--direction applies to image-to-image runs (pix2pix, cyclegan)');
    const g = await openGenerator(source, { useEma: !o.raw, warn });
    const video = videoRefusal(g, source);
    if (video) {
      g.dispose();
      throw new Error(`${video}; the TF.js export covers image generators`);
    }
    try {
      const names = resolveClassNames(o.classNames, g);
      const eo = { webDemo: o.page ?? true, ...(quantize ? { quantize } : {}) };
      // StyleGAN2: its mapping and synthesis as two more models (stylegan_export.ts).
      const manifest = isStyleGAN2Handle(g)
        ? await exportStyleGAN(g, outDir, names, eo)
        : await exportFromCheckpoint(g, outDir, names, eo);
      return { format, manifest };
    } finally {
      g.dispose();
    }
  }
  const t = openRunTrainer(source, warn);
  try {
    if (format === 'safetensors') return { format, result: exportSafetensors(t, outDir) };
    return { format, result: await exportOnnx(t, outDir, { useEma: !o.raw }) };
  } finally {
    t.dispose();
  }
}
