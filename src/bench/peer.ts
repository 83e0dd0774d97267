// The PyTorch peers of `tsgan bench` (bench/torch_*.py at the package root): found from this module's
// location (src/bench with tsx, dist/src/bench when built), run with /usr/bin/python3 (or
// TSGAN_PYTHON) when torch imports there, on the given number of threads. Each prints one JSON line,
// its result; anything else is a reason the peer did not run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A peer's result, or null with why it did not run. */
export interface PeerRun<T> {
  result: T | null;
  error?: string;
}

/** bench/<file> at the package root; `override` names an environment variable that may point elsewhere. */
export function findPeerScript(file: string, override?: string): string | null {
  const env = override ? process.env[override] : undefined;
  if (env) return existsSync(env) ? env : null;
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = here, i = 0; i < 4; i++, dir = path.dirname(dir)) {
    const p = path.join(dir, 'bench', file);
    if (existsSync(p) && existsSync(path.join(dir, 'package.json'))) return p;
  }
  return null;
}

/** Runs bench/<file> with `args` on `threads` threads; its result is the JSON of its last output line. */
export function runTorchPeer<T>(
  file: string,
  args: (string | number)[],
  threads: number,
  override?: string,
): PeerRun<T> {
  const python = process.env.TSGAN_PYTHON ?? '/usr/bin/python3';
  const script = findPeerScript(file, override);
  if (!script) return { result: null, error: `bench/${file} not found${override ? ` (set ${override})` : ''}` };
  if (spawnSync(python, ['-c', 'import torch']).status !== 0)
    return { result: null, error: `${python} cannot import torch` };
  const r = spawnSync(python, [script, ...args.map(String)], {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: String(threads) },
  });
  if (r.status !== 0) return { result: null, error: `peer failed: ${(r.stderr || '').trim().split('\n').pop()}` };
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return { result: JSON.parse(line) as T };
  } catch {
    return { result: null, error: `peer printed no JSON: ${line.slice(0, 200)}` };
  }
}

/** Wall-clock and process CPU milliseconds per call of `step`, over `steps` calls after `warmup` untimed ones. */
export function timeSteps(step: () => void, steps: number, warmup: number): { ms: number; cpuMs: number } {
  for (let i = 0; i < warmup; i++) step();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < steps; i++) step();
  const cpu = process.cpuUsage(c0);
  return { ms: (performance.now() - t0) / steps, cpuMs: (cpu.user + cpu.system) / 1000 / steps };
}

/** What a PyTorch peer reports of its training step (the benches add their own fields). */
export interface PeerStep {
  version: string;
  threads: number;
  params: number;
  train_ms_per_step: number;
  train_img_per_s?: number;
  /** CPU time of the peer process per step (all its threads). */
  train_cpu_ms_per_step?: number;
}

/** The timing fields of a step benchmark: tsgan's step, the peer's, their ratios, the machine. */
export interface StepComparison<P extends PeerStep> {
  train_ms_per_step: number;
  train_img_per_s: number;
  /** CPU time of the process per step (all its threads): on a shared machine, the figure load skews least. */
  train_cpu_ms_per_step: number;
  peer: P | null;
  /** peer ms / tsgan ms (> 1: tsgan is faster). */
  ratio: number | null;
  /** peer CPU ms / tsgan CPU ms per step (null when the peer reports no CPU time). */
  cpu_ratio: number | null;
  peer_error?: string;
  machine: { cpus: number; cpu_model: string; load: number; date: string };
}

const round2 = (x: number) => Math.round(x * 100) / 100;

/** tsgan's timing of `batch` examples a step beside the peer's run, with the ratios and the machine. */
export function stepComparison<P extends PeerStep>(
  t: { ms: number; cpuMs: number },
  batch: number,
  peer: PeerRun<P>,
): StepComparison<P> {
  const p = peer.result;
  return {
    train_ms_per_step: round2(t.ms),
    train_img_per_s: Math.round((batch * 1000 * 10) / t.ms) / 10,
    train_cpu_ms_per_step: round2(t.cpuMs),
    peer: p,
    ratio: p ? round2(p.train_ms_per_step / t.ms) : null,
    cpu_ratio: p?.train_cpu_ms_per_step ? round2(p.train_cpu_ms_per_step / t.cpuMs) : null,
    ...(peer.error ? { peer_error: peer.error } : {}),
    machine: {
      cpus: os.cpus().length,
      cpu_model: os.cpus()[0]?.model ?? 'unknown',
      load: Math.round(os.loadavg()[0]! * 10) / 10,
      date: new Date().toISOString(),
    },
  };
}
