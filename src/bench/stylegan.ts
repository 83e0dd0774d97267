import os from 'node:os';

import * as tf from '@tensorflow/tfjs-core';

import type { ImageDataset } from '../data/types.js';
import { StyleGAN2 } from '../models/stylegan2.js';
import { parseConfig } from '../train/config.js';
import { Trainer } from '../train/trainer.js';
import { type PeerStep, runTorchPeer, type StepComparison, stepComparison, timeSteps } from './peer.js';

export interface StyleganBenchOptions {
  size?: number; // image side (default 32)
  channels?: number; // default 1
  batch?: number; // default 16
  steps?: number; // timed steps a round (default 30)
  warmup?: number; // untimed steps first, on both sides (default 50: tsgan's step settles after ~50)
  rounds?: number; // tsgan then the peer, this many times; the result is the median round (default 1)
  channelBase?: number; // default 512 (stylegan-fmnist32's)
  channelMax?: number; // default 64
  zDim?: number; // z and w size (default 64)
  peer?: boolean; // run the PyTorch peer when torch imports (default true)
  threads?: number; // the peer's threads (default: the core count)
}

/** One round: tsgan's timed steps, then the peer's. */
export interface StyleganRound {
  train_ms_per_step: number;
  peer_ms_per_step: number | null;
  ratio: number | null;
}

export interface StyleganBenchResult extends StepComparison<PeerStep & { train_cpu_ms_per_step: number }> {
  bench: 'stylegan';
  backend: string;
  size: number;
  batch: number;
  steps: number;
  warmup: number;
  params: number;
  /** Every round in order (the fields above are those of the round with the median ratio). */
  rounds: StyleganRound[];
}

function runPeer(o: Required<Omit<StyleganBenchOptions, 'peer'>>): {
  result: StyleganBenchResult['peer'];
  error?: string;
} {
  const args = [
    '--size',
    o.size,
    '--channels',
    o.channels,
    '--batch',
    o.batch,
    '--steps',
    o.steps,
    '--warmup',
    o.warmup,
  ];
  args.push('--zdim', o.zDim, '--wdim', o.zDim, '--channel-base', o.channelBase, '--channel-max', o.channelMax);
  args.push('--threads', o.threads);
  return runTorchPeer<NonNullable<StyleganBenchResult['peer']>>('torch_stylegan.py', args, o.threads);
}

/** Times a StyleGAN2 training step (D + G) against the PyTorch peer. */
export async function benchStylegan(opts: StyleganBenchOptions = {}): Promise<StyleganBenchResult> {
  const o = {
    size: opts.size ?? 32,
    channels: opts.channels ?? 1,
    batch: opts.batch ?? 16,
    steps: opts.steps ?? 30,
    warmup: opts.warmup ?? 50,
    rounds: opts.rounds ?? 1,
    channelBase: opts.channelBase ?? 512,
    channelMax: opts.channelMax ?? 64,
    zDim: opts.zDim ?? 64,
    threads: opts.threads ?? os.cpus().length,
  };
  for (const [k, v] of Object.entries(o))
    if (!Number.isInteger(v) || v < (k === 'warmup' ? 0 : 1))
      throw new Error(`bench stylegan: --${k} must be a positive whole number, got ${v}`);
  const model = new StyleGAN2({
    resolution: o.size,
    channels: o.channels,
    latentDim: o.zDim,
    wDim: o.zDim,
    channelBase: o.channelBase,
    channelMax: o.channelMax,
  });
  const n = o.batch * 4;
  const images = tf.tidy(() => tf.randomUniform([n, o.size, o.size, o.channels], -1, 1, 'float32', 1).dataSync());
  const ds: ImageDataset = {
    kind: 'image',
    name: 'bench',
    n,
    height: o.size,
    width: o.size,
    channels: o.channels,
    images: images as Float32Array,
    labels: null,
    numClasses: 0,
    classNames: [],
  };
  const trainer = new Trainer({
    config: parseConfig({
      model: { family: 'stylegan2' },
      batchSize: o.batch,
      seed: 1,
      lr: 0.0025,
      beta1: 0,
      beta2: 0.99,
    }),
    dataset: ds,
    model,
  });
  const params = Object.values(model.networks).reduce(
    (s, net) => s + net.trainableWeights.reduce((t, w) => t + w.shape.reduce((a, b) => (a ?? 1) * (b ?? 1), 1)!, 0),
    0,
  );
  // Each round warms up before its timed steps, on both sides: the peer is a new process each round,
  // and tsgan's process, idle while the peer ran, has given memory back (V8 shrinks its heap when
  // idle) and faults it in again over its next steps.
  const rounds: StepComparison<NonNullable<StyleganBenchResult['peer']>>[] = [];
  for (let r = 0; r < o.rounds; r++) {
    const t = timeSteps(() => trainer.trainStep(), o.steps, o.warmup);
    const peer = opts.peer === false ? { result: null, error: 'not requested' } : runPeer(o);
    rounds.push(stepComparison(t, o.batch, peer));
  }
  trainer.dispose();
  // By ratio; without a peer (no ratios) by tsgan's time, so the median round is one either way.
  const byRatio = [...rounds].sort(
    (a, b) => (a.ratio ?? 0) - (b.ratio ?? 0) || a.train_ms_per_step - b.train_ms_per_step,
  );
  const median = byRatio[(byRatio.length - 1) >> 1]!;
  return {
    bench: 'stylegan',
    backend: tf.getBackend(),
    size: o.size,
    batch: o.batch,
    steps: o.steps,
    warmup: o.warmup,
    params,
    ...median,
    rounds: rounds.map((c) => ({
      train_ms_per_step: c.train_ms_per_step,
      peer_ms_per_step: c.peer?.train_ms_per_step ?? null,
      ratio: c.ratio,
    })),
  };
}

export function formatStyleganBench(r: StyleganBenchResult): string {
  const lines = [
    `StyleGAN2 step (D + G) ${r.size}x${r.size}, batch ${r.batch}, ${r.steps} steps after ${r.warmup} untimed on ${r.backend} (${r.machine.cpus} x ${r.machine.cpu_model}, load ${r.machine.load})`,
    `  tsgan: ${r.train_ms_per_step} ms/step (${r.train_img_per_s} img/s; CPU ${r.train_cpu_ms_per_step} ms/step), ${r.params} parameters`,
  ];
  if (r.peer)
    lines.push(
      `  torch ${r.peer.version} (${r.peer.threads} threads): ${r.peer.train_ms_per_step} ms/step (CPU ${r.peer.train_cpu_ms_per_step} ms/step), ${r.peer.params} parameters`,
      `  ratio (torch ms / tsgan ms): ${r.ratio}x; CPU time: ${r.cpu_ratio}x`,
    );
  else lines.push(`  peer: not run (${r.peer_error})`);
  if (r.rounds.length > 1) {
    const each = r.rounds.map((x) => `${x.train_ms_per_step}/${x.peer_ms_per_step ?? '-'} ms (${x.ratio ?? '-'}x)`);
    lines.push(`  ${r.rounds.length} rounds, tsgan/torch: ${each.join(', ')}; the lines above are the median round`);
  }
  return lines.join('\n');
}
