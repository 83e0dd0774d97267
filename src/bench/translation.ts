import os from 'node:os';

import * as tf from '@tensorflow/tfjs-core';

import type { FieldDataset } from '../data/fields.js';
import { CycleGAN } from '../models/cyclegan.js';
import { Pix2Pix } from '../models/pix2pix.js';
import type { GANModel } from '../models/types.js';
import { parseConfig } from '../train/config.js';
import { Trainer } from '../train/trainer.js';
import { type PeerStep, runTorchPeer, type StepComparison, stepComparison, timeSteps } from './peer.js';

export interface TranslationBenchOptions {
  model: 'pix2pix' | 'cyclegan'; // which model's step
  size?: number; // image side (default 64)
  batch?: number; // images per step (default 4)
  steps?: number; // timed steps (default 10)
  warmup?: number; // untimed steps first (default 2)
  width?: number; // ngf = ndf (default 64, the reference)
  blocks?: number; // CycleGAN's residual blocks (default 6)
  peer?: boolean; // run the PyTorch peer when torch imports (default true)
  threads?: number; // the peer's threads (default: the core count)
  peerGrouped?: boolean; // CycleGAN: the peer makes tsgan's three generator calls, not the reference's six
}

export interface TranslationBenchResult extends StepComparison<PeerStep> {
  bench: 'translation';
  model: string;
  backend: string;
  size: number;
  batch: number;
  steps: number;
  params: number;
}

/** Random paired / unpaired images of the right shape: the step's cost does not depend on the pixels. */
function randomFields(model: 'pix2pix' | 'cyclegan', n: number, size: number): FieldDataset {
  const img = (seed: number) => tf.tidy(() => tf.randomUniform([n, size, size, 3], -1, 1, 'float32', seed).dataSync());
  const names = model === 'pix2pix' ? ['input', 'target'] : ['A', 'B'];
  return {
    kind: 'fields',
    name: 'bench',
    paired: model === 'pix2pix',
    fields: Object.fromEntries(
      names.map((k, i) => [k, { shape: [size, size, 3], n, data: img(i + 1) as Float32Array }]),
    ),
  };
}

function runPeer(
  o: Required<Omit<TranslationBenchOptions, 'peer' | 'peerGrouped'>>,
  grouped: boolean,
): {
  result: TranslationBenchResult['peer'];
  error?: string;
} {
  const args = ['--model', o.model, '--size', o.size, '--batch', o.batch, '--steps', o.steps, '--warmup', o.warmup];
  args.push('--width', o.width, '--blocks', o.blocks, '--threads', o.threads);
  if (grouped) args.push('--grouped');
  return runTorchPeer<NonNullable<TranslationBenchResult['peer']>>('torch_translation.py', args, o.threads);
}

/** Builds the benchmarked model (reference widths unless told otherwise). */
export function translationBenchModel(o: {
  model: 'pix2pix' | 'cyclegan';
  size: number;
  width: number;
  blocks: number;
}): GANModel {
  return o.model === 'pix2pix'
    ? new Pix2Pix({ resolution: o.size, widthG: o.width, widthD: o.width })
    : new CycleGAN({ resolution: o.size, widthG: o.width, widthD: o.width, blocks: o.blocks });
}

export async function benchTranslation(opts: TranslationBenchOptions): Promise<TranslationBenchResult> {
  const o = {
    model: opts.model,
    size: opts.size ?? 64,
    batch: opts.batch ?? 4,
    steps: opts.steps ?? 10,
    warmup: opts.warmup ?? 2,
    width: opts.width ?? 64,
    blocks: opts.blocks ?? 6,
    threads: opts.threads ?? os.cpus().length,
  };
  if (o.model !== 'pix2pix' && o.model !== 'cyclegan')
    throw new Error(`bench translation: --model must be pix2pix or cyclegan, got '${String(o.model)}'`);
  if (opts.peerGrouped && o.model !== 'cyclegan')
    throw new Error('bench translation: --peer-grouped is for --model cyclegan (pix2pix has one generator call)');
  for (const k of ['size', 'batch', 'steps', 'width', 'blocks', 'threads'] as const)
    if (!Number.isInteger(o[k]) || o[k] < (k === 'blocks' ? 0 : 1))
      throw new Error(`bench translation: --${k} must be a positive whole number, got ${o[k]}`);
  const model = translationBenchModel(o);
  const trainer = new Trainer({
    config: parseConfig({ batchSize: o.batch, seed: 1, lr: 2e-4, beta1: 0.5, ema: 0 }),
    dataset: randomFields(o.model, Math.max(8, o.batch * 2), o.size),
    model,
  });
  // Trainable parameters (the dropout layers' [seed, calls] state is not a parameter).
  const params = Object.values(model.networks).reduce(
    (s, n) => s + n.trainableWeights.reduce((t, w) => t + w.shape.reduce((a, b) => (a ?? 1) * (b ?? 1), 1)!, 0),
    0,
  );
  const { ms, cpuMs } = timeSteps(() => trainer.trainStep(), o.steps, o.warmup);
  trainer.dispose();
  const peer = opts.peer === false ? { result: null, error: 'not requested' } : runPeer(o, opts.peerGrouped === true);
  return {
    bench: 'translation',
    model: o.model,
    backend: tf.getBackend(),
    size: o.size,
    batch: o.batch,
    steps: o.steps,
    params,
    ...stepComparison({ ms, cpuMs }, o.batch, peer),
  };
}

export function formatTranslationBench(r: TranslationBenchResult): string {
  const lines = [
    `${r.model} ${r.size}x${r.size}, batch ${r.batch}, ${r.steps} steps on ${r.backend} (${r.machine.cpus} x ${r.machine.cpu_model})`,
    `  tsgan: ${r.train_ms_per_step} ms/step (${r.train_img_per_s} img/s; CPU ${r.train_cpu_ms_per_step} ms/step), ${r.params} parameters`,
  ];
  if (r.peer)
    lines.push(
      `  torch ${r.peer.version} (${r.peer.threads} threads): ${r.peer.train_ms_per_step} ms/step (CPU ${r.peer.train_cpu_ms_per_step ?? '?'} ms/step), ${r.peer.params} parameters`,
      `  ratio (torch ms / tsgan ms): ${r.ratio}x; CPU time: ${r.cpu_ratio ?? '?'}x`,
    );
  else lines.push(`  peer: not run (${r.peer_error})`);
  return lines.join('\n');
}
