// Using a trained generator: open a run folder, a checkpoint file or an exported generator folder
// as one `GeneratorHandle`, then sample (per-image seeds, class labels, truncation), walk the
// latent space, export, or describe. The CLI's sample / interpolate / export / info call these.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

import { exportGenerator, loadGenerator, modelSha256, type ExportOptions } from '../export/generator_io.js';
import type { GeneratorManifest } from '../export/manifest.js';
import { createModel } from '../models/index.js';
import { familyOf, notALatentGenerator } from '../models/registry.js';
import { loadLatestCheckpoint, readCheckpointFile, type Checkpoint } from './checkpoint.js';
import { parseConfig, type TrainConfig } from './config.js';
import { Rng } from './rng.js';
import { Trainer } from './trainer.js';

/** A generator ready to sample, whatever it was loaded from. */
export interface GeneratorHandle {
  /** 'checkpoint' (run folder or .ckpt file) or 'export' (folder with manifest.json). */
  source: 'checkpoint' | 'export';
  /** File or folder it was loaded from. */
  path: string;
  /** Model family or exported model name. */
  model: string;
  latentDim: number;
  numClasses: number;
  outputShape: number[];
  valueRange: [number, number];
  /** Training step of the weights, when known. */
  step: number | null;
  /** The tfjs-layers generator (the EMA copy when the run kept one). */
  network: tfl.LayersModel;
  /** The trainer (checkpoints only), e.g. to export or inspect optimizer state. */
  trainer?: Trainer;
  manifest?: GeneratorManifest;
  dispose(): void;
}

/** Resolves a run folder to its newest intact checkpoint; a file path is returned as is. */
export function resolveCheckpointPath(
  p: string,
  warn: (m: string) => void = () => {},
): { file: string; checkpoint: Checkpoint } {
  const abs = path.resolve(p);
  if (!existsSync(abs)) throw new Error(`not found: ${p}`);
  if (statSync(abs).isDirectory()) {
    const ckDir = existsSync(path.join(abs, 'checkpoints')) ? path.join(abs, 'checkpoints') : abs;
    return loadLatestCheckpoint(ckDir, warn);
  }
  return { file: abs, checkpoint: readCheckpointFile(abs) };
}

/** Rebuilds a Trainer (model, optimizers, EMA, RNG) from a checkpoint, without data. */
export function trainerFromCheckpoint(ck: Checkpoint, file = 'checkpoint'): Trainer {
  const config: TrainConfig = parseConfig(ck.header.state.config);
  const model = createModel(ck.header.model.family, ck.header.model.options);
  const trainer = new Trainer({ config, dataset: null, model });
  trainer.restore(ck, file);
  return trainer;
}

/** Opens a run folder, a checkpoint file, or an exported generator folder. */
export async function openGenerator(
  p: string,
  opts: { warn?: (m: string) => void; useEma?: boolean } = {},
): Promise<GeneratorHandle> {
  const abs = path.resolve(p);
  if (existsSync(path.join(abs, 'manifest.json'))) {
    const { model, manifest, stylegan } = await loadGenerator(abs);
    // A StyleGAN2 export also holds its mapping and synthesis halves: they go with the model.
    const release = () => {
      model.dispose();
      stylegan?.dispose();
    };
    if (manifest.inputs.some((i) => i.role === 'image')) {
      release();
      throw new Error(
        `${p} is an exported ${manifest.model} model, which translates images instead of generating them from latents: use tsgan translate ${p} INPUT... -o DIR`,
      );
    }
    const roles = manifest.inputs.map((i) => i.role);
    if (roles.includes('low-resolution image') || roles.includes('token ids')) {
      release();
      throw new Error(
        roles.includes('token ids')
          ? `${p} is an exported ${manifest.model} model, which draws from prompts: open its page (tsgan serve ${p}), or use tsgan generate on the run it came from`
          : `${p} is an exported ${manifest.model} model, which upscales images instead of generating them from latents: use tsgan upscale ${p} INPUT... -o DIR`,
      );
    }
    return {
      source: 'export',
      path: abs,
      model: manifest.model,
      latentDim: manifest.latentDim,
      numClasses: manifest.numClasses,
      outputShape: manifest.outputShape,
      valueRange: manifest.valueRange,
      step: typeof manifest.extra?.step === 'number' ? manifest.extra.step : null,
      network: model,
      manifest,
      dispose: release,
    };
  }
  const { file, checkpoint } = resolveCheckpointPath(abs, opts.warn);
  const family = checkpoint.header.model.family;
  // Families that do not map latents to images say what to run instead (src/models/registry.ts);
  // video generators map latents to clips: `tsgan sample --video` reads them through this handle, and
  // the image-only commands refuse them (videoRefusal).
  const other = familyOf(family).input === 'video' ? null : notALatentGenerator(p, family);
  if (other) throw new Error(other);
  const trainer = trainerFromCheckpoint(checkpoint, file);
  const useEma = opts.useEma ?? true;
  const network = useEma ? trainer.sampleGenerator : trainer.model.networks[trainer.model.generatorName];
  return {
    source: 'checkpoint',
    path: file,
    model: trainer.model.family,
    latentDim: trainer.model.latentDim,
    numClasses: trainer.model.numClasses,
    outputShape: trainer.model.outputShape,
    valueRange: trainer.model.valueRange,
    step: trainer.step,
    network,
    trainer,
    dispose: () => trainer.dispose(),
  };
}

export interface SampleOptions {
  /** Number of samples (ignored when `seeds` is given). */
  n?: number;
  /** Base seed: sample i uses seed + i. */
  seed?: number;
  /** Explicit per-sample seeds. */
  seeds?: number[];
  /** Class of each sample for conditional generators (cycled); default i % numClasses. */
  classes?: number[];
  /** Truncation threshold on |z| components (0 = off). */
  truncation?: number;
}

/** The latent of one seed: the first latentDim normals of Rng(seed) (truncated when asked). */
export function latentForSeed(seed: number, latentDim: number, truncation = 0): Float32Array {
  return new Rng(seed).normals(latentDim, truncation);
}

function checkTruncation(t: number | undefined): void {
  if (t !== undefined && !(Number.isFinite(t) && t >= 0))
    throw new Error(`truncation must be 0 (off) or a positive number, got ${t}`);
}

/** The seeds a SampleOptions describes, checked (whole numbers, at least one). */
export function sampleSeeds(o: SampleOptions): number[] {
  if (o.seeds) {
    if (o.seeds.length === 0) throw new Error('no seeds given: nothing to generate');
    const bad = o.seeds.find((s) => !Number.isSafeInteger(s));
    if (bad !== undefined) throw new Error(`seeds must be whole numbers, got ${bad}`);
    return o.seeds;
  }
  const n = o.n ?? 16;
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`the number of samples must be a whole number >= 1, got ${n}`);
  const seed = o.seed ?? 0;
  if (!Number.isSafeInteger(seed)) throw new Error(`the seed must be a whole number, got ${seed}`);
  return Array.from({ length: n }, (_, i) => seed + i);
}

/**
 * Checks class labels against a generator: each in 0..numClasses-1 for a conditional one; none at all
 * for an unconditional one.
 */
export function checkClasses(g: Pick<GeneratorHandle, 'numClasses'>, classes: number[] | undefined): void {
  if (!classes?.length) return;
  if (g.numClasses === 0) throw new Error('this generator is unconditional: it takes no class labels');
  for (const c of classes) {
    if (!Number.isInteger(c) || c < 0 || c >= g.numClasses)
      throw new Error(`class ${c} is out of range: this generator has classes 0..${g.numClasses - 1}`);
  }
}

/** Class of sample i: cycled through `classes`, else i % numClasses; null when unconditional. */
export function classOfSample(g: Pick<GeneratorHandle, 'numClasses'>, classes: number[] | undefined, i: number) {
  if (g.numClasses === 0) return null;
  return classes?.length ? classes[i % classes.length] : i % g.numClasses;
}

/** The seeds and labels a SampleOptions describes. */
export function sampleInputs(
  g: Pick<GeneratorHandle, 'latentDim' | 'numClasses'>,
  o: SampleOptions,
): { seeds: number[]; z: tf.Tensor2D; labels: tf.Tensor1D | null; classes: number[] | null } {
  const seeds = sampleSeeds(o);
  checkTruncation(o.truncation);
  checkClasses(g, o.classes);
  const zs = new Float32Array(seeds.length * g.latentDim);
  seeds.forEach((s, i) => {
    zs.set(latentForSeed(s, g.latentDim, o.truncation ?? 0), i * g.latentDim);
  });
  const cls = g.numClasses > 0 ? seeds.map((_, i) => classOfSample(g, o.classes, i) as number) : null;
  const labels = cls ? tf.tensor1d(cls, 'int32') : null;
  return { seeds, z: tf.tensor2d(zs, [seeds.length, g.latentDim]), labels, classes: cls };
}

/** Runs the generator on z (and labels) in inference mode. */
export function runGenerator(g: GeneratorHandle, z: tf.Tensor2D, labels: tf.Tensor1D | null): tf.Tensor {
  if (z.shape[0] === 0) throw new Error('nothing to generate: no latent vectors were given');
  return tf.tidy(() => {
    if (g.numClasses > 0) {
      if (!labels) throw new Error('a conditional generator needs labels');
      return g.network.predict([z, tf.reshape(tf.cast(labels, 'float32'), [-1, 1])]) as tf.Tensor;
    }
    return g.network.predict(z) as tf.Tensor;
  });
}

/** The generator's output values for the given latents ([k, latentDim] flat) and labels. */
export async function generateValues(
  g: GeneratorHandle,
  latents: Float32Array,
  labels: number[] | null,
): Promise<Float32Array> {
  const k = latents.length / g.latentDim;
  const z = tf.tensor2d(latents, [k, g.latentDim]);
  const l = labels ? tf.tensor1d(labels, 'int32') : null;
  try {
    const out = runGenerator(g, z, l);
    try {
      return (await out.data()) as Float32Array;
    } finally {
      out.dispose();
    }
  } finally {
    tf.dispose([z, ...(l ? [l] : [])]);
  }
}

/** Samples per SampleOptions: returns the images/points and the seeds used. */
export function sample(
  g: GeneratorHandle,
  o: SampleOptions = {},
): { samples: tf.Tensor; seeds: number[]; labels: number[] | null } {
  const { seeds, z, labels, classes } = sampleInputs(g, o);
  try {
    const samples = runGenerator(g, z, labels);
    return { samples, seeds, labels: classes };
  } finally {
    tf.dispose([z, ...(labels ? [labels] : [])]);
  }
}

/** A latent walk: which seeds, how many frames per segment, how, with which classes. */
export interface WalkOptions {
  /** Seeds of the key latents, in order (at least 2). */
  seeds: number[];
  /** Frames per segment (default 8). */
  steps?: number;
  /** 'slerp' (default) or 'linear'. */
  mode?: 'slerp' | 'linear';
  /** Classes of a conditional generator, spread evenly over the walk (default class 0). */
  classes?: number[];
  /** Truncation threshold on |z| components (0 = off). */
  truncation?: number;
  /** Return to the first seed. */
  loop?: boolean;
}

/** A walk's frames made on demand: how many, and the latent and label of frame i. */
export function walkPlan(
  g: Pick<GeneratorHandle, 'latentDim' | 'numClasses'>,
  o: WalkOptions,
): { count: number; latent(i: number): Float32Array; label(i: number): number | null } {
  if (o.seeds.length < 2) throw new Error('a latent walk needs at least 2 seeds');
  const badSeed = o.seeds.find((s) => !Number.isSafeInteger(s));
  if (badSeed !== undefined) throw new Error(`seeds must be whole numbers, got ${badSeed}`);
  const steps = o.steps ?? 8;
  if (!Number.isSafeInteger(steps) || steps < 1) throw new Error(`steps must be a whole number >= 1, got ${steps}`);
  const mode = o.mode ?? 'slerp';
  if (mode !== 'slerp' && mode !== 'linear') throw new Error(`mode must be slerp or linear, got '${mode as string}'`);
  checkTruncation(o.truncation);
  checkClasses(g, o.classes);
  const pts = o.loop ? [...o.seeds, o.seeds[0]] : o.seeds;
  const keys = pts.map((s) => latentForSeed(s, g.latentDim, o.truncation ?? 0));
  const segments = keys.length - 1;
  // Each segment has `steps` frames; an open walk also ends on its last key.
  const count = segments * steps + (o.loop ? 0 : 1);
  const c = o.classes?.length ? o.classes : [0];
  return {
    count,
    latent: (i) => {
      const k = Math.min(segments - 1, Math.floor(i / steps));
      return mix(keys[k], keys[k + 1], (i - k * steps) / steps, mode);
    },
    label: (i) => (g.numClasses > 0 ? c[Math.min(c.length - 1, Math.floor((i / count) * c.length))] : null),
  };
}

/**
 * A latent walk through the latents of `seeds` (in order), `steps` frames per segment, by spherical
 * interpolation (slerp, better suited to Gaussian latents than straight lines) or linear.
 */
export function interpolate(g: GeneratorHandle, o: WalkOptions): { frames: tf.Tensor; count: number } {
  const plan = walkPlan(g, o);
  const zs = new Float32Array(plan.count * g.latentDim);
  for (let i = 0; i < plan.count; i++) zs.set(plan.latent(i), i * g.latentDim);
  const z = tf.tensor2d(zs, [plan.count, g.latentDim]);
  const labels =
    g.numClasses > 0
      ? tf.tensor1d(
          Array.from({ length: plan.count }, (_, i) => plan.label(i) as number),
          'int32',
        )
      : null;
  try {
    return { frames: runGenerator(g, z, labels), count: plan.count };
  } finally {
    tf.dispose([z, ...(labels ? [labels] : [])]);
  }
}

/** Interpolates two latents at t in [0, 1]. */
export function mix(a: Float32Array, b: Float32Array, t: number, mode: 'slerp' | 'linear'): Float32Array {
  const out = new Float32Array(a.length);
  if (mode === 'slerp') {
    let na = 0;
    let nb = 0;
    let dot = 0;
    for (let i = 0; i < a.length; i++) {
      na += a[i] * a[i];
      nb += b[i] * b[i];
      dot += a[i] * b[i];
    }
    const cos = Math.min(1, Math.max(-1, dot / Math.sqrt(na * nb)));
    const omega = Math.acos(cos);
    if (omega > 1e-4) {
      const s = Math.sin(omega);
      const wa = Math.sin((1 - t) * omega) / s;
      const wb = Math.sin(t * omega) / s;
      for (let i = 0; i < a.length; i++) out[i] = wa * a[i] + wb * b[i];
      return out;
    }
  }
  for (let i = 0; i < a.length; i++) out[i] = (1 - t) * a[i] + t * b[i];
  return out;
}

/** The sentence for a video generator where images are needed (export, eval...), or null for image generators. */
export function videoRefusal(
  g: Pick<GeneratorHandle, 'path' | 'model' | 'outputShape'>,
  where = g.path,
): string | null {
  return g.outputShape.length === 4 ? notALatentGenerator(where, g.model) : null;
}

/** Exports the generator of a run/checkpoint (the EMA copy when present) to the TF.js layers format. */
export async function exportFromCheckpoint(
  g: GeneratorHandle,
  dir: string,
  classNames: string[] = [],
  opts: ExportOptions = {},
): Promise<GeneratorManifest> {
  if (g.source !== 'checkpoint' || !g.trainer) throw new Error(`${g.path} is already an exported generator`);
  const t = g.trainer;
  const shape = t.model.outputShape;
  return exportGenerator(
    g.network,
    dir,
    {
      model: t.model.family,
      latentDim: t.model.latentDim,
      numClasses: t.model.numClasses,
      classNames, // exportGenerator refuses a list whose length is not numClasses
      valueRange: t.model.valueRange,
      resolution: shape.length === 3 ? shape[0] : 0,
      channels: shape.length === 3 ? shape[2] : shape[0],
      extra: { step: t.step, seed: t.config.seed, ema: Object.keys(t.ema).length > 0, dataset: t.config.data.source },
    },
    opts,
  );
}

/** What `tsgan info` reports about a run folder, checkpoint file or export. */
export async function describeArtifact(p: string): Promise<Record<string, unknown>> {
  const abs = path.resolve(p);
  if (existsSync(path.join(abs, 'manifest.json'))) {
    const { model, manifest, stylegan } = await loadGenerator(abs);
    try {
      return {
        source: 'export',
        path: abs,
        model: manifest.model,
        step: typeof manifest.extra?.step === 'number' ? manifest.extra.step : null,
        latentDim: manifest.latentDim,
        numClasses: manifest.numClasses,
        outputShape: manifest.outputShape,
        valueRange: manifest.valueRange,
        generatorSha256: await modelSha256(model),
        manifest,
      };
    } finally {
      model.dispose();
      stylegan?.dispose();
    }
  }
  // A checkpoint of any family (translators, super-resolution and text-to-image models too).
  const { file, checkpoint } = resolveCheckpointPath(abs);
  const t = trainerFromCheckpoint(checkpoint, file);
  try {
    return {
      source: 'checkpoint',
      path: file,
      model: t.model.family,
      step: t.step,
      latentDim: t.model.latentDim,
      numClasses: t.model.numClasses,
      outputShape: t.model.outputShape,
      valueRange: t.model.valueRange,
      generatorSha256: await modelSha256(t.sampleGenerator),
      checkpoint: {
        file,
        savedAt: checkpoint.header.savedAt,
        tensors: checkpoint.tensors.length,
        bytes: statSync(file).size,
      },
      description: t.model.describe(),
      optimizers: Object.fromEntries(
        Object.entries(t.optimizers).map(([n, o]) => [n, { t: o.t, lr: o.lr, variables: o.variables.length }]),
      ),
      ema: Object.keys(t.ema).length ? { networks: Object.keys(t.ema), decay: t.config.ema } : null,
      rng: t.rng.getState(),
      sampler: t.sampler?.getState() ?? checkpoint.header.state.sampler ?? null,
      diffAugment: t.diffAugmentPolicies.join(',') || null,
      config: t.config,
      preset: checkpoint.header.state.preset ?? null,
    };
  } finally {
    t.dispose();
  }
}
