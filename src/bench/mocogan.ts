import os from 'node:os';

import * as tf from '@tensorflow/tfjs-core';

import type { FieldDataset } from '../data/fields.js';
import { MoCoGAN } from '../models/mocogan.js';
import { parseConfig } from '../train/config.js';
import { Trainer } from '../train/trainer.js';
import { type PeerStep, runTorchPeer, type StepComparison, stepComparison, timeSteps } from './peer.js';

export interface MocoganBenchOptions {
  size?: number; // frame side, 32 or 64 (default 32)
  channels?: number; // frame channels (default 3)
  frames?: number; // frames per clip (default 16)
  batch?: number; // clips per step (default 16)
  steps?: number; // timed steps (default 5)
  warmup?: number; // untimed steps first (default 1)
  width?: number; // widths of G, D_I and D_V (default 32, the presets')
  peer?: boolean; // run the PyTorch peer when torch imports (default true)
  threads?: number; // the peer's threads (default: the core count)
  peerConv?: 'best' | '2d' | '3d'; // the peer's (2+1)-D convolutions: both timed, the faster kept (default), or one
}

export interface MocoganBenchResult
  extends StepComparison<PeerStep & { conv: string; ms_2d?: number; ms_3d?: number }> {
  bench: 'mocogan';
  backend: string;
  size: number;
  channels: number;
  frames: number;
  batch: number;
  steps: number;
  params: number;
}

function runPeer(o: Required<Omit<MocoganBenchOptions, 'peer'>>): {
  result: MocoganBenchResult['peer'];
  error?: string;
} {
  const args = ['--size', o.size, '--channels', o.channels, '--frames', o.frames, '--batch', o.batch];
  args.push('--steps', o.steps, '--warmup', o.warmup, '--width', o.width, '--threads', o.threads, '--conv', o.peerConv);
  return runTorchPeer<NonNullable<MocoganBenchResult['peer']>>('torch_mocogan.py', args, o.threads);
}

export async function benchMocogan(opts: MocoganBenchOptions = {}): Promise<MocoganBenchResult> {
  const o = {
    size: opts.size ?? 32,
    channels: opts.channels ?? 3,
    frames: opts.frames ?? 16,
    batch: opts.batch ?? 16,
    steps: opts.steps ?? 5,
    warmup: opts.warmup ?? 1,
    width: opts.width ?? 32,
    threads: opts.threads ?? os.cpus().length,
    peerConv: opts.peerConv ?? 'best',
  };
  if (!['best', '2d', '3d'].includes(o.peerConv))
    throw new Error(`bench mocogan: --peer-conv must be best, 2d or 3d, got '${o.peerConv}'`);
  for (const k of ['size', 'channels', 'frames', 'batch', 'steps', 'width', 'threads'] as const)
    if (!Number.isInteger(o[k]) || o[k] < 1)
      throw new Error(`bench mocogan: --${k} must be a positive whole number, got ${o[k]}`);
  if (o.size !== 32 && o.size !== 64) throw new Error(`bench mocogan: --size must be 32 or 64, got ${o.size}`);
  const model = new MoCoGAN({
    resolution: o.size,
    channels: o.channels,
    frames: o.frames,
    widthG: o.width,
    widthDI: o.width,
    widthDV: o.width,
  });
  // Random clips of the right shape: the step's cost does not depend on the pixels.
  const n = Math.max(2 * o.batch, 8);
  const shape = [o.frames, o.size, o.size, o.channels];
  const data = tf.tidy(() => tf.randomUniform([n, ...shape], -1, 1, 'float32', 1).dataSync()) as Float32Array;
  const ds: FieldDataset = { kind: 'fields', name: 'bench', paired: true, fields: { clip: { shape, n, data } } };
  const trainer = new Trainer({
    config: parseConfig({ model: { family: 'mocogan' }, batchSize: o.batch, seed: 1, lr: 2e-4, beta1: 0.5, ema: 0 }),
    dataset: ds,
    model,
  });
  const params = Object.values(model.networks).reduce(
    (s, net) => s + net.trainableWeights.reduce((t, w) => t + w.shape.reduce((a, b) => (a ?? 1) * (b ?? 1), 1)!, 0),
    0,
  );
  const timing = timeSteps(() => trainer.trainStep(), o.steps, o.warmup);
  trainer.dispose();
  const peer = opts.peer === false ? { result: null, error: 'not requested' } : runPeer(o);
  return {
    bench: 'mocogan',
    backend: tf.getBackend(),
    size: o.size,
    channels: o.channels,
    frames: o.frames,
    batch: o.batch,
    steps: o.steps,
    params,
    ...stepComparison(timing, o.batch, peer),
  };
}

export function formatMocoganBench(r: MocoganBenchResult): string {
  const lines = [
    `mocogan step: ${r.batch} clips of ${r.frames} frames at ${r.size}x${r.size}x${r.channels}, ${r.steps} steps on ${r.backend} (${r.machine.cpus} x ${r.machine.cpu_model}, load ${r.machine.load})`,
    `  tsgan: ${r.train_ms_per_step} ms/step (CPU ${r.train_cpu_ms_per_step} ms/step), ${r.params} parameters`,
  ];
  if (r.peer)
    lines.push(
      `  torch ${r.peer.version} (${r.peer.threads} threads, (2+1)-D as ${r.peer.conv}; 2d ${r.peer.ms_2d ?? '-'} ms, 3d ${r.peer.ms_3d ?? '-'} ms): ${r.peer.train_ms_per_step} ms/step, ${r.peer.params} parameters`,
      `  ratio (torch ms / tsgan ms): ${r.ratio}x`,
    );
  else lines.push(`  peer: not run (${r.peer_error})`);
  return lines.join('\n');
}
