// The PyTorch peers of `tsgan bench` (bench/torch_*.py at the package root): found from this module's
// location (src/bench with tsx, dist/src/bench when built), run with /usr/bin/python3 (or
// TSGAN_PYTHON) when torch imports there, on the given number of threads. Each prints one JSON line,
// its result; anything else is a reason the peer did not run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
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
