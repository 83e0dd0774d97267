// LogicalOr on bool tensors of one shape, or with one operand a single value; other broadcasts
// go to the cpu kernel. C++: native/kernels/logical_or.cc
import { backend_util, LogicalOr, util, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { cpuFallback, type KernelArgs } from './util.js';

export const logicalOrConfig: KernelConfig = {
  kernelName: LogicalOr,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const a = args.inputs.a as TensorInfo;
    const b = args.inputs.b as TensorInfo;
    const av = backend.data.get(a.dataId).values;
    const bv = backend.data.get(b.dataId).values;
    if (a.dtype !== 'bool' || b.dtype !== 'bool' || !(av instanceof Uint8Array) || !(bv instanceof Uint8Array))
      return cpuFallback(LogicalOr, args as KernelArgs);
    const shape = util.arraysEqual(a.shape, b.shape)
      ? a.shape
      : backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const n = util.sizeFromShape(shape);
    if ((av.length !== n && av.length !== 1) || (bv.length !== n && bv.length !== 1))
      return cpuFallback(LogicalOr, args as KernelArgs);
    const out = new Uint8Array(n);
    backend.run('LogicalOr', av, bv, out);
    return backend.makeTensorInfo(shape, 'bool', out);
  },
};
