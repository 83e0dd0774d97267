// TsganMirrorPadGrad (a tsgan kernel, not a tfjs one): the exact gradient of MirrorPad, dx[i] = the
// sum of dy over every padded position that copied x[i]. tfjs 4.22's MirrorPad gradient keeps only
// the centre; src/nn/reflection_pad.ts calls this kernel where it is registered and composes the
// same sum from slices elsewhere. C++: native/kernels/mirror_pad.cc
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { nativeFn } from './elementwise.js';
import { f32, sizeOf } from './util.js';

export const MIRROR_PAD_GRAD = 'TsganMirrorPadGrad';

export interface MirrorPadGradAttrs {
  /** The unpadded input's shape. */
  xShape: number[];
  /** [before, after] per dimension, as MirrorPad's. */
  paddings: [number, number][];
  mode: 'reflect' | 'symmetric';
}

export const mirrorPadGradConfig: KernelConfig = {
  kernelName: MIRROR_PAD_GRAD,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const dy = (args.inputs as { dy: TensorInfo }).dy;
    const { xShape, paddings, mode } = args.attrs as unknown as MirrorPadGradAttrs;
    const dyv = f32(backend, dy);
    if (dyv == null) throw new Error(`${MIRROR_PAD_GRAD}: dy must be float32`);
    const out = backend.allocF32(sizeOf(xShape), false);
    nativeFn(backend, 'MirrorPadGrad')(dyv, xShape, paddings.flat(), mode === 'symmetric', out);
    return backend.makeTensorInfo(xShape, 'float32', out);
  },
};
