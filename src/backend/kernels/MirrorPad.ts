// MirrorPad: reflect or symmetric padding of a float32 tensor. C++: native/kernels/mirror_pad.cc
import { type KernelConfig, MirrorPad, type MirrorPadAttrs, type MirrorPadInputs } from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { nativeFn } from './elementwise.js';
import { cpuFallback, f32, type KernelArgs, sizeOf } from './util.js';

export const mirrorPadConfig: KernelConfig = {
  kernelName: MirrorPad,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const { x } = args.inputs as MirrorPadInputs;
    const { paddings, mode } = args.attrs as unknown as MirrorPadAttrs;
    const xv = f32(backend, x!);
    if (xv == null || x!.shape.length === 0) return cpuFallback(MirrorPad, args as KernelArgs);
    const shape = paddings.map((p, i) => p[0] + x!.shape[i]! + p[1]); // padded shape
    const out = backend.allocF32(sizeOf(shape), false);
    nativeFn(backend, MirrorPad)(xv, x!.shape, paddings.flat(), mode === 'symmetric', out);
    return backend.makeTensorInfo(shape, 'float32', out);
  },
};
