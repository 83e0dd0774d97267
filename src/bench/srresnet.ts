import os from 'node:os';

import * as tf from '@tensorflow/tfjs-core';

import { srPairs } from '../data/super_resolution.js';
import { SRGAN } from '../models/srgan.js';
import { parseConfig } from '../train/config.js';
import { Trainer } from '../train/trainer.js';
import { type PeerStep, runTorchPeer, type StepComparison, stepComparison, timeSteps } from './peer.js';

export interface SRResNetBenchOptions {
  size?: number; // output side (default 64)
  scale?: 2 | 4; // default 4
  batch?: number; // default 16
  blocks?: number; // default 16
  width?: number; // default 64
  steps?: number; // timed steps (default 10)
  warmup?: number; // untimed steps (default 2)
  peer?: boolean; // run the PyTorch peer (default true)
  threads?: number; // the peer's threads (default: the core count)
}

export interface SRResNetBenchResult extends StepComparison<PeerStep & { train_cpu_ms_per_step: number }> {
  bench: 'srresnet';
  backend: string;
  size: number;
  scale: number;
  batch: number;
  blocks: number;
  width: number;
  steps: number;
  params: number;
  /** Kernel calls per step that the native kernels handed to tfjs cpu, by kernel (empty: none). */
  fallback_calls_per_step: Record<string, number>;
}

function runPeer(o: Required<Omit<SRResNetBenchOptions, 'peer'>>): {
  result: SRResNetBenchResult['peer'];
  error?: string;
} {
  const args = ['--size', o.size, '--scale', o.scale, '--batch', o.batch, '--blocks', o.blocks, '--width', o.width];
  args.push('--steps', o.steps, '--warmup', o.warmup, '--threads', o.threads);
  return runTorchPeer<NonNullable<SRResNetBenchResult['peer']>>('torch_srresnet.py', args, o.threads);
}

export async function benchSRResNet(opts: SRResNetBenchOptions = {}): Promise<SRResNetBenchResult> {
  const o = {
    size: opts.size ?? 64,
    scale: opts.scale ?? 4,
    batch: opts.batch ?? 16,
    blocks: opts.blocks ?? 16,
    width: opts.width ?? 64,
    steps: opts.steps ?? 10,
    warmup: opts.warmup ?? 2,
    threads: opts.threads ?? os.cpus().length,
  };
  for (const k of ['size', 'batch', 'blocks', 'width', 'steps', 'threads'] as const)
    if (!Number.isInteger(o[k]) || o[k] < 1)
      throw new Error(`bench srresnet: --${k} must be a positive whole number, got ${o[k]}`);
  if (o.scale !== 2 && o.scale !== 4) throw new Error(`bench srresnet: --scale must be 2 or 4, got ${o.scale}`);
  if (o.size % o.scale !== 0)
    throw new Error(`bench srresnet: --size ${o.size} is not a multiple of --scale ${o.scale}`);
  const n = Math.max(16, o.batch * 2);
  const hr = tf.tidy(() => tf.randomUniform([n, o.size, o.size, 3], -1, 1, 'float32', 1).dataSync() as Float32Array);
  const model = new SRGAN({
    scale: o.scale,
    inputSize: o.size / o.scale,
    channels: 3,
    blocks: o.blocks,
    width: o.width,
    adversarial: false,
  });
  const trainer = new Trainer({
    config: parseConfig({ batchSize: o.batch, seed: 1, lr: 5e-4, beta1: 0.9, ema: 0 }),
    dataset: srPairs(hr, n, o.size, 3, o.scale, 'bench'),
    model,
  });
  const params = model.networks.G!.countParams();
  for (let i = 0; i < o.warmup; i++) trainer.trainStep();
  const backend = tf.backend() as unknown as { countFallbacks?: (on: boolean) => Map<string, number> };
  backend.countFallbacks?.(true);
  const { ms, cpuMs } = timeSteps(() => trainer.trainStep(), o.steps, 0);
  const fallbacks = backend.countFallbacks?.(false) ?? new Map<string, number>();
  trainer.dispose();
  const peer = opts.peer === false ? { result: null, error: 'not requested' } : runPeer(o);
  return {
    bench: 'srresnet',
    backend: tf.getBackend(),
    ...o,
    params,
    fallback_calls_per_step: Object.fromEntries([...fallbacks].map(([k, v]) => [k, v / o.steps])),
    ...stepComparison({ ms, cpuMs }, o.batch, peer),
  };
}

export function formatSRResNetBench(r: SRResNetBenchResult): string {
  const fb = Object.entries(r.fallback_calls_per_step);
  const lines = [
    `SRResNet x${r.scale} (${r.blocks} blocks, ${r.width} channels), ${r.size}x${r.size} outputs, batch ${r.batch}, ${r.steps} steps on ${r.backend} (${r.machine.cpus} x ${r.machine.cpu_model}, load ${r.machine.load})`,
    `  tsgan: ${r.train_ms_per_step} ms/step (${r.train_img_per_s} img/s; CPU ${r.train_cpu_ms_per_step} ms/step), ${r.params} parameters`,
    `  tfjs cpu fallbacks: ${fb.length === 0 ? 'none' : fb.map(([k, v]) => `${k} ${v}/step`).join(', ')}`,
  ];
  if (r.peer)
    lines.push(
      `  torch ${r.peer.version} (${r.peer.threads} threads): ${r.peer.train_ms_per_step} ms/step (CPU ${r.peer.train_cpu_ms_per_step} ms/step), ${r.peer.params} parameters`,
      `  ratio (torch ms / tsgan ms): ${r.ratio}x; CPU time: ${r.cpu_ratio}x`,
    );
  else lines.push(`  peer: not run (${r.peer_error})`);
  return lines.join('\n');
}
