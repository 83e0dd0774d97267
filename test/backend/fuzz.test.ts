// Fuzz test of the native backend. A child process (this same file, with TSGAN_FUZZ_CHILD=1) feeds
// random shapes, ranks, dtypes, strides, paddings, dilations, axes, activations and broadcasting
// through the tfjs op API (convolutions and their gradients, matmuls, fused ops, elementwise,
// reductions, batch norm, transpose, pad...) on `native` and on tfjs `cpu`, for TSGAN_FUZZ_SECONDS
// (default 60), then calls every addon entry point with malformed arguments. The test asserts that
// the child exits normally (no signal, no abort), that invalid cases raise JS Errors on both
// backends, that valid cases match cpu, and that no tensor leaks.
// Replay: TSGAN_FUZZ_SEED=<seed printed with a failure> runs that case first.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import type * as tfTypes from '@tensorflow/tfjs-core';
import { pickGenerator, Rand, type FuzzCase, type FuzzResult, type Outcome } from './fuzz_cases.js';

/** Relative tolerance |native - cpu| / max(1, |cpu|). */
const TOL = 1e-4;

// ---------------------------------------------------------------------------------------------
// The child: run cases on both backends and compare.

function runOn(tf: typeof tfTypes, backend: string, c: FuzzCase): Outcome {
  tf.setBackend(backend);
  const fn = backend === 'cpu' && c.cpuFn != null ? c.cpuFn : c.fn;
  try {
    let outcome: Outcome | null = null;
    tf.tidy(() => {
      const xs = c.inputs.map((i) => tf.tensor(i.values, i.shape, i.dtype));
      const out = fn(...xs);
      const outs = Array.isArray(out) ? out : [out];
      outcome = {
        ok: true,
        outs: outs.map((o) => ({
          shape: o.shape,
          dtype: o.dtype,
          values: Float64Array.from(o.dataSync() as ArrayLike<number>),
        })),
      };
    });
    return outcome!;
  } catch (e) {
    return {
      ok: false,
      isError: e instanceof Error,
      message: e instanceof Error ? e.message.split('\n')[0]! : String(e),
    };
  }
}

/** null when the native outcome agrees with cpu, else what differs. */
function compare(nat: Outcome, cpu: Outcome, invalid: boolean): string | null {
  if (!nat.ok && !nat.isError) return `native threw a non-Error: ${nat.message}`;
  if (!cpu.ok && !cpu.isError) return `cpu threw a non-Error: ${cpu.message}`;
  if (!cpu.ok) return nat.ok ? `cpu rejects the case (${cpu.message}) but native returned a result` : null;
  if (!nat.ok) return invalid ? null : `native threw on a valid case: ${nat.message}`;
  if (nat.outs.length !== cpu.outs.length) return `output count ${nat.outs.length} vs ${cpu.outs.length}`;
  for (let o = 0; o < cpu.outs.length; o++) {
    const a = nat.outs[o]!;
    const b = cpu.outs[o]!;
    if (JSON.stringify(a.shape) !== JSON.stringify(b.shape))
      return `output ${o}: shape ${JSON.stringify(a.shape)} vs cpu ${JSON.stringify(b.shape)}`;
    if (a.dtype !== b.dtype) return `output ${o}: dtype ${a.dtype} vs cpu ${b.dtype}`;
    // Norm-wise relative error (scale: the output's largest finite magnitude), the standard bound for
    // results that are sums (convolutions, matmuls and their gradients): the GEMM sums in another order
    // than tfjs cpu, and an element that is a small difference of large terms (seed 3100479651: a filter
    // gradient of 1.569 made of ~330 terms of size ~40) differs by more than 1e-4 of its own size.
    let scale = 1;
    for (let i = 0; i < b.values.length; i++)
      if (Number.isFinite(b.values[i]!)) scale = Math.max(scale, Math.abs(b.values[i]!));
    for (let i = 0; i < b.values.length; i++) {
      const x = a.values[i]!;
      const y = b.values[i]!;
      if (Number.isNaN(y) ? !Number.isNaN(x) : !Number.isFinite(y) ? x !== y : Math.abs(x - y) > TOL * scale) {
        return `output ${o}: index ${i} is ${x}, cpu gives ${y}`;
      }
    }
  }
  return null;
}

/**
 * Records what is about to run in the file TSGAN_FUZZ_PROGRESS (overwritten in place, synchronously),
 * so that a crash leaves the case to replay.
 */
function progressMarker(): (what: string) => void {
  const file = process.env.TSGAN_FUZZ_PROGRESS;
  if (!file) return () => {};
  const fd = openSync(file, 'w');
  const buf = Buffer.alloc(2048);
  return (what) => {
    buf.fill(0x20);
    buf.write(what.slice(0, 2000), 0, 'utf8');
    writeSync(fd, buf, 0, buf.length, 0);
  };
}

/** A deep copy of a kernel argument list (typed arrays and arrays copied, the rest shared). */
function cloneArgs(args: unknown[]): unknown[] {
  const clone = (v: unknown): unknown =>
    ArrayBuffer.isView(v) ? (v as Float32Array).slice() : Array.isArray(v) ? v.map(clone) : v;
  return args.map(clone);
}

/** Where `v` is an argument worth mutating: "Float32Array(12)", "[4]", "number"... */
function argKind(v: unknown): string {
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${(v as Float32Array).length})`;
  if (Array.isArray(v)) return `[${v.length}]`;
  return typeof v;
}

/**
 * Wraps every kernel entry point of the addon so that the argument lists of real, successful calls
 * (made by the kernel glue during the op fuzz) are kept, up to `perKernel` of each kernel with distinct
 * argument layouts. Returns the samples, by kernel name.
 */
function recordAddonCalls(
  addon: Record<string, unknown>,
  perKernel: number,
): { samples: Map<string, unknown[][]>; stop: () => void } {
  const samples = new Map<string, unknown[][]>();
  const originals = Object.entries(addon);
  for (const [name, fn] of originals) {
    if (typeof fn !== 'function' || name === 'info' || name === 'setNumThreads') continue;
    const seen = new Set<string>();
    const list: unknown[][] = [];
    samples.set(name, list);
    addon[name] = (...args: unknown[]) => {
      const key = list.length < perKernel ? args.map(argKind).join(',') : null;
      // Copied before the call (some kernels work in place), kept only if the call succeeds.
      const copy = key != null && !seen.has(key) ? cloneArgs(args) : null;
      const result = (fn as (...a: unknown[]) => unknown)(...args);
      if (copy != null) {
        seen.add(key!);
        list.push(copy);
      }
      return result;
    };
  }
  const stop = () => {
    for (const [name, fn] of originals) addon[name] = fn;
  };
  return { samples, stop };
}

/** One argument made wrong in one way: a shorter or differently typed array, a bad dimension... */
function mutateArg(r: Rand, v: unknown): unknown {
  if (v instanceof Float32Array) {
    return r.pick([
      () => v.slice(0, Math.max(0, v.length - r.int(1, 3))),
      () => new Float32Array(0),
      () => new Float64Array(v.length),
      () => new Int32Array(v.length),
      () => Array.from(v),
      () => undefined,
    ])();
  }
  if (ArrayBuffer.isView(v))
    return r.pick([() => new Float32Array((v as Int32Array).length), () => (v as Int32Array).slice(1), () => null])();
  if (Array.isArray(v)) {
    const out = v.slice();
    const i = r.int(0, Math.max(0, out.length - 1));
    return r.pick([
      () => (out.length ? ((out[i] = (out[i] as number) + r.int(1, 3)), out) : [1]),
      () => (out.length ? ((out[i] = 0), out) : out),
      () => (out.length ? ((out[i] = -1), out) : [-1]),
      () => (out.length ? ((out[i] = 2.5), out) : [2.5]),
      () => (out.length ? ((out[i] = 1e9), out) : [1e9]),
      () => (out.length ? ((out[i] = 'x'), out) : ['x']),
      () => out.slice(0, -1),
      () => [...out, r.int(1, 4)],
      () => 7,
    ])();
  }
  if (typeof v === 'number') return r.pick([-1, 0, NaN, 1e12, 2.5, -7, Infinity, 'number', undefined]);
  if (typeof v === 'string') return r.pick(['bogus', '', 'NCHW', 7]);
  if (typeof v === 'boolean') return r.pick([1, 'true', undefined]);
  return r.pick([0, 'x', new Float32Array(1), undefined]);
}

/** Random values, for entry points called without a recorded sample. */
function garbageArg(r: Rand): unknown {
  return r.pick([
    () => new Float32Array(r.int(0, 64)),
    () => r.shape(r.int(0, 5), 0, 6),
    () => r.int(-2, 8),
    () => r.pick([NaN, -1, 1e12, 0.5, Infinity]),
    () => r.pick(['same', 'valid', 'NHWC', '', 'relu', 'bogus']),
    () => r.chance(0.5),
    () => r.pick([undefined, null, {}, new Int32Array(4), new Uint8Array(3), new Float64Array(2)]),
  ])();
}

/**
 * Calls every addon entry point with malformed arguments: recorded real calls with one or two
 * arguments mutated, one argument dropped or one added, and plain garbage. Each call must return
 * or throw an Error, never crash the process (that is the point of the progress marker).
 */
function fuzzAddon(
  addon: Record<string, unknown>,
  samples: Map<string, unknown[][]>,
  r: Rand,
  failures: string[],
  mark: (what: string) => void,
): { calls: number; errors: number } {
  let calls = 0;
  let errors = 0;
  const call = (name: string, fn: unknown, args: unknown[], what: string, mustWork = false) => {
    mark(`ADDON ${name} ${what}: (${args.map(argKind).join(', ')})`);
    calls++;
    try {
      (fn as (...a: unknown[]) => unknown)(...args);
    } catch (e) {
      errors++;
      if (failures.length >= 20) return;
      if (!(e instanceof Error)) failures.push(`${name} ${what}: threw a non-Error ${String(e)}`);
      else if (mustWork) failures.push(`${name} ${what}: a recorded valid call threw ${e.message}`);
    }
  };
  for (const [name, fn] of Object.entries(addon)) {
    if (typeof fn !== 'function' || name === 'info' || name === 'setNumThreads') continue;
    for (const [si, sample] of (samples.get(name) ?? []).entries()) {
      // The unmutated call must still work (a sanity check of the recording).
      call(name, fn, cloneArgs(sample), `sample ${si} as recorded`, true);
      for (let i = 0; i < 40; i++) {
        const args = cloneArgs(sample);
        const what = `sample ${si} mutation ${i} (seed ${r.seed})`;
        if (i % 10 === 8) args.pop();
        else if (i % 10 === 9) args.push(garbageArg(r));
        else {
          for (let m = r.chance(0.3) ? 2 : 1; m > 0; m--) {
            const at = r.int(0, args.length - 1);
            args[at] = mutateArg(r, args[at]);
          }
        }
        call(name, fn, args, what);
      }
    }
    for (let i = 0; i < 20; i++) {
      call(
        name,
        fn,
        Array.from({ length: r.int(0, 12) }, () => garbageArg(r)),
        `garbage ${i} (seed ${r.seed})`,
      );
    }
  }
  return { calls, errors };
}

async function childMain(): Promise<void> {
  const { tf } = await import('../../src/index.js');
  globalThis.__tsganFuzzTf = tf;
  if (tf.getBackend() !== 'native') throw new Error(`fuzz: backend is ${tf.getBackend()}, not native`);
  // Silence MathBackendCPU's one-time hint on the cpu side.
  tf.setBackend('cpu');
  (tf.backend() as unknown as { firstUse: boolean }).firstUse = false;
  tf.setBackend('native');

  const seconds = Number(process.env.TSGAN_FUZZ_SECONDS ?? '60');
  const baseSeed =
    process.env.TSGAN_FUZZ_SEED != null ? Number(process.env.TSGAN_FUZZ_SEED) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
  const maxCases = Number(process.env.TSGAN_FUZZ_CASES ?? 'Infinity');
  const res: FuzzResult = {
    baseSeed,
    cases: 0,
    valid: 0,
    invalid: 0,
    byOp: {},
    failures: [],
    failureCount: 0,
    addonCalls: 0,
    addonErrors: 0,
    addonFailures: [],
    leakCases: 0,
    unreached: [],
  };
  console.log(`FUZZ_SEED ${baseSeed}`);
  const mark = progressMarker();
  const native = tf.backend() as unknown as { addon?: Record<string, unknown> };
  const recording = native.addon != null ? recordAddonCalls(native.addon, 6) : null;
  const samples = recording?.samples ?? new Map<string, unknown[][]>();
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000 && res.cases < maxCases) {
    const seed = (baseSeed + res.cases) >>> 0;
    const r = new Rand(seed);
    const c = pickGenerator(r)(r);
    mark(`CASE seed ${seed} ${c.op} ${c.desc}`);
    res.cases++;
    res.byOp[c.op] = (res.byOp[c.op] ?? 0) + 1;
    // tfjs itself leaks a few tensors when a gradient throws half-way; native must not leak more than cpu.
    const n0 = tf.memory().numTensors;
    const cpu = runOn(tf, 'cpu', c);
    const n1 = tf.memory().numTensors;
    const nat = runOn(tf, 'native', c);
    const n2 = tf.memory().numTensors;
    if (n2 - n1 > n1 - n0) {
      res.leakCases++;
      if (res.failures.length < 30) {
        res.failures.push({
          seed,
          op: c.op,
          desc: c.desc,
          message: `native left ${n2 - n1} tensors behind, cpu ${n1 - n0}`,
        });
      }
    }
    if (cpu.ok && !c.invalid) res.valid++;
    else res.invalid++;
    const diff = compare(nat, cpu, c.invalid === true);
    if (diff != null) {
      res.failureCount++;
      if (res.failures.length < 30) res.failures.push({ seed, op: c.op, desc: c.desc, message: diff });
    }
  }
  tf.setBackend('native');
  recording?.stop();
  if (native.addon != null) {
    const a = fuzzAddon(native.addon, samples, new Rand((baseSeed ^ 0x9e3779b9) >>> 0), res.addonFailures, mark);
    res.addonCalls = a.calls;
    res.unreached = [...samples].filter(([, l]) => l.length === 0).map(([k]) => k);
    res.addonErrors = a.errors;
  }
  console.log(`FUZZ_RESULT ${JSON.stringify(res)}`);
}

// ---------------------------------------------------------------------------------------------
// The test: run the child, read its verdict.

if (process.env.TSGAN_FUZZ_CHILD === '1') {
  await childMain();
} else {
  const seconds = Number(process.env.TSGAN_FUZZ_SECONDS ?? '60');
  test(`fuzz: random op cases on native vs cpu for ${seconds} s, then malformed addon calls`, {
    timeout: (seconds + 120) * 1000,
  }, () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-fuzz-'));
    const progress = path.join(dir, 'progress.txt');
    const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
      env: {
        ...process.env,
        TSGAN_FUZZ_CHILD: '1',
        TSGAN_FUZZ_SECONDS: String(seconds),
        TSGAN_FUZZ_PROGRESS: progress,
      },
      encoding: 'utf8',
      timeout: (seconds + 100) * 1000,
      maxBuffer: 256 << 20,
    });
    const lines = (r.stdout ?? '').split('\n');
    const seedLine = lines.find((l) => l.startsWith('FUZZ_SEED ')) ?? 'FUZZ_SEED ?';
    let last = '(none)';
    try {
      last = readFileSync(progress, 'utf8').trim();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const crashInfo = `${seedLine}; last case started: ${last}\nstderr: ${(r.stderr ?? '').slice(-3000)}`;
    assert.equal(r.signal, null, `fuzz child killed by ${r.signal} (crash or timeout). ${crashInfo}`);
    assert.equal(r.status, 0, `fuzz child exited with ${r.status}. ${crashInfo}`);
    const line = lines.find((l) => l.startsWith('FUZZ_RESULT '));
    assert.ok(line, `fuzz child printed no result. ${crashInfo}`);
    const res = JSON.parse(line.slice('FUZZ_RESULT '.length)) as FuzzResult;
    const summary =
      `seed ${res.baseSeed}: ${res.cases} cases (${res.valid} valid, ${res.invalid} invalid), ` +
      `${res.addonCalls} addon calls with recorded/mutated/garbage arguments (${res.addonErrors} threw)`;
    console.log(`fuzz ${summary}`);
    if (res.unreached.length) console.log(`fuzz: addon entry points no fuzzed op reached: ${res.unreached.join(', ')}`);
    const shown = res.failures.map((f) => `  seed ${f.seed} ${f.op} ${f.desc}\n    ${f.message}`).join('\n');
    assert.equal(
      res.failureCount,
      0,
      `${res.failureCount} fuzz cases disagree with cpu (${summary}); replay one with TSGAN_FUZZ_SEED=<seed>:\n${shown}`,
    );
    assert.deepEqual(res.addonFailures, [], 'addon entry points misbehaved on recorded or malformed arguments');
    assert.equal(
      res.leakCases,
      0,
      `${res.leakCases} cases leave more tensors behind on native than on cpu (${summary}):\n${shown}`,
    );
    // The run must have exercised both sides: results compared, and errors raised.
    assert.ok(res.valid >= Math.min(50, res.cases / 2), `too few valid cases: ${summary}`);
    assert.ok(res.invalid > 0 || res.cases < 200, `no invalid case was generated: ${summary}`);
  });
}
