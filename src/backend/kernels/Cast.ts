// Cast: bool or int32 to float32 into a real Float32Array (tfjs cpu keeps the Uint8Array/Int32Array
// under the float32 dtype, which sent every float kernel that read it, e.g. the Multiply of tf.where's
// gradient, to the cpu fallback), and float32 to bool. Other casts: the cpu kernel.
// C++: native/kernels/cast.cc
import { Cast, type CastAttrs, type CastInputs, type KernelConfig } from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { cpuFallback, type KernelArgs } from './util.js';

export const castConfig: KernelConfig = {
  kernelName: Cast,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const { x } = args.inputs as CastInputs;
    const { dtype } = args.attrs as unknown as CastAttrs;
    const xv = backend.data.get(x!.dataId).values;
    const toFloat =
      dtype === 'float32' &&
      ((x!.dtype === 'bool' && xv instanceof Uint8Array) || (x!.dtype === 'int32' && xv instanceof Int32Array));
    const toBool = dtype === 'bool' && x!.dtype === 'float32' && xv instanceof Float32Array;
    if (!toFloat && !toBool) return cpuFallback(Cast, args as KernelArgs);
    const n = (xv as Uint8Array | Int32Array | Float32Array).length;
    const out = toFloat ? backend.allocF32(n, false) : new Uint8Array(n);
    backend.run('Cast', xv, out);
    return backend.makeTensorInfo(x!.shape, dtype, out);
  },
};
