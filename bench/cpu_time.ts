// Timing shared by the kernel micro-benchmarks of bench/ (not tests).
import type { tf } from '../src/index.js';

/** Median CPU ms of `f` (its output read back) over `reps` calls after two warm-up calls. */
export function cpuMs(f: () => tf.Tensor, reps = 7): number {
  for (let k = 0; k < 2; k++) f().dispose();
  const ts: number[] = [];
  for (let k = 0; k < reps; k++) {
    const c0 = process.cpuUsage();
    const y = f();
    y.dataSync();
    const d = process.cpuUsage(c0);
    ts.push((d.user + d.system) / 1000);
    y.dispose();
  }
  return ts.sort((a, b) => a - b)[Math.floor(reps / 2)]!;
}
