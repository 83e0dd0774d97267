// ZerosLike: a tensor of 0s with x's shape and dtype (tf.where's gradient makes one per call for the
// condition). float32 through the native Fill (native/kernels/fill.cc); bool and int32 as typed
// arrays filled with 0; complex64 and strings: the cpu kernel.
import { ZerosLike, type KernelConfig, type ZerosLikeInputs } from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { cpuFallback, sizeOf, type KernelArgs } from './util.js';

export const zerosLikeConfig: KernelConfig = {
  kernelName: ZerosLike,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const { x } = args.inputs as ZerosLikeInputs;
    const n = sizeOf(x!.shape);
    if (x!.dtype === 'float32') {
      const out = backend.allocF32(n, false);
      backend.run('Fill', out, 0);
      return backend.makeTensorInfo(x!.shape, 'float32', out);
    }
    if (x!.dtype === 'bool') return backend.makeTensorInfo(x!.shape, 'bool', new Uint8Array(n));
    if (x!.dtype === 'int32') return backend.makeTensorInfo(x!.shape, 'int32', new Int32Array(n));
    return cpuFallback(ZerosLike, args as KernelArgs);
  },
};
