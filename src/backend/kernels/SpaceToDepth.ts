// TsganSpaceToDepth (a tsgan kernel: tfjs 4.22 has no SpaceToDepth): the inverse of DepthToSpace,
// x [N, H*b, W*b, C] -> [N, H, W, C*b*b], and so the exact gradient of the pixel shuffle
// (src/nn/pixel_shuffle.ts registers it as DepthToSpace's gradient). C++: native/kernels/space_to_depth.cc
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { nativeFn } from './elementwise.js';
import { f32 } from './util.js';

export const SPACE_TO_DEPTH = 'TsganSpaceToDepth';

export interface SpaceToDepthAttrs {
  /** b: H and W shrink by b, C grows by b*b. */
  blockSize: number;
}

export const spaceToDepthConfig: KernelConfig = {
  kernelName: SPACE_TO_DEPTH,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const x = (args.inputs as { x: TensorInfo }).x;
    const { blockSize: b } = args.attrs as unknown as SpaceToDepthAttrs;
    const xv = f32(backend, x);
    if (xv == null || x.shape.length !== 4) throw new Error(`${SPACE_TO_DEPTH}: x must be a float32 [N, H, W, C]`);
    const [n, h, w, c] = x.shape as [number, number, number, number];
    if (h % b !== 0 || w % b !== 0) throw new Error(`${SPACE_TO_DEPTH}: block ${b} does not divide ${h}x${w}`);
    const out = backend.allocF32(xv.length, false);
    nativeFn(backend, 'SpaceToDepth')(xv, x.shape, b, out);
    return backend.makeTensorInfo([n, h / b, w / b, c * b * b], 'float32', out); // [N, H, W, C*b^2]
  },
};
