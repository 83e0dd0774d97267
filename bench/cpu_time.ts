// Timing shared by the kernel micro-benchmarks of bench/ (not tests).
import type { tf } from '../src/index.js';

/**
 * Median CPU ms of `f` over `reps` calls after two warm-up calls. `readBack` (default) reads each
 * output before timing stops. Without it the output is only disposed: the native kernels run
 * synchronously, and a read exposes the buffer, which the backend then never recycles, so each
 * call would pay the page faults of a fresh output (as no training step does).
 */
export function cpuMs(f: () => tf.Tensor, opts: { reps?: number; readBack?: boolean } = {}): number {
  const reps = opts.reps ?? 7;
  const readBack = opts.readBack ?? true;
  for (let k = 0; k < 2; k++) f().dispose();
  const ts: number[] = [];
  for (let k = 0; k < reps; k++) {
    const c0 = process.cpuUsage();
    const y = f();
    if (readBack) y.dataSync();
    const d = process.cpuUsage(c0);
    ts.push((d.user + d.system) / 1000);
    y.dispose();
  }
  return ts.sort((a, b) => a - b)[Math.floor(reps / 2)]!;
}
