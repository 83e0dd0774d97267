// OnesLike: a tensor of 1s with x's shape and dtype (tf.where's gradient makes one per call for the
// condition). float32 through the native Fill (native/kernels/fill.cc); bool and int32 as typed
// arrays filled with 1; complex64 and strings: the cpu kernel.
import { OnesLike, type KernelConfig, type OnesLikeInputs } from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { cpuFallback, sizeOf, type KernelArgs } from './util.js';

export const onesLikeConfig: KernelConfig = {
  kernelName: OnesLike,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const { x } = args.inputs as OnesLikeInputs;
    const n = sizeOf(x!.shape);
    if (x!.dtype === 'float32') {
      const out = backend.allocF32(n, false);
      backend.run('Fill', out, 1);
      return backend.makeTensorInfo(x!.shape, 'float32', out);
    }
    if (x!.dtype === 'bool') return backend.makeTensorInfo(x!.shape, 'bool', new Uint8Array(n).fill(1));
    if (x!.dtype === 'int32') return backend.makeTensorInfo(x!.shape, 'int32', new Int32Array(n).fill(1));
    return cpuFallback(OnesLike, args as KernelArgs);
  },
};
