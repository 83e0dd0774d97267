// Drawing images from prompts with a trained text-to-image run (the library behind
// `tsgan generate RUN --prompt "a large blue square" -n 8 -o grid.png`): open the run, encode the
// prompts under the tokenizer's policies (src/text/tokenizer.ts: an empty prompt, a prompt of only
// unknown words and a prompt longer than the encoder reads are errors; unknown words among known
// ones are dropped with a warning that names the closest known word), draw n images per prompt
// (image i of every prompt uses the latent of seed + i, so rows differ by their prompt only), and
// interpolate between two prompts' sentence embeddings (GAN-INT's walk).
import path from 'node:path';

import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

import { modelSha256 } from '../export/generator_io.js';
import { writeGridPng } from '../io/grid.js';
import type { Text2Image } from '../models/text2image.js';
import { resolveCheckpointPath, trainerFromCheckpoint, latentForSeed } from '../train/inference.js';
import type { Trainer } from '../train/trainer.js';

/** A text-to-image run opened for drawing. */
export interface PromptGenerator {
  model: Text2Image;
  /** The generator used (the EMA copy when the run kept one, unless raw weights were asked for). */
  generator: tfl.LayersModel;
  trainer: Trainer;
  step: number;
  dispose(): void;
}

/** Opens a run folder or checkpoint of a text-to-image model (a sentence for any other model). */
export function openPromptGenerator(
  source: string,
  opts: { useEma?: boolean; warn?: (m: string) => void } = {},
): PromptGenerator {
  const { file, checkpoint } = resolveCheckpointPath(source, opts.warn);
  const family = checkpoint.header.model.family;
  if (family !== 'text2image')
    throw new Error(
      `${source} holds a ${family} model, which does not draw from prompts: use tsgan sample${family === 'pix2pix' || family === 'cyclegan' ? ' (or tsgan translate)' : ''}; tsgan generate needs a text2image run (e.g. tsgan train --preset t2i-shapes)`,
    );
  const trainer = trainerFromCheckpoint(checkpoint, file);
  const model = trainer.model as Text2Image;
  const generator = (opts.useEma ?? true) ? trainer.sampleGenerator : model.networks.G!;
  return { model, generator, trainer, step: trainer.step, dispose: () => trainer.dispose() };
}

/** Word ids of prompts under the tokenizer's policies; warns once per unknown word. */
export function encodePromptsChecked(
  model: Text2Image,
  prompts: string[],
  warn: (m: string) => void = () => {},
): tf.Tensor2D {
  if (prompts.length === 0) throw new Error('no prompt given: pass --prompt "a large blue square"');
  const len = model.tokenizer.maxLen;
  const ids = new Int32Array(prompts.length * len);
  prompts.forEach((p, i) => {
    const e = model.tokenizer.encode(p);
    for (const u of e.unknown)
      warn(`'${u.word}' is not a word this model knows (left out of "${p}"); did you mean '${u.closest}'?`);
    ids.set(e.ids, i * len);
  });
  return tf.tensor2d(ids, [prompts.length, len], 'int32');
}

export interface PromptImagesOptions {
  /** Images per prompt (default 8). */
  n?: number;
  /** Image i uses the latent of seed + i (default 0). */
  seed?: number;
  /** Truncation of the latents (0 = off). */
  truncation?: number;
  warn?: (m: string) => void;
}

/** Images [prompts * n, H, W, C] in [-1, 1]: row p holds prompt p's n images. */
export function promptImages(
  model: Text2Image,
  generator: tfl.LayersModel,
  prompts: string[],
  o: PromptImagesOptions = {},
): tf.Tensor4D {
  const n = o.n ?? 8;
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`the number of images per prompt must be a whole number >= 1, got ${n}`);
  const seed = o.seed ?? 0;
  const ids = encodePromptsChecked(model, prompts, o.warn);
  return tf.tidy(() => {
    const zs = new Float32Array(prompts.length * n * model.latentDim);
    for (let p = 0; p < prompts.length; p++)
      for (let i = 0; i < n; i++)
        zs.set(latentForSeed(seed + i, model.latentDim, o.truncation ?? 0), (p * n + i) * model.latentDim);
    const e = tf.gather(
      model.embedText(ids),
      tf.tensor1d(
        Array.from({ length: prompts.length * n }, (_, k) => Math.floor(k / n)),
        'int32',
      ),
    ) as tf.Tensor2D; // [P*n, E]
    const z = tf.tensor2d(zs, [prompts.length * n, model.latentDim]);
    ids.dispose();
    return model.generateFromEmbedding(z, e, { generator });
  });
}

/**
 * A walk from prompt a to prompt b: `steps` images whose sentence embeddings go linearly from a's to
 * b's, all with the latent of `seed` (so only the text changes): [steps, H, W, C].
 */
export function interpolatePrompts(
  model: Text2Image,
  generator: tfl.LayersModel,
  a: string,
  b: string,
  o: { steps?: number; seed?: number; warn?: (m: string) => void } = {},
): tf.Tensor4D {
  const steps = o.steps ?? 8;
  if (!Number.isInteger(steps) || steps < 2) throw new Error(`an interpolation needs at least 2 steps, got ${steps}`);
  const ids = encodePromptsChecked(model, [a, b], o.warn);
  return tf.tidy(() => {
    const e = model.embedText(ids); // [2, E]
    const t = tf.tensor2d(
      Array.from({ length: steps }, (_, i) => i / (steps - 1)),
      [steps, 1],
    ); // [S, 1]
    const ea = tf.slice(e, [0, 0], [1, -1]);
    const eb = tf.slice(e, [1, 0], [1, -1]);
    const walk = tf.add(tf.mul(tf.sub(1, t), ea), tf.mul(t, eb)) as tf.Tensor2D; // [S, E]
    const z = tf.tile(tf.tensor2d(latentForSeed(o.seed ?? 0, model.latentDim), [1, model.latentDim]), [steps, 1]);
    ids.dispose();
    return model.generateFromEmbedding(z as tf.Tensor2D, walk, { generator });
  });
}

export interface GenerateFromPromptsOptions extends PromptImagesOptions {
  /** Output PNG. */
  out: string;
  /** Integer upscaling of each image. */
  scale?: number;
  /** Use the raw generator weights, not the EMA copy. */
  raw?: boolean;
  /** Instead of n images per prompt: a walk of this many steps from the first prompt to the second. */
  interpolateSteps?: number;
}

/** Writes a grid PNG (one row per prompt, or one interpolation row) with provenance; returns what it drew. */
export async function generateFromPrompts(
  source: string,
  prompts: string[],
  o: GenerateFromPromptsOptions,
): Promise<{ images: number; rows: number; file: string }> {
  if (path.extname(o.out).toLowerCase() !== '.png')
    throw new Error(
      `-o ${o.out}: tsgan writes PNG images only (their text chunks carry the synthetic-image label); give a name ending in .png`,
    );
  if (o.interpolateSteps !== undefined && prompts.length !== 2)
    throw new Error(
      `an interpolation walks from one prompt to another: give exactly two prompts, got ${prompts.length}`,
    );
  const g = openPromptGenerator(source, { useEma: !o.raw, warn: o.warn });
  try {
    const images =
      o.interpolateSteps !== undefined
        ? interpolatePrompts(g.model, g.generator, prompts[0]!, prompts[1]!, {
            steps: o.interpolateSteps,
            seed: o.seed,
            warn: o.warn,
          })
        : promptImages(g.model, g.generator, prompts, o);
    const cols = o.interpolateSteps ?? o.n ?? 8;
    try {
      await writeGridPng(
        o.out,
        images,
        {
          model: 'text2image',
          modelSha256: await modelSha256(g.generator),
          seed: o.seed ?? 0,
          step: g.step,
          kind:
            o.interpolateSteps !== undefined
              ? 'interpolation between two prompts'
              : 'images from prompts (one row per prompt)',
          extra: { prompts: prompts.join(' | ') },
        },
        { cols, scale: o.scale ?? 1 },
      );
      return { images: images.shape[0], rows: Math.ceil(images.shape[0] / cols), file: o.out };
    } finally {
      images.dispose();
    }
  } finally {
    g.dispose();
  }
}
