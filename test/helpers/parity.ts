// Parity helpers: run the same tfjs computation on the tfjs `cpu` backend and on `native`, and
// compare element by element with a relative tolerance.
import assert from 'node:assert/strict';

import { tf } from '../../src/index.js';
import { mulberry32 } from '../../src/data/types.js';

/** Deterministic pseudo-random numbers (mulberry32) so that a failing case can be replayed. */
export const rng: (seed: number) => () => number = mulberry32;

/** Random integer in [lo, hi]. */
export function randInt(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

/** Random float32 values in [-1, 1). */
export function randValues(r: () => number, n: number): Float32Array {
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = r() * 2 - 1;
  return v;
}

/**
 * Runs `fn` on both backends with inputs made from the same plain arrays, and returns both results
 * as flat Float64 arrays with their shapes. `fn` receives tensors created on the active backend.
 */
export function onBothBackends(
  inputs: { values: Float32Array | number[]; shape: number[]; dtype?: 'float32' | 'int32' | 'bool' }[],
  fn: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
): { cpu: { shape: number[]; values: Float32Array }[]; native: { shape: number[]; values: Float32Array }[] } {
  const run = (backend: string) => {
    const prev = tf.getBackend();
    tf.setBackend(backend);
    // Silence MathBackendCPU's one-time "install tfjs-node" hint.
    (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
    try {
      return tf.tidy(() => {
        const xs = inputs.map((i) => tf.tensor(i.values, i.shape, i.dtype ?? 'float32'));
        const out = fn(...xs);
        const outs = Array.isArray(out) ? out : [out];
        return outs.map((o) => ({ shape: o.shape, values: Float32Array.from(o.dataSync() as ArrayLike<number>) }));
      });
    } finally {
      tf.setBackend(prev);
    }
  };
  return { cpu: run('cpu'), native: run('native') };
}

/** Asserts that |a - b| <= tol * max(1, |a|) everywhere (relative error, absolute near zero). */
export function assertClose(native: ArrayLike<number>, cpu: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(native.length, cpu.length, `${what}: length ${native.length} vs ${cpu.length}`);
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < cpu.length; i++) {
    const a = native[i]!;
    const b = cpu[i]!;
    if (Number.isNaN(b)) {
      assert.ok(Number.isNaN(a), `${what}: index ${i} is ${a}, cpu gives NaN`);
      continue;
    }
    if (!Number.isFinite(b)) {
      assert.equal(a, b, `${what}: index ${i} is ${a}, cpu gives ${b}`);
      continue;
    }
    const err = Math.abs(a - b) / Math.max(1, Math.abs(b));
    if (err > worst) {
      worst = err;
      worstAt = i;
    }
  }
  assert.ok(
    worst <= tol,
    `${what}: relative error ${worst.toExponential(2)} at index ${worstAt} (native ${native[worstAt]}, cpu ${cpu[worstAt]}) exceeds ${tol}`,
  );
}

/** Compares every output of onBothBackends. */
export function assertParity(res: ReturnType<typeof onBothBackends>, tol: number, what: string): void {
  assert.equal(res.native.length, res.cpu.length, `${what}: output count`);
  res.cpu.forEach((c, i) => {
    assert.deepEqual(res.native[i]!.shape, c.shape, `${what}: output ${i} shape`);
    assertClose(res.native[i]!.values, c.values, tol, `${what} output ${i}`);
  });
}
