// Knowledge distillation of a trained generator into a narrower one of the same family (the student):
// on fresh latents z (and labels), the student G_s is trained to reproduce the teacher's output,
//   loss = |G_s(z) - G_t(z)|  (L1, or the squared error with --loss l2)
//        + featureWeight * mean((phi(G_s(z)) - phi(G_t(z)))^2)
// where phi is the teacher discriminator's last hidden features (feature matching as in Salimans
// et al. 2016, "Improved Techniques for Training GANs", here against the teacher's outputs). This is
// the output-matching distillation of Aguinaldo et al. 2019, "Compressing GANs using Knowledge
// Distillation" (arXiv:1902.00159), whose students are the teacher's DCGAN with fewer channels.
// The teacher is the run's sampling generator (the EMA copy when kept), in inference mode.
// The result is a run folder like any other (checkpoints/, config.json, metrics.jsonl, distill.json),
// written in a temporary folder and moved into place when complete: sample, export, eval and info
// read it. Its D is the teacher's, copied.
import { existsSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { z } from 'zod';

import { ensureFolder, writeFileAtomic } from '../io/files.js';
import { createModel } from '../models/index.js';
import { checkpointName, writeCheckpointFile } from './checkpoint.js';
import { parseConfig } from './config.js';
import { resolveCheckpointPath, trainerFromCheckpoint } from './inference.js';
import { Rng } from './rng.js';
import { prepareNewRunFolder } from './run_folder.js';
import { Trainer } from './trainer.js';

/** The families distillation narrows, and the option that sets their generator's width. */
export const DISTILL_WIDTH_OPTION: Record<string, string> = { dcgan: 'widthG', cgan: 'widthG', vanilla: 'hidden' };

export const DistillOptionsSchema = z.strictObject({
  /** The student generator's width (dcgan/cgan: widthG, the channels of its last hidden layer; vanilla: hidden units). */
  width: z.number().int().min(1),
  /** Distillation steps. */
  steps: z.number().int().min(1).default(3000),
  /** Latents per step. */
  batchSize: z.number().int().min(1).default(64),
  /** Adam learning rate (beta1 0.5, beta2 0.999). */
  lr: z.number().positive().default(1e-3),
  /** Output loss: 'l1' (mean absolute error) or 'l2' (mean squared error). */
  loss: z.enum(['l1', 'l2']).default('l1'),
  /** Weight of matching the teacher D's last hidden features (0 = off). */
  featureWeight: z.number().min(0).default(0),
  /** Seed of the latents and of the student's initial weights. */
  seed: z.number().int().default(0),
  /** Log the loss every this many steps (metrics.jsonl). */
  logEvery: z.number().int().min(1).default(100),
});
export type DistillOptions = z.infer<typeof DistillOptionsSchema>;

export interface DistillResult {
  runDir: string;
  step: number;
  /** The last logged loss (output term, feature term). */
  loss: number;
  featureLoss: number;
  teacherParams: number;
  studentParams: number;
}

/** The teacher D's features feeding its (first) logit: a model from D's inputs to them. */
function featureModel(d: tfl.LayersModel): tfl.LayersModel {
  let out = d.outputLayers[0]!;
  const inbound = (l: tfl.layers.Layer) =>
    (l as unknown as { inboundNodes: { inboundLayers: tfl.layers.Layer[] }[] }).inboundNodes[0]!.inboundLayers;
  if (out.getClassName() === 'Add') out = inbound(out)[0]!; // projection discriminator: logit + projection
  const phi = inbound(out)[0]!;
  return tfl.model({ inputs: d.inputs, outputs: phi.output as tfl.SymbolicTensor });
}

/**
 * Distills the generator of the run (or checkpoint) at `source` into a narrower one written as a new
 * run in `runDir`. `onStep(step, steps, loss)` reports progress.
 */
export async function distill(
  source: string,
  runDir: string,
  input: Partial<DistillOptions> & { width: number },
  hooks: {
    onStep?: (step: number, steps: number, loss: number) => void;
    overwrite?: boolean;
    warn?: (m: string) => void;
  } = {},
): Promise<DistillResult> {
  const parsed = DistillOptionsSchema.safeParse(input);
  if (!parsed.success)
    throw new Error(
      `distill: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ')}`,
    );
  const o = parsed.data;
  const abs = path.resolve(source);
  if (!existsSync(abs)) throw new Error(`${source}: no such run folder or checkpoint file`);
  if (existsSync(path.join(abs, 'manifest.json')))
    throw new Error(`${source} is an exported generator, not a run: distill from the run folder or a checkpoint file`);
  let ck: ReturnType<typeof resolveCheckpointPath>;
  try {
    ck = resolveCheckpointPath(abs, hooks.warn);
  } catch (e) {
    if (/^no checkpoint in /.test((e as Error).message))
      throw new Error(`${source} holds no checkpoint: it has no trained generator to distill yet (train it first)`);
    throw e;
  }
  const family = ck.checkpoint.header.model.family;
  const widthKey = DISTILL_WIDTH_OPTION[family];
  if (!widthKey)
    throw new Error(
      `distill narrows the generators of ${Object.keys(DISTILL_WIDTH_OPTION).join(', ')} runs; ${source} holds a ${family} model`,
    );
  if (path.resolve(runDir) === abs) throw new Error('distill: the student run folder must differ from the teacher run');
  prepareNewRunFolder(runDir, hooks.overwrite ?? false);

  const teacher = trainerFromCheckpoint(ck.checkpoint, ck.file);
  const tm = teacher.model;
  const teacherG = teacher.sampleGenerator;
  const teacherWidth = tm.options[widthKey] as number;
  if (o.width >= teacherWidth)
    hooks.warn?.(`the student's width ${o.width} is not narrower than the teacher's ${teacherWidth}`);
  if (o.featureWeight > 0 && family === 'vanilla')
    throw new Error("feature matching needs the teacher's D with the student: vanilla's width is shared by G and D");

  const options = { ...tm.options, [widthKey]: o.width };
  const config = parseConfig({
    ...teacher.config,
    model: { ...teacher.config.model, ...options, family },
    seed: o.seed,
    ema: 0,
    steps: o.steps,
    batchSize: o.batchSize,
  });
  const student = createModel(family, options);
  const trainer = new Trainer({ config, dataset: null, model: student });
  const G = student.networks[student.generatorName]!;
  if (family !== 'vanilla') {
    // The teacher's D (same options, untouched by the width), so the student run keeps a trained D.
    student.networks.D!.setWeights(tm.networks.D!.getWeights());
  }
  const phi = o.featureWeight > 0 ? featureModel(tm.networks.D!) : null;
  const vars = G.trainableWeights.map((w) => w.read() as tf.Variable);
  const opt = tf.train.adam(o.lr, 0.5, 0.999);
  const rng = new Rng(o.seed);
  // Everything is written into a temporary folder beside runDir and moved in at the end: an
  // interrupted or failed distillation leaves no half-written run.
  const work = `${path.resolve(runDir)}.tmp-${process.pid}-${Date.now()}`;
  const metrics = path.join(work, 'metrics.jsonl');
  ensureFolder(work);
  writeFileSync(metrics, '');
  let last = { loss: Number.NaN, feature: 0 };
  const labelsOf = (n: number) => Float32Array.from({ length: n }, () => rng.int(tm.numClasses));
  try {
    for (let step = 1; step <= o.steps; step++) {
      const zs = rng.normals(o.batchSize * tm.latentDim);
      const labels = tm.numClasses > 0 ? labelsOf(o.batchSize) : null;
      const { value, grads, feature } = tf.tidy(() => {
        const zt = tf.tensor2d(zs, [o.batchSize, tm.latentDim]); // [B, Z]
        const lt = labels ? tf.tensor2d(labels, [o.batchSize, 1]) : null; // [B, 1]
        const inputs = lt ? [zt, lt] : zt;
        const target = teacherG.predict(inputs) as tf.Tensor; // [B, ...outputShape]
        const targetPhi = phi ? (phi.predict(lt ? [target, lt] : target) as tf.Tensor) : null; // [B, F]
        let featureTerm: tf.Scalar = tf.scalar(0);
        const r = tf.variableGrads(() => {
          const y = G.apply(inputs, { training: true }) as tf.Tensor; // [B, ...outputShape]
          const diff = tf.sub(y, target);
          let loss = (o.loss === 'l1' ? tf.mean(tf.abs(diff)) : tf.mean(tf.square(diff))) as tf.Scalar;
          if (phi && targetPhi) {
            const f = phi.apply(lt ? [y, lt] : y, { training: false }) as tf.Tensor; // [B, F]
            featureTerm = tf.keep(tf.mean(tf.square(tf.sub(f, targetPhi))) as tf.Scalar);
            loss = tf.add(loss, tf.mul(featureTerm, o.featureWeight)) as tf.Scalar;
          }
          return loss;
        }, vars);
        return { value: r.value, grads: r.grads, feature: featureTerm };
      });
      opt.applyGradients(grads as unknown as Parameters<typeof opt.applyGradients>[0]);
      if (step % o.logEvery === 0 || step === o.steps) {
        last = { loss: (await value.data())[0]!, feature: (await feature.data())[0]! };
        const rec = { step, distillLoss: last.loss, ...(phi ? { featureLoss: last.feature } : {}) };
        writeFileSync(metrics, `${JSON.stringify(rec)}\n`, { flag: 'a' });
        hooks.onStep?.(step, o.steps, last.loss);
      }
      tf.dispose([value, feature, ...Object.values(grads)]);
    }
    trainer.step = o.steps;
    writeFileAtomic(path.join(work, 'config.json'), Buffer.from(`${JSON.stringify(config, null, 2)}\n`));
    const info = {
      teacher: {
        source: ck.file,
        family,
        step: teacher.step,
        [widthKey]: teacherWidth,
        params: teacherG.countParams(),
      },
      student: { [widthKey]: o.width, params: G.countParams() },
      options: o,
      final: { loss: last.loss, ...(phi ? { featureLoss: last.feature } : {}) },
      paper: 'Aguinaldo et al. 2019, Compressing GANs using Knowledge Distillation',
    };
    writeFileAtomic(path.join(work, 'distill.json'), Buffer.from(`${JSON.stringify(info, null, 2)}\n`));
    writeCheckpointFile(
      path.join(work, 'checkpoints', checkpointName(o.steps)),
      trainer.toCheckpoint({ preset: null, distilledFrom: ck.file }),
    );
    moveRunInto(work, runDir);
    return {
      runDir,
      step: o.steps,
      loss: last.loss,
      featureLoss: last.feature,
      teacherParams: teacherG.countParams(),
      studentParams: G.countParams(),
    };
  } catch (e) {
    rmSync(work, { recursive: true, force: true });
    throw e;
  } finally {
    opt.dispose();
    trainer.dispose();
    teacher.dispose();
  }
}

/** Moves a finished run's files from `work` into `runDir` (emptied of any previous run by prepareNewRunFolder). */
function moveRunInto(work: string, runDir: string): void {
  ensureFolder(path.join(runDir, 'checkpoints'));
  for (const f of readdirSync(path.join(work, 'checkpoints')))
    renameSync(path.join(work, 'checkpoints', f), path.join(runDir, 'checkpoints', f));
  for (const f of ['config.json', 'distill.json', 'metrics.jsonl'])
    renameSync(path.join(work, f), path.join(runDir, f));
  rmSync(work, { recursive: true, force: true });
}
