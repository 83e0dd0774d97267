// Transpose: permutes the axes of a float32 or int32 tensor. C++: native/kernels/transpose.cc
import { Transpose, type KernelConfig, type TransposeAttrs, type TransposeInputs } from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { nativeFn } from './elementwise.js';
import { cpuFallback, type KernelArgs } from './util.js';

export const transposeConfig: KernelConfig = {
  kernelName: Transpose,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const { x } = args.inputs as TransposeInputs;
    const { perm } = args.attrs as unknown as TransposeAttrs;
    const xv = backend.data.get(x!.dataId).values;
    const isF32 = x!.dtype === 'float32' && xv instanceof Float32Array;
    const isI32 = x!.dtype === 'int32' && xv instanceof Int32Array;
    if (!isF32 && !isI32) return cpuFallback(Transpose, args as KernelArgs);
    const shape = perm.map((p) => x!.shape[p]!); // [x.shape[perm[0]], ...]
    const out = isF32 ? backend.allocF32(xv.length, false) : new Int32Array(xv.length);
    nativeFn(backend, Transpose)(xv, x!.shape, perm, out);
    return backend.makeTensorInfo(shape, x!.dtype, out);
  },
};
