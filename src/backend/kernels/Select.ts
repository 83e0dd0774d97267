// Select: condition ? t : e, elementwise (tfjs broadcasts the operands first). C++: native/kernels/select.cc
import { Select, util, type KernelConfig, type SelectInputs } from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { nativeFn } from './elementwise.js';
import { cpuFallback, f32, type KernelArgs } from './util.js';

export const selectConfig: KernelConfig = {
  kernelName: Select,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const { condition, t, e } = args.inputs as SelectInputs;
    const c = condition!.dtype === 'bool' ? backend.data.get(condition!.dataId).values : null;
    const tv = f32(backend, t!);
    const ev = f32(backend, e!);
    // Conditions of another shape than t/e (rank-1 conditions in direct kernel use) and other dtypes: the cpu kernel.
    if (
      !(c instanceof Uint8Array) ||
      tv == null ||
      ev == null ||
      !util.arraysEqual(condition!.shape, t!.shape) ||
      !util.arraysEqual(e!.shape, t!.shape)
    ) {
      return cpuFallback(Select, args as KernelArgs);
    }
    const out = backend.allocF32(tv.length, false);
    nativeFn(backend, Select)(c, tv, ev, out);
    return backend.makeTensorInfo(t!.shape, 'float32', out);
  },
};
