// Cast: bool or int32 to float32 into a real Float32Array (tfjs cpu keeps the Uint8Array/Int32Array
// under the float32 dtype, which sent every float kernel that read it, e.g. the Multiply of tf.where's
// gradient, to the cpu fallback); float32 or int32 to bool; float32 to int32 (JavaScript's ToInt32,
// as tfjs cpu). A cast to the same dtype shares the buffer, as tfjs cpu does. Other casts (complex64,
// bool to int32): the cpu kernel. C++: native/kernels/cast.cc
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
    if (dtype === x!.dtype && dtype !== 'complex64' && dtype !== 'string') {
      backend.incRef(x!.dataId);
      return { dataId: x!.dataId, shape: x!.shape, dtype };
    }
    const xv = backend.data.get(x!.dataId).values;
    const from =
      x!.dtype === 'bool' && xv instanceof Uint8Array
        ? 'bool'
        : x!.dtype === 'int32' && xv instanceof Int32Array
          ? 'int32'
          : x!.dtype === 'float32' && xv instanceof Float32Array
            ? 'float32'
            : null;
    const ok =
      from != null &&
      ((dtype === 'float32' && from !== 'float32') ||
        (dtype === 'bool' && from !== 'bool') ||
        (dtype === 'int32' && from === 'float32'));
    if (!ok) return cpuFallback(Cast, args as KernelArgs);
    const n = (xv as Uint8Array | Int32Array | Float32Array).length;
    const out =
      dtype === 'float32' ? backend.allocF32(n, false) : dtype === 'bool' ? new Uint8Array(n) : new Int32Array(n);
    backend.run('Cast', xv, out);
    return backend.makeTensorInfo(x!.shape, dtype, out);
  },
};
