// DepthToSpace (pixel shuffle) of a float32 NHWC tensor. C++: native/kernels/depth_to_space.cc
import {
  type DepthToSpaceAttrs,
  type DepthToSpaceInputs,
  DepthToSpace,
  type KernelConfig,
} from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { nativeFn } from './elementwise.js';
import { cpuFallback, f32, type KernelArgs } from './util.js';

export const depthToSpaceConfig: KernelConfig = {
  kernelName: DepthToSpace,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const { x } = args.inputs as DepthToSpaceInputs;
    const { blockSize, dataFormat } = args.attrs as unknown as DepthToSpaceAttrs;
    const xv = f32(backend, x!);
    if (xv == null || dataFormat !== 'NHWC' || x!.shape.length !== 4)
      return cpuFallback(DepthToSpace, args as KernelArgs);
    const [n, h, w, c] = x!.shape as [number, number, number, number];
    const shape = [n, h * blockSize, w * blockSize, c / (blockSize * blockSize)]; // [N, H*b, W*b, C/b^2]
    const out = backend.allocF32(xv.length, false);
    nativeFn(backend, DepthToSpace)(xv, x!.shape, blockSize, out);
    return backend.makeTensorInfo(shape, 'float32', out);
  },
};
