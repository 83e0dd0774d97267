import os from 'node:os';

import * as tf from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../backend/native_backend.js';
import type { Dataset } from '../data/types.js';
import type { TrainConfig } from '../train/config.js';
import type { FieldDataset } from '../data/fields.js';
import { familyOf } from '../models/registry.js';
import { loadTrainingData } from '../train/family_run.js';
import { loadDatasetFromConfig } from '../train/data_source.js';
import { PRESETS } from '../train/presets.js';
import { resolveConfig } from '../train/run.js';
import { Trainer } from '../train/trainer.js';
import { type PeerRun, runTorchPeer } from './peer.js';

/** Bench-only entries: a DCGAN of width 64 and batch 64 (the conditional presets' width and batch). */
const DCGAN_REF = {
  model: { family: 'dcgan', width: 64, latentDim: 100 },
  data: { source: 'fashion-mnist', split: 'test' },
  loss: 'nonsaturating',
  batchSize: 64,
  lr: 2e-4,
  beta1: 0.5,
  ema: 0.99,
};
export const REFERENCE_STEPS: Record<
  string,
  // preset: config fields over that preset's (else over the defaults); phases: the phases kept (each run once)
  { description: string; preset?: string; config: Record<string, unknown>; phases?: string[] }
> = {
  'ref:dcgan-64': { description: 'DCGAN, width 64, batch 64 (D and G step)', config: DCGAN_REF },
  'ref:dcgan-64-d': {
    description: 'DCGAN, width 64, batch 64, the D step alone',
    config: DCGAN_REF,
    phases: ['D'],
  },
  'ref:wgan-gp-critic': {
    description: 'wgan-gp-fmnist, one critic step (with the gradient penalty)',
    preset: 'wgan-gp-fmnist',
    config: {},
    phases: ['D'],
  },
  'ref:wgan-critic-no-gp': {
    description: 'wgan-gp-fmnist, one critic step without the penalty (gpWeight 0)',
    preset: 'wgan-gp-fmnist',
    config: { gpWeight: 0 },
    phases: ['D'],
  },
  'ref:stylegan-ada': {
    description: 'stylegan-fmnist32 with ADA at p = 1 (every transform of the bgc pipeline on)',
    preset: 'stylegan-fmnist32',
    config: { model: { ada: true, adaP: 1, adaTarget: 0 } },
  },
};

/**
 * Kernels that only relabel their input's buffer (the cpu backend shares the data, nothing is
 * computed or copied): the census lists them as 'view', neither native nor fallback.
 */
export const VIEW_KERNELS: ReadonlySet<string> = new Set(['Reshape', 'Identity', 'ExpandDims']);

export interface PresetBenchOptions {
  presets?: string[]; // preset names (default: every preset and the reference steps)
  steps?: number; // timed steps per preset
  warmup?: number; // untimed steps first
  profile?: boolean; // also take the kernel census (tf.profile over `steps` more steps)
  peer?: boolean | 'auto'; // run the PyTorch peer of cgan-fmnist's step (bench/torch_cgan.py) when cgan-fmnist is benched
  threads?: number; // threads for the peer (default: the core count)
  onProgress?: (msg: string) => void; // one line per preset as it starts
}

export type KernelKind = 'native' | 'fallback' | 'view';

export interface KernelCensusRow {
  kernel: string;
  kind: KernelKind; // native: C++; fallback: the tfjs cpu kernel; view: a relabelled buffer (VIEW_KERNELS)
  calls_per_step: number;
  fallback_calls_per_step: number; // calls of a native kernel that handed the work to the cpu kernel (other dtypes/shapes)
  ms_per_step: number;
  share: number; // of the summed kernel time of the step
}

export interface PresetBenchRow {
  preset: string;
  description: string;
  batch: number;
  steps: number;
  ms_per_step: number; // the median step (CPU backends; a shared machine's preempted steps do not move it), or the mean on webgpu
  mean_ms_per_step: number;
  img_per_s: number; // batch / step time (a step takes dSteps batches for D and one for G)
  d_steps: number; // critic steps per step (WGAN-GP: 5)
  expected_wall_s: number | null; // the preset's full run at this speed (steps x ms), training only
  census?: { kernel_ms_per_step: number; fallback_share: number; rows: KernelCensusRow[] };
}

export interface CganPeerResult {
  peer: string;
  version: string;
  device: string;
  threads: number;
  batch: number;
  train_ms_per_step: number; // the median step
  mean_ms_per_step?: number;
  train_img_per_s: number;
}

export interface PresetBenchResult {
  bench: 'presets';
  backend: string;
  threads: number | null;
  machine: { cpus: number; cpu_model: string; date: string };
  rows: PresetBenchRow[];
  /** cgan-fmnist's step in PyTorch (bench/torch_cgan.py), run in the same call; null when not run. */
  peer: (CganPeerResult & { preset: 'cgan-fmnist'; ratio: number }) | null;
  peer_error?: string;
}

/** Every name `bench presets` accepts: the presets, then the reference steps. */
export function benchableNames(): string[] {
  return [...Object.keys(PRESETS), ...Object.keys(REFERENCE_STEPS)];
}

/** True when the active backend runs `kernel` with its own (native) kernel function, not tfjs cpu's. */
export function isNativeKernel(kernel: string, backend = tf.getBackend()): boolean {
  if (backend === 'cpu') return false;
  const mine = tf.getKernel(kernel, backend);
  const cpu = tf.getKernel(kernel, 'cpu');
  return mine != null && (cpu == null || mine.kernelFunc !== cpu.kernelFunc);
}

/** A Trainer for a preset or reference step, with its data, ready to step. */
export async function trainerFor(
  name: string,
  overrides: Record<string, unknown> = {},
): Promise<{ trainer: Trainer; config: TrainConfig; phases?: string[] }> {
  const ref = REFERENCE_STEPS[name];
  if (ref == null && PRESETS[name] == null) {
    throw new Error(`bench presets: unknown preset '${name}' (known: ${benchableNames().join(', ')})`);
  }
  const config = ref ? resolveConfig(ref.preset, { ...ref.config, ...overrides }) : resolveConfig(name, overrides);
  // Image-to-image tasks: a few dozen training images are enough to time a step.
  // Tasks of a family's own data (image-to-image...): a few dozen training examples time a step.
  const dataset: Dataset | FieldDataset = familyOf(config.model.family).dataSources?.includes(config.data.source)
    ? await loadTrainingData({ ...config, data: { ...config.data, limit: config.data.limit ?? 64 } })
    : await loadDatasetFromConfig(config.data, config.seed);
  const trainer = new Trainer({ config, dataset });
  if (ref?.phases) {
    const keep = new Set(ref.phases);
    const phases = trainer.phases.filter((p) => keep.has(p.name)).map((p) => ({ ...p, repeat: 1 }));
    if (phases.length === 0) throw new Error(`bench presets: ${name}: no phase named ${ref.phases.join(', ')}`);
    trainer.phases.splice(0, trainer.phases.length, ...phases);
  }
  return { trainer, config, phases: ref?.phases };
}

/** Kernel census of `steps` training steps under tf.profile (after the caller's warm-up). */
export async function censusOf(
  trainer: Trainer,
  steps: number,
): Promise<{ kernel_ms_per_step: number; fallback_share: number; rows: KernelCensusRow[] }> {
  const backendName = tf.getBackend();
  const backend = tf.backend() as Partial<NativeBackend>;
  const counting = typeof backend.countFallbacks === 'function';
  if (counting) backend.countFallbacks!(true);
  let fallbacks = new Map<string, number>();
  let info: Awaited<ReturnType<typeof tf.profile>>;
  try {
    info = await tf.profile(() => {
      for (let i = 0; i < steps; i++) trainer.trainStep();
    });
  } finally {
    if (counting) fallbacks = backend.countFallbacks!(false);
  }
  const byName = new Map<string, { calls: number; ms: number }>();
  for (const k of info.kernels) {
    // Scopes (customGrad ops such as fusedConv2d__op, 'unnamed scope') are recorded around their inner kernels,
    // which are recorded too: count registered kernels only.
    if (tf.getKernel(k.name, backendName) == null) continue;
    const e = byName.get(k.name) ?? { calls: 0, ms: 0 };
    e.calls++;
    e.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    byName.set(k.name, e);
  }
  const total = [...byName.values()].reduce((a, e) => a + e.ms, 0) || 1;
  let fallbackMs = 0;
  const rows = [...byName.entries()].map(([kernel, e]) => {
    const native = isNativeKernel(kernel, backendName);
    const kind: KernelKind = native ? 'native' : VIEW_KERNELS.has(kernel) ? 'view' : 'fallback';
    const fellBack = kind === 'native' ? Math.min(e.calls, fallbacks.get(kernel) ?? 0) : kind === 'view' ? 0 : e.calls;
    // A native kernel's fallback calls are charged their share of its time (calls, not ms, are counted).
    fallbackMs += e.calls > 0 ? (e.ms * fellBack) / e.calls : 0;
    return {
      kernel,
      kind,
      calls_per_step: round(e.calls / steps, 1),
      fallback_calls_per_step: round(fellBack / steps, 1),
      ms_per_step: round(e.ms / steps, 3),
      share: round(e.ms / total, 4),
    };
  });
  rows.sort((a, b) => b.ms_per_step - a.ms_per_step);
  return { kernel_ms_per_step: round(total / steps, 2), fallback_share: round(fallbackMs / total, 4), rows };
}

/**
 * Median and mean ms of `steps` training steps. CPU backends finish a step's kernels before
 * trainStep returns (it reads the losses), so each step is timed on its own; on webgpu the steps
 * are timed together, up to the readback of their losses, and the median is the mean.
 */
async function timeSteps(trainer: Trainer, steps: number): Promise<{ ms: number; mean: number }> {
  if (trainer.deferredReadback) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < steps; i++) trainer.trainStep();
    await trainer.readScalars();
    const mean = Number(process.hrtime.bigint() - t0) / 1e6 / steps;
    return { ms: mean, mean };
  }
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = process.hrtime.bigint();
    trainer.trainStep();
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  const median = times.length % 2 ? times[mid]! : (times[mid - 1]! + times[mid]!) / 2;
  return { ms: median, mean: times.reduce((a, b) => a + b, 0) / times.length };
}

/** Times (and with `profile`, profiles) each preset's training step. */
export async function benchPresets(opts: PresetBenchOptions = {}): Promise<PresetBenchResult> {
  const names = opts.presets ?? benchableNames();
  const steps = opts.steps ?? 3;
  const warmup = opts.warmup ?? 1;
  if (!Number.isInteger(steps) || steps < 1)
    throw new Error(`bench presets: --steps must be a positive integer, got ${steps}`);
  if (!Number.isInteger(warmup) || warmup < 0)
    throw new Error(`bench presets: --warmup must be a non-negative integer, got ${warmup}`);
  for (const n of names) {
    if (PRESETS[n] == null && REFERENCE_STEPS[n] == null)
      throw new Error(`bench presets: unknown preset '${n}' (known: ${benchableNames().join(', ')})`);
  }
  const rows: PresetBenchRow[] = [];
  for (const name of names) {
    opts.onProgress?.(`${name}: ${warmup} warm-up + ${steps} timed steps${opts.profile ? ` + ${steps} profiled` : ''}`);
    const { trainer, config, phases } = await trainerFor(name);
    try {
      for (let i = 0; i < warmup; i++) trainer.trainStep();
      const { ms, mean } = await timeSteps(trainer, steps);
      const isRef = REFERENCE_STEPS[name] != null;
      const row: PresetBenchRow = {
        preset: name,
        description: isRef ? REFERENCE_STEPS[name]!.description : PRESETS[name]!.description,
        batch: config.batchSize,
        steps,
        ms_per_step: round(ms, 2),
        mean_ms_per_step: round(mean, 2),
        img_per_s: round((config.batchSize * 1000) / ms, 1),
        d_steps: phases ? 1 : config.dSteps, // a reference step runs each kept phase once
        expected_wall_s: isRef ? null : Math.round((config.steps * ms) / 1000),
      };
      if (opts.profile) row.census = await censusOf(trainer, steps);
      rows.push(row);
    } finally {
      trainer.dispose();
    }
  }
  const native = tf.backend() as Partial<NativeBackend>;
  const info = typeof native.addon?.info === 'function' ? (native.addon.info() as { threads?: number }) : null;
  const res: PresetBenchResult = {
    bench: 'presets',
    backend: tf.getBackend(),
    threads: info?.threads ?? null,
    machine: { cpus: os.cpus().length, cpu_model: os.cpus()[0]?.model ?? 'unknown', date: new Date().toISOString() },
    rows,
    peer: null,
  };
  const cgan = rows.find((r) => r.preset === 'cgan-fmnist');
  const wantPeer = opts.peer ?? 'auto';
  if (cgan && wantPeer !== false) {
    opts.onProgress?.(`cgan-fmnist peer (PyTorch): ${warmup} warm-up + ${steps} timed steps`);
    const peer = runCganPeer(cgan.batch, steps, warmup, opts.threads ?? os.cpus().length);
    if (peer.result) {
      res.peer = {
        ...peer.result,
        preset: 'cgan-fmnist',
        ratio: round(cgan.img_per_s / peer.result.train_img_per_s, 2),
      };
    } else {
      res.peer_error = peer.error;
      if (wantPeer === true) throw new Error(`bench presets: the PyTorch peer could not run: ${peer.error}`);
    }
  }
  return res;
}

/** Runs the PyTorch peer of cgan-fmnist's step, bench/torch_cgan.py (TSGAN_CGAN_PEER_SCRIPT overrides), when torch imports. */
export function runCganPeer(batch: number, steps: number, warmup: number, threads: number): PeerRun<CganPeerResult> {
  const args = ['--batch', batch, '--steps', steps, '--warmup', warmup, '--threads', threads];
  return runTorchPeer<CganPeerResult>('torch_cgan.py', args, threads, 'TSGAN_CGAN_PEER_SCRIPT');
}

/** The text report of `tsgan bench presets`. */
export function formatPresetBench(r: PresetBenchResult): string {
  const lines = [
    `bench presets on ${r.backend}${r.threads != null ? ` (${r.threads} threads)` : ''}, ${r.machine.cpus} x ${r.machine.cpu_model}`,
    `${'preset'.padEnd(24)}${'batch'.padStart(6)}${'ms/step'.padStart(10)}${'img/s'.padStart(9)}   full run (training only, at this speed); ms/step is the median step`,
  ];
  for (const row of r.rows) {
    const wall = row.expected_wall_s == null ? '' : formatDuration(row.expected_wall_s);
    const dSteps =
      row.d_steps > 1
        ? ` (${row.d_steps} D steps: ${(row.ms_per_step / (row.d_steps + 1)).toFixed(0)} ms per network update)`
        : '';
    lines.push(
      `${row.preset.padEnd(24)}${String(row.batch).padStart(6)}${row.ms_per_step.toFixed(1).padStart(10)}${row.img_per_s.toFixed(1).padStart(9)}   ${wall}${dSteps}`,
    );
  }
  if (r.peer) {
    lines.push(
      `peer ${r.peer.peer} ${r.peer.version} (${r.peer.device}, ${r.peer.threads} threads), cgan-fmnist step: ${r.peer.train_ms_per_step} ms, ${r.peer.train_img_per_s} img/s; tsgan / peer: ${r.peer.ratio}x`,
    );
  } else if (r.peer_error) {
    lines.push(`peer: not run (${r.peer_error})`);
  }
  for (const row of r.rows) {
    if (!row.census) continue;
    const c = row.census;
    lines.push(
      '',
      `${row.preset}: ${c.kernel_ms_per_step} ms/step in kernels, ${(c.fallback_share * 100).toFixed(1)}% of it on tfjs cpu fallbacks`,
      `  ${'kernel'.padEnd(28)}${'kind'.padEnd(10)}${'calls/step'.padStart(11)}${'ms/step'.padStart(10)}${'share'.padStart(8)}`,
    );
    for (const k of c.rows) {
      if (k.share < 0.001 && k.kind !== 'fallback') continue;
      const fb =
        k.kind === 'native' && k.fallback_calls_per_step > 0 ? ` (${k.fallback_calls_per_step} fell back)` : '';
      lines.push(
        `  ${k.kernel.padEnd(28)}${k.kind.padEnd(10)}${String(k.calls_per_step).padStart(11)}${k.ms_per_step.toFixed(2).padStart(10)}${(k.share * 100).toFixed(1).padStart(7)}%${fb}`,
      );
    }
  }
  return lines.join('\n');
}

function formatDuration(s: number): string {
  return s >= 60 ? `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s` : `${s} s`;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
