// PadV2: constant padding of a float32 tensor. C++: native/kernels/pad_v2.cc
import { PadV2, type KernelConfig, type PadV2Attrs, type PadV2Inputs } from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { nativeFn } from './elementwise.js';
import { cpuFallback, f32, sizeOf, type KernelArgs } from './util.js';

export const padV2Config: KernelConfig = {
  kernelName: PadV2,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const { x } = args.inputs as PadV2Inputs;
    const { paddings, constantValue } = args.attrs as unknown as PadV2Attrs;
    const xv = f32(backend, x!);
    const flat = paddings.flat(); // [before0, after0, before1, after1, ...]
    // Negative paddings (cropping) and other dtypes: the cpu kernel.
    if (xv == null || flat.some((p) => !(p >= 0))) return cpuFallback(PadV2, args as KernelArgs);
    const shape = paddings.map((p, i) => p[0] + x!.shape[i]! + p[1]); // padded shape
    const out = backend.allocF32(sizeOf(shape), false);
    nativeFn(backend, PadV2)(xv, x!.shape, flat, constantValue, out);
    return backend.makeTensorInfo(shape, 'float32', out);
  },
};
