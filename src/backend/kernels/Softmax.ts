// Softmax over the last dimension (tfjs's only supported dim). C++: native/kernels/softmax.cc
import { Softmax, type KernelConfig, type SoftmaxAttrs, type SoftmaxInputs } from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { cpuFallback, f32, type KernelArgs } from './util.js';

export const softmaxConfig: KernelConfig = {
  kernelName: Softmax,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const { logits } = args.inputs as SoftmaxInputs;
    const { dim } = args.attrs as unknown as SoftmaxAttrs;
    const rank = logits!.shape.length;
    const xv = f32(backend, logits!);
    // Another axis (tfjs raises its error there) or dtype, or an empty tensor: the cpu kernel.
    if (xv == null || rank === 0 || xv.length === 0 || !(dim === -1 || dim === rank - 1))
      return cpuFallback(Softmax, args as KernelArgs);
    const out = backend.allocF32(xv.length, false);
    backend.run('Softmax', xv, logits!.shape[rank - 1], out);
    return backend.makeTensorInfo(logits!.shape, 'float32', out);
  },
};
