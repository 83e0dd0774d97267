// SplitV: x cut into pieces of the given sizes along one axis (tf.split). C++: native/kernels/split_v.cc
import {
  backend_util,
  SplitV,
  util,
  type KernelConfig,
  type SplitVAttrs,
  type SplitVInputs,
  type Tensor,
} from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { cpuFallback, f32, sizeOf, type KernelArgs } from './util.js';

export const splitVConfig: KernelConfig = {
  kernelName: SplitV,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const { x } = args.inputs as SplitVInputs;
    const { numOrSizeSplits, axis } = args.attrs as unknown as SplitVAttrs;
    const xv = f32(backend, x!);
    if (xv == null) return cpuFallback(SplitV, args as KernelArgs);
    const ax = util.parseAxisParam(axis, x!.shape)[0]!;
    // Checks the sizes like the cpu kernel (and resolves a -1 size).
    const sizes = backend_util.prepareSplitSize(x as unknown as Tensor, numOrSizeSplits, ax);
    const outer = sizeOf(x!.shape.slice(0, ax));
    const inner = sizeOf(x!.shape.slice(ax + 1));
    const outs = sizes.map((s) => backend.allocF32(outer * s * inner, false));
    backend.run('SplitV', xv, outer, inner, sizes, outs);
    return outs.map((o, k) => {
      const shape = x!.shape.slice();
      shape[ax] = sizes[k]!;
      return backend.makeTensorInfo(shape, 'float32', o);
    });
  },
};
