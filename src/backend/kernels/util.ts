// Shared glue for native kernels: zero-copy access to the cpu storage and the fallback to the
// tfjs cpu kernel for what the C++ side does not handle (non-float32 dtypes, exotic attributes).
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';

export interface KernelArgs {
  inputs: NamedTensorInfoMap;
  backend: tf.KernelBackend;
  attrs?: NamedAttrMap;
}

/** The Float32Array that holds a tensor's values in the cpu storage, or null if it is not float32. */
export function f32(backend: NativeBackend, t: TensorInfo): Float32Array | null {
  if (t.dtype !== 'float32') return null;
  const v = backend.data.get(t.dataId).values;
  return v instanceof Float32Array ? v : null;
}

/** Values of every tensor as Float32Arrays, or null if any is not a plain float32 tensor. */
export function allF32(backend: NativeBackend, ts: TensorInfo[]): Float32Array[] | null {
  const out: Float32Array[] = [];
  for (const t of ts) {
    const v = f32(backend, t);
    if (v == null) return null;
    out.push(v);
  }
  return out;
}

/** Runs the tfjs cpu kernel of the same name on the native backend's storage. */
export function cpuFallback(kernelName: string, args: KernelArgs): TensorInfo | TensorInfo[] {
  const k = tf.getKernel(kernelName, 'cpu');
  if (k == null) throw new Error(`tsgan: no cpu kernel '${kernelName}' to fall back to`);
  (args.backend as Partial<NativeBackend>).noteFallback?.(kernelName);
  return (k.kernelFunc as KernelFunc)(args as Parameters<KernelFunc>[0]);
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Wraps a Float32Array the kernel filled as a tensor of the native backend. */
export function output(backend: NativeBackend, shape: number[], values: Float32Array): TensorInfo {
  return backend.makeTensorInfo(shape, 'float32', values);
}
