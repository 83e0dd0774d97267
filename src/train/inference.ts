// Using a trained generator: open a run folder, a checkpoint file or an exported generator folder
// as one `GeneratorHandle`, then sample (per-image seeds, class labels, truncation), walk the
// latent space, export, or describe. The CLI's sample / interpolate / export / info call these.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';

import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

import { exportGenerator, loadGenerator, modelSha256 } from '../export/generator_io.js';
import type { GeneratorManifest } from '../export/manifest.js';
import { createModel } from '../models/index.js';
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
    const { model, manifest } = await loadGenerator(abs);
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
      dispose: () => model.dispose(),
    };
  }
  const { file, checkpoint } = resolveCheckpointPath(abs, opts.warn);
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

/** The seeds and labels a SampleOptions describes. */
export function sampleInputs(
  g: Pick<GeneratorHandle, 'latentDim' | 'numClasses'>,
  o: SampleOptions,
): { seeds: number[]; z: tf.Tensor2D; labels: tf.Tensor1D | null; classes: number[] | null } {
  const seeds = o.seeds ?? Array.from({ length: o.n ?? 16 }, (_, i) => (o.seed ?? 0) + i);
  if (seeds.length === 0) throw new Error('sample: nothing to generate (n = 0)');
  if (o.truncation != null && o.truncation < 0) throw new Error(`truncation must be >= 0, got ${o.truncation}`);
  const zs = new Float32Array(seeds.length * g.latentDim);
  seeds.forEach((s, i) => {
    zs.set(latentForSeed(s, g.latentDim, o.truncation ?? 0), i * g.latentDim);
  });
  let labels: tf.Tensor1D | null = null;
  let cls: number[] | null = null;
  if (g.numClasses > 0) {
    cls = seeds.map((_, i) => (o.classes?.length ? o.classes[i % o.classes.length] : i % g.numClasses));
    for (const c of cls) {
      if (!Number.isInteger(c) || c < 0 || c >= g.numClasses)
        throw new Error(`class ${c} is out of range: this generator has classes 0..${g.numClasses - 1}`);
    }
    labels = tf.tensor1d(cls, 'int32');
  } else if (o.classes?.length) {
    throw new Error('this generator is unconditional: it takes no class labels');
  }
  return { seeds, z: tf.tensor2d(zs, [seeds.length, g.latentDim]), labels, classes: cls };
}

/** Runs the generator on z (and labels) in inference mode. */
export function runGenerator(g: GeneratorHandle, z: tf.Tensor2D, labels: tf.Tensor1D | null): tf.Tensor {
  return tf.tidy(() => {
    if (g.numClasses > 0) {
      if (!labels) throw new Error('a conditional generator needs labels');
      return g.network.predict([z, tf.reshape(tf.cast(labels, 'float32'), [-1, 1])]) as tf.Tensor;
    }
    return g.network.predict(z) as tf.Tensor;
  });
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

/**
 * A latent walk through the latents of `seeds` (in order), `steps` frames per segment, by spherical
 * interpolation (slerp, better suited to Gaussian latents than straight lines) or linear.
 */
export function interpolate(
  g: GeneratorHandle,
  o: {
    seeds: number[];
    steps?: number;
    mode?: 'slerp' | 'linear';
    classes?: number[];
    truncation?: number;
    loop?: boolean;
  },
): { frames: tf.Tensor; count: number } {
  if (o.seeds.length < 2) throw new Error('interpolate: give at least 2 seeds');
  const steps = o.steps ?? 8;
  const pts = o.loop ? [...o.seeds, o.seeds[0]] : o.seeds;
  const keys = pts.map((s) => latentForSeed(s, g.latentDim, o.truncation ?? 0));
  const zs: Float32Array[] = [];
  for (let k = 0; k + 1 < keys.length; k++) {
    const last = k + 2 === keys.length && !o.loop;
    for (let i = 0; i < steps + (last ? 1 : 0); i++) zs.push(mix(keys[k], keys[k + 1], i / steps, o.mode ?? 'slerp'));
  }
  const z = tf.tensor2d(concat(zs), [zs.length, g.latentDim]);
  let labels: tf.Tensor1D | null = null;
  if (g.numClasses > 0) {
    const c = o.classes?.length ? o.classes : [0];
    labels = tf.tensor1d(
      zs.map((_, i) => c[Math.min(c.length - 1, Math.floor((i / zs.length) * c.length))]),
      'int32',
    );
  }
  try {
    return { frames: runGenerator(g, z, labels), count: zs.length };
  } finally {
    tf.dispose([z, ...(labels ? [labels] : [])]);
  }
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
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

/** Exports the generator of a run/checkpoint (the EMA copy when present) to the TF.js layers format. */
export async function exportFromCheckpoint(
  g: GeneratorHandle,
  dir: string,
  classNames: string[] = [],
): Promise<GeneratorManifest> {
  if (g.source !== 'checkpoint' || !g.trainer) throw new Error(`${g.path} is already an exported generator`);
  const t = g.trainer;
  const shape = t.model.outputShape;
  return exportGenerator(g.network, dir, {
    model: t.model.family,
    latentDim: t.model.latentDim,
    numClasses: t.model.numClasses,
    classNames: classNames.length === t.model.numClasses ? classNames : [],
    valueRange: t.model.valueRange,
    resolution: shape.length === 3 ? shape[0] : 0,
    channels: shape.length === 3 ? shape[2] : shape[0],
    extra: { step: t.step, seed: t.config.seed, ema: Object.keys(t.ema).length > 0, dataset: t.config.data.source },
  });
}

/** What `tsgan info` reports about a run folder, checkpoint file or export. */
export async function describeArtifact(p: string): Promise<Record<string, unknown>> {
  const g = await openGenerator(p);
  try {
    const base: Record<string, unknown> = {
      source: g.source,
      path: g.path,
      model: g.model,
      step: g.step,
      latentDim: g.latentDim,
      numClasses: g.numClasses,
      outputShape: g.outputShape,
      valueRange: g.valueRange,
      generatorSha256: await modelSha256(g.network),
    };
    if (g.trainer) {
      const t = g.trainer;
      const { file, checkpoint } = resolveCheckpointPath(p);
      base.checkpoint = {
        file,
        savedAt: checkpoint.header.savedAt,
        tensors: checkpoint.tensors.length,
        bytes: statSync(file).size,
      };
      base.description = t.model.describe();
      base.optimizers = Object.fromEntries(
        Object.entries(t.optimizers).map(([n, o]) => [n, { t: o.t, lr: o.lr, variables: o.variables.length }]),
      );
      base.ema = Object.keys(t.ema).length ? { networks: Object.keys(t.ema), decay: t.config.ema } : null;
      base.rng = t.rng.getState();
      base.sampler = t.sampler?.getState() ?? checkpoint.header.state.sampler ?? null;
      base.diffAugment = t.diffAugmentPolicies.join(',') || null;
      base.config = t.config;
      base.preset = checkpoint.header.state.preset ?? null;
    } else {
      base.manifest = g.manifest;
    }
    return base;
  } finally {
    g.dispose();
  }
}
