import os from 'node:os';

import * as tf from '@tensorflow/tfjs-core';

import type { CaptionedDataset } from '../data/captioned.js';
import { mulberry32 } from '../data/types.js';
import { Text2Image } from '../models/text2image.js';
import { parseConfig } from '../train/config.js';
import { getPreset } from '../train/presets.js';
import { Trainer } from '../train/trainer.js';
import { type PeerStep, runTorchPeer, type StepComparison, stepComparison, timeSteps } from './peer.js';

export interface Text2ImageBenchOptions {
  batch?: number; // images per step (default 64, the paper's)
  width?: number; // G and D base width (default 32, the t2i presets')
  discriminator?: 'projection' | 'concat'; // D's conditioning (default 'projection' with spectral norm and hinge, as the t2i presets)
  vocab?: number; // vocabulary size (default 40, the shapes captions')
  maxLen?: number; // word ids per caption (default 8)
  steps?: number; // timed steps (default 10)
  warmup?: number; // untimed steps first (default 2)
  peer?: boolean; // run the PyTorch peer when torch imports (default true)
  threads?: number; // the peer's threads (default: the core count)
}

export interface Text2ImageBenchResult extends StepComparison<PeerStep & { train_cpu_ms_per_step: number }> {
  bench: 'text2image';
  backend: string;
  batch: number;
  width: number;
  discriminator: 'projection' | 'concat';
  loss: 'hinge' | 'nonsaturating';
  spectralNorm: boolean;
  steps: number;
  params: number;
}

/** Random images and captions (the first half of each caption's ids are words, the rest padding). */
function randomCaptioned(n: number, vocab: number, maxLen: number): CaptionedDataset {
  const r = mulberry32(1);
  const ids = new Int32Array(n * maxLen);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < maxLen / 2; j++) ids[i * maxLen + j] = 2 + Math.floor(r() * (vocab - 2));
  const images = tf.tidy(() => tf.randomUniform([n, 32, 32, 3], -1, 1, 'float32', 1).dataSync() as Float32Array);
  const words = ['<pad>', '<unk>', ...Array.from({ length: vocab - 2 }, (_, i) => `w${i}`)];
  return {
    kind: 'fields',
    name: 'bench',
    paired: true,
    names: Array.from({ length: n }, (_, i) => `caption ${i}`),
    tokenizer: { vocab: words, maxLen },
    fields: { image: { shape: [32, 32, 3], n, data: images }, text: { shape: [maxLen], n, data: ids } },
  };
}

function runPeer(
  o: Required<Omit<Text2ImageBenchOptions, 'peer'>>,
  d: DSetup,
): {
  result: Text2ImageBenchResult['peer'];
  error?: string;
} {
  const args = ['--batch', o.batch, '--width', o.width, '--vocab', o.vocab, '--maxlen', o.maxLen];
  args.push('--steps', o.steps, '--warmup', o.warmup, '--threads', o.threads);
  args.push('--discriminator', o.discriminator, '--loss', d.loss, ...(d.spectralNorm ? ['--spectral-norm'] : []));
  return runTorchPeer<NonNullable<Text2ImageBenchResult['peer']>>('torch_text2image.py', args, o.threads);
}

interface DSetup {
  loss: 'hinge' | 'nonsaturating';
  spectralNorm: boolean;
}

/**
 * The discriminator's setup: 'projection' is the t2i presets' (projection D, spectral norm, hinge:
 * read from the t2i-shapes preset); 'concat' is the paper's GAN-CLS (no spectral norm, the
 * non-saturating loss).
 */
function discriminatorSetup(kind: 'projection' | 'concat'): DSetup {
  if (kind === 'concat') return { loss: 'nonsaturating', spectralNorm: false };
  const c = getPreset('t2i-shapes').config as { loss?: string; model?: { spectralNorm?: boolean } };
  return { loss: c.loss === 'hinge' ? 'hinge' : 'nonsaturating', spectralNorm: c.model?.spectralNorm === true };
}

export async function benchText2Image(opts: Text2ImageBenchOptions = {}): Promise<Text2ImageBenchResult> {
  const o = {
    batch: opts.batch ?? 64,
    width: opts.width ?? 32,
    discriminator: opts.discriminator ?? 'projection',
    vocab: opts.vocab ?? 40,
    maxLen: opts.maxLen ?? 8,
    steps: opts.steps ?? 10,
    warmup: opts.warmup ?? 2,
    threads: opts.threads ?? os.cpus().length,
  };
  if (o.discriminator !== 'projection' && o.discriminator !== 'concat')
    throw new Error(`bench text2image: --discriminator must be projection or concat, got ${String(o.discriminator)}`);
  const d = discriminatorSetup(o.discriminator);
  const { discriminator: _kind, ...counts } = o;
  for (const [k, v] of Object.entries(counts))
    if (!Number.isInteger(v) || v < (k === 'warmup' ? 0 : k === 'vocab' ? 3 : 1))
      throw new Error(`bench text2image: --${k} must be a positive whole number, got ${v}`);
  const ds = randomCaptioned(Math.max(4 * o.batch, 64), o.vocab, o.maxLen);
  const model = new Text2Image({
    vocab: ds.tokenizer.vocab,
    maxLen: o.maxLen,
    width: o.width,
    discriminator: o.discriminator,
    spectralNorm: d.spectralNorm,
  });
  const trainer = new Trainer({
    config: parseConfig({ batchSize: o.batch, seed: 1, lr: 2e-4, beta1: 0.5, ema: 0, loss: d.loss }),
    dataset: ds,
    model,
  });
  const params = Object.values(model.networks).reduce((s, n) => s + n.countParams(), 0);
  const { ms, cpuMs } = timeSteps(() => trainer.trainStep(), o.steps, o.warmup);
  trainer.dispose();
  const peer = opts.peer === false ? { result: null, error: 'not requested' } : runPeer(o, d);
  return {
    bench: 'text2image',
    backend: tf.getBackend(),
    batch: o.batch,
    width: o.width,
    discriminator: o.discriminator,
    ...d,
    steps: o.steps,
    params,
    ...stepComparison({ ms, cpuMs }, o.batch, peer),
  };
}

export function formatText2ImageBench(r: Text2ImageBenchResult): string {
  const lines = [
    `text2image 32x32, width ${r.width}, ${r.discriminator} D (${r.spectralNorm ? 'spectral norm, ' : ''}${r.loss}), batch ${r.batch}, ${r.steps} steps on ${r.backend} (${r.machine.cpus} x ${r.machine.cpu_model}, load ${r.machine.load})`,
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
