// Fill: a float32 tensor of one value (tf.fill, tf.zeros/ones through it). C++: native/kernels/fill.cc
import { Fill, util, type FillAttrs, type KernelConfig } from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { cpuFallback, type KernelArgs } from './util.js';

export const fillConfig: KernelConfig = {
  kernelName: Fill,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const { shape, value, dtype } = args.attrs as unknown as FillAttrs;
    if ((dtype ?? util.inferDtype(value)) !== 'float32' || typeof value !== 'number')
      return cpuFallback(Fill, args as KernelArgs);
    const out = backend.allocF32(util.sizeFromShape(shape), false);
    backend.run('Fill', out, value);
    return backend.makeTensorInfo(shape, 'float32', out);
  },
};
