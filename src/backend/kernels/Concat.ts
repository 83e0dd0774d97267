// Concat: float32 tensors joined along one axis (tf.concat). C++: native/kernels/concat.cc
import {
  backend_util,
  Concat,
  util,
  type ConcatAttrs,
  type KernelConfig,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { allF32, cpuFallback, sizeOf, type KernelArgs } from './util.js';

export const concatConfig: KernelConfig = {
  kernelName: Concat,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const inputs = args.inputs as unknown as TensorInfo[];
    const { axis } = args.attrs as unknown as ConcatAttrs;
    if (inputs.length === 0) return cpuFallback(Concat, args as KernelArgs);
    const ax = util.parseAxisParam(axis, inputs[0]!.shape)[0]!;
    const shapes = inputs.map((t) => t.shape);
    backend_util.assertParamsConsistent(shapes, ax);
    const outShape = backend_util.computeOutShape(shapes, ax);
    const nonEmpty = inputs.filter((t) => sizeOf(t.shape) > 0);
    // Empty results, a single non-empty input (an identity) and other dtypes: the cpu kernel.
    const vals = nonEmpty.length > 1 ? allF32(backend, nonEmpty) : null;
    if (vals == null || sizeOf(outShape) === 0) return cpuFallback(Concat, args as KernelArgs);
    const outer = sizeOf(outShape.slice(0, ax));
    const widths = vals.map((v) => v.length / outer);
    const out = backend.allocF32(sizeOf(outShape), false);
    backend.run('Concat', vals, outer, widths, out);
    return backend.makeTensorInfo(outShape, 'float32', out);
  },
};
