// Shared glue of the elementwise kernels (C++: native/elementwise.{h,cc}): float32 tensors go to
// the addon without copies; anything else falls back to the tfjs cpu kernel. Kept lean because
// most calls in a training step are on small tensors: one output allocation, no shapes passed when
// the operands have the same shape or one of them is a single value.
import { backend_util, util } from '@tensorflow/tfjs-core';
import type { DataType, KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { cpuFallback, f32, sizeOf, type KernelArgs } from './util.js';

/** kMaxBroadcastRank in native/broadcast.h. */
const MAX_BROADCAST_RANK = 16;

/** A kernel entry point of the addon, called with the arguments its C++ side documents. */
export type NativeKernelFn = (...args: unknown[]) => unknown;

/** The addon's function for `name`; throws a readable error when the build lacks it. */
export function nativeFn(backend: NativeBackend, name: string): NativeKernelFn {
  const fn = backend.addon[name];
  if (typeof fn !== 'function')
    throw new Error(`tsgan: the native addon has no kernel '${name}' (rebuild with npm install)`);
  return fn as unknown as NativeKernelFn;
}

/** An output buffer for `n` elements, every one written by the kernel: Float32Array (pooled), or Uint8Array for tfjs 'bool'. */
function alloc(backend: NativeBackend, dtype: 'float32' | 'bool', n: number): Float32Array | Uint8Array {
  return dtype === 'bool' ? new Uint8Array(n) : backend.allocF32(n, false);
}

/**
 * A binary kernel with tfjs broadcasting: float32 x float32 -> `outDtype` (float32, or bool for
 * comparisons, stored as Uint8Array like the cpu backend does). `names` are the input names.
 */
export function binaryKernelConfig(
  kernelName: string,
  outDtype: 'float32' | 'bool' = 'float32',
  names: readonly [string, string] = ['a', 'b'],
): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const backend = args.backend as NativeBackend;
    const a = args.inputs[names[0]] as TensorInfo;
    const b = args.inputs[names[1]] as TensorInfo;
    const av = f32(backend, a);
    const bv = f32(backend, b);
    if (av == null || bv == null) return cpuFallback(kernelName, args as KernelArgs);
    const fn = nativeFn(backend, kernelName);
    if (util.arraysEqual(a.shape, b.shape)) {
      const y = alloc(backend, outDtype, av.length);
      fn(av, bv, y);
      return backend.makeTensorInfo(a.shape, outDtype as DataType, y);
    }
    const shape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape); // broadcast of a and b
    const n = sizeOf(shape);
    const scalarLike = (av.length === 1 && bv.length === n) || (bv.length === 1 && av.length === n);
    // The C++ broadcaster handles up to MAX_BROADCAST_RANK dimensions.
    if (!scalarLike && shape.length > MAX_BROADCAST_RANK) return cpuFallback(kernelName, args as KernelArgs);
    const y = alloc(backend, outDtype, n);
    if (scalarLike) fn(av, bv, y);
    else fn(av, a.shape, bv, b.shape, y);
    return backend.makeTensorInfo(shape, outDtype as DataType, y);
  };
  return { kernelName, backendName: 'native', kernelFunc };
}

/** A unary float32 kernel; `alphaAttr` names the attribute passed as alpha (LeakyRelu, Step). */
export function unaryKernelConfig(kernelName: string, alphaAttr?: string): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const backend = args.backend as NativeBackend;
    const x = args.inputs.x as TensorInfo;
    const xv = f32(backend, x);
    if (xv == null) return cpuFallback(kernelName, args as KernelArgs);
    const y = backend.allocF32(xv.length, false);
    if (alphaAttr === undefined) nativeFn(backend, kernelName)(xv, y);
    else nativeFn(backend, kernelName)(xv, y, Number(args.attrs?.[alphaAttr] ?? 0));
    return backend.makeTensorInfo(x.shape, 'float32', y);
  };
  return { kernelName, backendName: 'native', kernelFunc };
}
