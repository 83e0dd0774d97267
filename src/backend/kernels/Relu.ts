// Relu: y = max(x, 0). C++: native/kernels/relu.cc
import { Relu, type KernelConfig, type UnaryInputs } from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { cpuFallback, f32, output, sizeOf, type KernelArgs } from './util.js';

export const reluConfig: KernelConfig = {
  kernelName: Relu,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const x = (args.inputs as UnaryInputs).x!;
    const xv = f32(backend, x);
    if (xv == null) return cpuFallback(Relu, args as KernelArgs);
    const out = new Float32Array(sizeOf(x.shape));
    backend.run('Relu', xv, out);
    return output(backend, x.shape, out);
  },
};
