// FusedBatchNorm: offset + (x - mean) * scale / sqrt(variance + varianceEpsilon), parameters read
// cyclically along x like tfjs cpu. C++: native/kernels/fused_batch_norm.cc
import {
  FusedBatchNorm,
  type FusedBatchNormAttrs,
  type FusedBatchNormInputs,
  type KernelConfig,
} from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { nativeFn } from './elementwise.js';
import { cpuFallback, f32, type KernelArgs } from './util.js';

export const fusedBatchNormConfig: KernelConfig = {
  kernelName: FusedBatchNorm,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const { x, mean, variance, offset, scale } = args.inputs as FusedBatchNormInputs;
    const rank = mean!.shape.length;
    const xv = f32(backend, x!);
    const mv = f32(backend, mean!);
    const vv = f32(backend, variance!);
    const ov = offset != null ? f32(backend, offset) : undefined;
    const sv = scale != null ? f32(backend, scale) : undefined;
    // Other dtypes and mismatched parameter ranks: the cpu kernel (which also raises tfjs's errors).
    if (
      xv == null ||
      mv == null ||
      vv == null ||
      ov === null ||
      sv === null ||
      variance!.shape.length !== rank ||
      (offset != null && offset.shape.length !== rank) ||
      (scale != null && scale.shape.length !== rank)
    ) {
      return cpuFallback(FusedBatchNorm, args as KernelArgs);
    }
    const eps = (args.attrs as unknown as FusedBatchNormAttrs | undefined)?.varianceEpsilon ?? 0.001;
    const out = backend.allocF32(xv.length, false);
    nativeFn(backend, FusedBatchNorm)(xv, mv, vv, ov ?? null, sv ?? null, eps, out);
    return backend.makeTensorInfo(x!.shape, 'float32', out);
  },
};
