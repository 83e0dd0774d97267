// AddN on webgpu with any number of inputs. The stock kernel binds every input as its own storage
// buffer in one shader; past the device's maxStorageBuffersPerShaderStage (8 by default, one taken
// by the output) pipeline creation fails and the result is silently garbage: 8 scalars 1..8 summed
// to 28, found by tsgan's webgpu training parity test (a conditional G's gradient norm over 8
// weights). Here inputs are summed in groups that fit, then the partial sums, recursively.
import type * as tf from '@tensorflow/tfjs-core';

import type { KernelArgs, WebGPUBackendLike } from './program.js';

export function addNWebGPU(args: KernelArgs, stock: tf.KernelFunc): tf.TensorInfo {
  const tensors = args.inputs as unknown as tf.TensorInfo[];
  const backend = args.backend as WebGPUBackendLike;
  const limit = backend.device.limits.maxStorageBuffersPerShaderStage ?? 8;
  const group = Math.max(2, limit - 1); // inputs per shader: one binding is the output
  if (tensors.length <= group) return stock(args as never) as tf.TensorInfo;
  const partials: tf.TensorInfo[] = [];
  for (let i = 0; i < tensors.length; i += group) {
    const chunk = tensors.slice(i, i + group);
    partials.push(
      chunk.length === 1
        ? chunk[0]!
        : addNWebGPU({ ...args, inputs: chunk as unknown as tf.NamedTensorInfoMap }, stock),
    );
  }
  const out = addNWebGPU({ ...args, inputs: partials as unknown as tf.NamedTensorInfoMap }, stock);
  for (const [i, p] of partials.entries()) if (p !== tensors[i * group]) backend.disposeData(p.dataId);
  return out;
}
