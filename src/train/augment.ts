// Data augmentation from a class-conditional run: `tsgan augment RUN --per-class N -o DIR` writes
// N generated images per class as PNG folders, one sub-folder per class (the layout
// `--data.source folder` reads: first-level sub-folder names are the class labels), each PNG
// labelled as synthetic with its model, step, class and seed. Optionally only samples the project's
// Fashion-MNIST classifier assigns to their label with at least `minConfidence` are kept (more are
// drawn until each class has N, up to `maxTries` times N). The folder is written beside the
// destination and renamed into place at the end: a failure leaves nothing half-written.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

import { FASHION_MNIST_CLASSES } from '../data/fashion_mnist.js';
import { ensureFolder } from '../io/files.js';
import { writePng } from '../io/png.js';
import { FmnistClassifier } from '../metrics/fmnist_classifier.js';
import { type GeneratorHandle, generateValues, latentForSeed, openGenerator } from './inference.js';

export interface AugmentOptions {
  /** Images per class. */
  perClass: number;
  /** Keep only samples the classifier gives their label with at least this probability (0 = keep all). */
  minConfidence?: number;
  /** Give up on a class after drawing this many times perClass candidates (default 20). */
  maxTries?: number;
  /** Base latent seed (default 1). */
  seed?: number;
  /** Class folder names (default: Fashion-MNIST's for 10 classes, else class-0, class-1...). */
  classNames?: string[];
  useEma?: boolean;
  onProgress?: (done: number, total: number) => void;
  warn?: (m: string) => void;
}

export interface AugmentResult {
  dir: string;
  perClass: number;
  classes: string[];
  /** Candidates drawn per class (more than perClass when filtering). */
  drawn: number[];
}

const safeName = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');

/** Writes the class-balanced folder; see the file header. */
export async function augmentFromRun(run: string, outDir: string, o: AugmentOptions): Promise<AugmentResult> {
  if (!Number.isInteger(o.perClass) || o.perClass < 1)
    throw new Error(`--per-class must be a whole number >= 1, got ${o.perClass}`);
  const minConf = o.minConfidence ?? 0;
  if (!(minConf >= 0 && minConf < 1)) throw new Error(`--min-confidence must be in [0, 1), got ${minConf}`);
  if (existsSync(outDir) && (!statSync(outDir).isDirectory() || readdirSync(outDir).length > 0))
    throw new Error(`-o ${outDir} exists and is not an empty folder; give a new folder`);
  const g: GeneratorHandle = await openGenerator(run, { useEma: o.useEma ?? true, warn: o.warn });
  const tmp = `${outDir.replace(/[\\/]+$/, '')}.tmp-${process.pid}`;
  try {
    if (g.numClasses === 0)
      throw new Error(
        `${run} holds an unconditional ${g.model} model; augment needs a class-conditional run (e.g. --preset cgan-fmnist)`,
      );
    const [h, w, c] = g.outputShape as [number, number, number];
    if (g.outputShape.length !== 3) throw new Error(`augment writes images; ${run} generates [${g.outputShape}]`);
    const fmnistLike = h === 28 && w === 28 && c === 1;
    if (minConf > 0 && !(fmnistLike && g.numClasses === 10))
      throw new Error(
        '--min-confidence uses the Fashion-MNIST classifier: it needs a 28x28 grayscale generator of 10 classes',
      );
    const classifier = minConf > 0 ? FmnistClassifier.load() : null;
    const names = (o.classNames ?? (g.numClasses === 10 && fmnistLike ? FASHION_MNIST_CLASSES : [])).map(safeName);
    const classes = Array.from({ length: g.numClasses }, (_, k) => names[k] ?? `class-${k}`);
    rmSync(tmp, { recursive: true, force: true });
    ensureFolder(tmp);
    const [lo, hi] = g.valueRange;
    const per = h * w * c;
    const batch = 100;
    const drawn: number[] = [];
    const total = o.perClass * g.numClasses;
    let done = 0;
    for (let k = 0; k < g.numClasses; k++) {
      ensureFolder(path.join(tmp, classes[k]!));
      let kept = 0;
      let tries = 0;
      const limit = o.perClass * (o.maxTries ?? 20);
      while (kept < o.perClass) {
        if (tries >= limit)
          throw new Error(
            `class ${classes[k]}: only ${kept} of ${tries} samples reached confidence ${minConf}; lower --min-confidence`,
          );
        const m = Math.min(batch, Math.max(1, o.perClass - kept), limit - tries);
        const seeds = Array.from({ length: m }, (_, i) => (o.seed ?? 1) + k * 1_000_003 + tries + i);
        const zs = new Float32Array(m * g.latentDim);
        seeds.forEach((s, i) => {
          zs.set(latentForSeed(s, g.latentDim), i * g.latentDim);
        });
        const v = await generateValues(g, zs, new Array(m).fill(k));
        tries += m;
        const imgs = new Float32Array(v.length);
        for (let i = 0; i < v.length; i++) imgs[i] = ((v[i]! - lo) / (hi - lo)) * 2 - 1; // [-1, 1]
        const probs = classifier ? classifier.extract(imgs, m).probs.data : null;
        for (let i = 0; i < m && kept < o.perClass; i++) {
          if (probs && probs[i * 10 + k]! < minConf) continue;
          const px = new Uint8Array(per);
          for (let j = 0; j < per; j++)
            px[j] = Math.max(0, Math.min(255, Math.round((imgs[i * per + j]! + 1) * 127.5)));
          writePng(
            path.join(tmp, classes[k]!, `${String(kept).padStart(5, '0')}.png`),
            { width: w, height: h, channels: c as 1 | 3, data: px },
            {
              model: g.model,
              step: g.step ?? undefined,
              seed: seeds[i],
              kind: 'augmentation sample',
              extra: { class: classes[k]! },
            },
          );
          kept++;
          o.onProgress?.(++done, total);
        }
      }
      drawn.push(tries);
    }
    renameSync(tmp, outDir.replace(/[\\/]+$/, ''));
    return { dir: outDir, perClass: o.perClass, classes, drawn };
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  } finally {
    g.dispose();
  }
}
