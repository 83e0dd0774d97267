// Shared glue of the reduction kernels (C++: native/reduce.h): float32 input, any axes, keepDims
// as tfjs defines them; other dtypes (int32 and bool sums, ...) run the tfjs cpu kernel.
import { backend_util, util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { nativeFn } from './elementwise.js';
import { cpuFallback, f32, sizeOf, type KernelArgs } from './util.js';

/** A reduction kernel; `axisAttr` is the attribute that holds its axes ('axis', or 'reductionIndices' for Max). */
export function reduceKernelConfig(kernelName: string, axisAttr: 'axis' | 'reductionIndices' = 'axis'): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const backend = args.backend as NativeBackend;
    const x = args.inputs.x as TensorInfo;
    const xv = f32(backend, x);
    if (xv == null) return cpuFallback(kernelName, args as KernelArgs);
    const attrs = args.attrs ?? {};
    const axes = util.parseAxisParam(attrs[axisAttr] as number | number[], x.shape);
    const [outShape] = backend_util.computeOutAndReduceShapes(x.shape, axes); // kept dims, in order
    const out = backend.allocF32(sizeOf(outShape));
    nativeFn(backend, kernelName)(xv, x.shape, axes, out);
    const shape = attrs.keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
    return backend.makeTensorInfo(shape, 'float32', out);
  };
  return { kernelName, backendName: 'native', kernelFunc };
}
