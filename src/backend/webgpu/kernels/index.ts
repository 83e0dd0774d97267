// The kernels tsgan registers over TensorFlow.js's stock webgpu kernels: one file per kernel,
// listed here. Each keeps the stock kernel as its fallback for cases it does not handle (NCHW,
// non-float32; AddN: few inputs). Speed: Conv2DBackpropFilter, Conv2DBackpropInput. Correctness:
// AddN (the stock kernel fails with more than 7 inputs). The fused Adam update (AdamUpdate.ts) is not a tfjs kernel: src/optim calls it.
import * as tf from '@tensorflow/tfjs-core';

import { addNWebGPU } from './AddN.js';
import { conv2DBackpropFilterWebGPU } from './Conv2DBackpropFilter.js';
import { conv2DBackpropInputWebGPU } from './Conv2DBackpropInput.js';
import type { KernelArgs } from './program.js';

type Impl = (args: KernelArgs, stock: tf.KernelFunc) => tf.TensorInfo;

const KERNELS: [string, Impl][] = [
  [tf.AddN, addNWebGPU],
  [tf.Conv2DBackpropFilter, conv2DBackpropFilterWebGPU],
  [tf.Conv2DBackpropInput, conv2DBackpropInputWebGPU],
];

const TSGAN_MARK = Symbol.for('tsgan.webgpuKernel');

/**
 * Registers tsgan's kernels for the 'webgpu' backend (after @tensorflow/tfjs-backend-webgpu has
 * registered its own). Idempotent. Returns the kernel names. TSGAN_WEBGPU_STOCK=1 keeps the stock
 * kernels (for comparisons).
 */
export function registerWebGPUKernels(backendName = 'webgpu'): string[] {
  if (typeof process !== 'undefined' && process.env?.TSGAN_WEBGPU_STOCK === '1') return [];
  const names: string[] = [];
  for (const [name, impl] of KERNELS) {
    const current = tf.getKernel(name, backendName);
    if (current == null) throw new Error(`tsgan: the ${backendName} backend has no stock '${name}' kernel to extend`);
    names.push(name);
    if ((current.kernelFunc as unknown as Record<symbol, boolean>)[TSGAN_MARK]) continue;
    const stock = current.kernelFunc;
    const kernelFunc = ((args: Parameters<tf.KernelFunc>[0]) => impl(args as never, stock)) as tf.KernelFunc;
    (kernelFunc as unknown as Record<symbol, boolean>)[TSGAN_MARK] = true;
    tf.unregisterKernel(name, backendName);
    tf.registerKernel({ ...current, kernelFunc });
  }
  return names;
}
