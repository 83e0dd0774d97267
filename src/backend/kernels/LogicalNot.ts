// LogicalNot on bool tensors (the gradient of tf.where builds one per call). C++: native/kernels/logical_not.cc
import { LogicalNot, type KernelConfig, type LogicalNotInputs } from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { cpuFallback, type KernelArgs } from './util.js';

export const logicalNotConfig: KernelConfig = {
  kernelName: LogicalNot,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const { x } = args.inputs as LogicalNotInputs;
    const xv = backend.data.get(x!.dataId).values;
    if (x!.dtype !== 'bool' || !(xv instanceof Uint8Array)) return cpuFallback(LogicalNot, args as KernelArgs);
    const out = new Uint8Array(xv.length);
    backend.run('LogicalNot', xv, out);
    return backend.makeTensorInfo(x!.shape, 'bool', out);
  },
};
