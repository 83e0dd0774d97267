// AddN: the sum of several same-shape tensors, added left to right. C++: native/kernels/add_n.cc
import { AddN, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { nativeFn } from './elementwise.js';
import { cpuFallback, allF32, type KernelArgs } from './util.js';

export const addNConfig: KernelConfig = {
  kernelName: AddN,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const tensors = args.inputs as unknown as TensorInfo[];
    const vals = tensors.length > 0 ? allF32(backend, tensors) : null;
    if (vals == null) return cpuFallback(AddN, args as KernelArgs);
    const out = backend.allocF32(vals[0]!.length);
    nativeFn(backend, AddN)(vals, out);
    return backend.makeTensorInfo(tensors[0]!.shape, 'float32', out);
  },
};
