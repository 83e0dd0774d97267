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
  steps?: number; // timed steps (default 10)
  warmup?: number; // default 2
  channelBase?: number; // default 512 (stylegan-fmnist32's)
  channelMax?: number; // default 64
  zDim?: number; // z and w size (default 64)
  peer?: boolean; // run the PyTorch peer when torch imports (default true)
  threads?: number; // the peer's threads (default: the core count)
}

export interface StyleganBenchResult extends StepComparison<PeerStep & { train_cpu_ms_per_step: number }> {
  bench: 'stylegan';
  backend: string;
  size: number;
  batch: number;
  steps: number;
  params: number;
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
    steps: opts.steps ?? 10,
    warmup: opts.warmup ?? 2,
    channelBase: opts.channelBase ?? 512,
    channelMax: opts.channelMax ?? 64,
    zDim: opts.zDim ?? 64,
    threads: opts.threads ?? os.cpus().length,
  };
  for (const [k, v] of Object.entries(o))
    if (!Number.isInteger(v) || v < 1)
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
  const { ms, cpuMs } = timeSteps(() => trainer.trainStep(), o.steps, o.warmup);
  trainer.dispose();
  const peer = opts.peer === false ? { result: null, error: 'not requested' } : runPeer(o);
  return {
    bench: 'stylegan',
    backend: tf.getBackend(),
    size: o.size,
    batch: o.batch,
    steps: o.steps,
    params,
    ...stepComparison({ ms, cpuMs }, o.batch, peer),
  };
}

export function formatStyleganBench(r: StyleganBenchResult): string {
  const lines = [
    `StyleGAN2 step (D + G) ${r.size}x${r.size}, batch ${r.batch}, ${r.steps} steps on ${r.backend} (${r.machine.cpus} x ${r.machine.cpu_model}, load ${r.machine.load})`,
    `  tsgan: ${r.train_ms_per_step} ms/step (${r.train_img_per_s} img/s; CPU ${r.train_cpu_ms_per_step} ms/step), ${r.params} parameters`,
  ];
  if (r.peer)
    lines.push(
      `  torch ${r.peer.version} (${r.peer.threads} threads): ${r.peer.train_ms_per_step} ms/step (CPU ${r.peer.train_cpu_ms_per_step} ms/step), ${r.peer.params} parameters`,
      `  ratio (torch ms / tsgan ms): ${r.ratio}x; CPU time: ${r.cpu_ratio}x`,
    );
  else lines.push(`  peer: not run (${r.peer_error})`);
  return lines.join('\n');
}
