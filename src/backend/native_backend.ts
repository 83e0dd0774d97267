// The `native` TensorFlow.js backend: tfjs's MathBackendCPU (same tensor storage, every cpu kernel)
// with the hot kernels replaced by C++ ones from the addon. Registered above `cpu`, so importing
// tsgan makes it the default backend in Node.
import os from 'node:os';

import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

import { NATIVE_BACKEND_NAME } from './active_native.js';
import { loadNativeAddon, type NativeAddon } from './native_addon.js';
import { nativeKernelConfigs } from './kernels/index.js';

/** The backend's registered name. */
export const NATIVE_BACKEND = NATIVE_BACKEND_NAME;
/** Above cpu (1) and webgl (2). */
export const NATIVE_PRIORITY = 3;

/** State of a float32 buffer the native kernels allocated (see NativeBackend.allocF32). */
const FRESH = 0; // handed to a kernel, not stored yet
const STORED = 1; // the values of exactly one tensor, never seen outside the backend
const EXPOSED = 2; // read by user code, shared by two tensors, or viewed by a subarray: never recycled

type Values = ArrayBufferView | string[] | Uint8Array[] | undefined;

/**
 * MathBackendCPU whose hot kernels run in C++. Tensor data stays in the cpu storage (Float32Arrays).
 *
 * Output buffers of native kernels come from a per-size pool: in a training loop the same shapes
 * repeat every step, and recycling their Float32Arrays spares the page faults and garbage
 * collections that fresh multi-megabyte arrays cost (more than the kernels themselves on
 * activation-sized tensors). A buffer goes back to the pool only when its tensor is disposed and it
 * was never exposed: not read by user code (readSync/read hand out the stored array itself), not
 * shared by a second tensor, and not viewed by a subarray. TSGAN_POOL_MB caps the pool (default 2048,
 * at most a quarter of the machine's memory; 0 turns it off). The cap must hold a step's activations:
 * CycleGAN's step at batch 4 frees about 1.5 GB of them, and under a 512 MB cap the buffers dropped
 * and allocated again each step set off a major garbage collection every ~250 ms (122 against 46 in
 * one benchmark run; 4.8 against 3.3 s of CPU time per step).
 */
export class NativeBackend extends MathBackendCPU {
  private readonly bufferState = new WeakMap<ArrayBufferLike, number>();
  private readonly pool = new Map<number, Float32Array[]>();
  private pooledBytes = 0;
  private readonly poolLimitBytes: number;
  /** Calls per kernel that a native kernel handed to the tfjs cpu kernel, while counting (bench presets --profile). */
  private fallbackCounts: Map<string, number> | null = null;

  constructor(readonly addon: NativeAddon) {
    super();
    // MathBackendCPU prints a "use tfjs-node" hint on first use in Node; the native backend is the answer to it.
    (this as unknown as { firstUse: boolean }).firstUse = false;
    const mb = Number(process.env.TSGAN_POOL_MB ?? Math.min(2048, os.totalmem() / 4 / 2 ** 20));
    this.poolLimitBytes = Number.isFinite(mb) && mb > 0 ? mb * 1024 * 1024 : 0;
  }

  /** Calls the C++ kernel `name` (see native/kernels/); its errors name the op and the shapes. */
  run(name: string, ...args: unknown[]): unknown {
    const fn = this.addon[name] as ((...a: unknown[]) => unknown) | undefined;
    if (typeof fn !== 'function')
      throw new Error(`tsgan: the native addon has no kernel '${name}' (rebuild with npm install)`);
    return fn(...args);
  }

  /**
   * A Float32Array of n elements for a kernel's output, recycled when possible. zeroed = false is for
   * kernels that write every element (the recycled array then keeps stale values until overwritten).
   */
  allocF32(n: number, zeroed = true): Float32Array {
    const list = this.pool.get(n);
    let a = list?.pop();
    if (a !== undefined) {
      this.pooledBytes -= a.byteLength;
      if (zeroed) a.fill(0);
    } else {
      a = new Float32Array(n);
    }
    this.bufferState.set(a.buffer, FRESH);
    return a;
  }

  /**
   * Starts (true) or stops (false) counting the calls that native kernels hand to the tfjs cpu
   * kernel (see kernels/util.ts cpuFallback); returns the counts taken since counting started.
   */
  countFallbacks(on: boolean): Map<string, number> {
    const counts = this.fallbackCounts ?? new Map<string, number>();
    this.fallbackCounts = on ? new Map() : null;
    return counts;
  }

  /** Called by cpuFallback: one call of `kernel` ran on the cpu kernel. */
  noteFallback(kernel: string): void {
    if (this.fallbackCounts != null) this.fallbackCounts.set(kernel, (this.fallbackCounts.get(kernel) ?? 0) + 1);
  }

  /** Bytes held by the pool now (for tests and `tsgan doctor`). */
  pooledBufferBytes(): number {
    return this.pooledBytes;
  }

  private noteStored(values: Values): void {
    if (values == null || !ArrayBuffer.isView(values)) return;
    const state = this.bufferState.get(values.buffer);
    if (state === undefined) return;
    const whole =
      values instanceof Float32Array && values.byteOffset === 0 && values.byteLength === values.buffer.byteLength;
    this.bufferState.set(values.buffer, state === FRESH && whole ? STORED : EXPOSED);
  }

  private expose(values: unknown): void {
    if (values != null && ArrayBuffer.isView(values) && this.bufferState.has(values.buffer))
      this.bufferState.set(values.buffer, EXPOSED);
  }

  override write(values: Parameters<MathBackendCPU['write']>[0], shape: number[], dtype: tf.DataType): tf.DataId {
    this.noteStored(values as Values);
    return super.write(values, shape, dtype);
  }

  override move(
    dataId: tf.DataId,
    values: Parameters<MathBackendCPU['move']>[1],
    shape: number[],
    dtype: tf.DataType,
    refCount: number,
  ): void {
    this.noteStored(values as Values);
    super.move(dataId, values, shape, dtype, refCount);
  }

  override readSync(dataId: tf.DataId): ReturnType<MathBackendCPU['readSync']> {
    const v = super.readSync(dataId);
    this.expose(v);
    return v;
  }

  override async read(dataId: tf.DataId): ReturnType<MathBackendCPU['read']> {
    const v = await super.read(dataId);
    this.expose(v);
    return v;
  }

  override disposeData(dataId: tf.DataId, force = false): boolean {
    const values = this.data.has(dataId) ? (this.data.get(dataId).values as Values) : undefined;
    const released = super.disposeData(dataId, force);
    if (released && values instanceof Float32Array && !this.data.has(dataId)) this.recycle(values);
    return released;
  }

  override dispose(): void {
    this.pool.clear();
    this.pooledBytes = 0;
    super.dispose();
  }

  private recycle(a: Float32Array): void {
    if (this.bufferState.get(a.buffer) !== STORED) return;
    if (this.pooledBytes + a.byteLength > this.poolLimitBytes) return;
    this.bufferState.set(a.buffer, FRESH);
    let list = this.pool.get(a.length);
    if (list === undefined) {
      list = [];
      this.pool.set(a.length, list);
    }
    list.push(a);
    this.pooledBytes += a.byteLength;
  }
}

export interface NativeRegistration {
  /** The backend tsgan will run on. */
  backend: 'native' | 'cpu';
  /** Why the native backend is not used, when it is not. */
  reason: string | null;
  /** Kernels that run in C++. */
  nativeKernels: string[];
}

/**
 * Registers the `native` backend (idempotent) and makes it the active one. If the addon cannot be
 * loaded, leaves tfjs on `cpu` and prints one line saying why (unless `quiet`).
 */
export function registerNativeBackend(opts: { quiet?: boolean } = {}): NativeRegistration {
  const names = nativeKernelConfigs.map((k) => k.kernelName);
  if (tf.findBackendFactory(NATIVE_BACKEND) != null) {
    return { backend: 'native', reason: null, nativeKernels: names };
  }
  const load = loadNativeAddon();
  if (load.addon == null) {
    // Run on cpu, without MathBackendCPU's multi-line "install tfjs-node" hint: the one line below says it all.
    void tf.setBackend('cpu');
    const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
    if (cpu != null) cpu.firstUse = false;
    if (!opts.quiet && process.env.TSGAN_QUIET !== '1') {
      process.stderr.write(`tsgan: running on tfjs cpu (slow): native backend unavailable: ${load.error}\n`);
    }
    return { backend: 'cpu', reason: load.error, nativeKernels: [] };
  }
  const addon = load.addon;
  tf.registerBackend(NATIVE_BACKEND, () => new NativeBackend(addon), NATIVE_PRIORITY);
  // Start from every cpu kernel, then override the ones that run natively.
  const overridden = new Set(names);
  for (const k of tf.getKernelsForBackend('cpu')) {
    if (!overridden.has(k.kernelName)) tf.registerKernel({ ...k, backendName: NATIVE_BACKEND });
  }
  for (const k of nativeKernelConfigs) tf.registerKernel({ ...k, backendName: NATIVE_BACKEND });
  void tf.setBackend(NATIVE_BACKEND);
  return { backend: 'native', reason: null, nativeKernels: names };
}
