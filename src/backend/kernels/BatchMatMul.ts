// BatchMatMul: op(a) * op(b) over broadcast batch dims (transposeA/transposeB on the last two dims).
// C++: native/kernels/batch_matmul.cc. Non-float32 inputs and invalid shapes run the tfjs cpu kernel.
import { BatchMatMul, type BatchMatMulAttrs, type BatchMatMulInputs, type KernelConfig } from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { matMulShape } from './matmul_util.js';
import { cpuFallback, f32, output, sizeOf, type KernelArgs } from './util.js';

export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const { a, b } = args.inputs as BatchMatMulInputs;
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    const av = f32(backend, a!);
    const bv = f32(backend, b!);
    const shape = matMulShape(a!, b!, transposeA, transposeB);
    if (av == null || bv == null || shape == null) return cpuFallback(BatchMatMul, args as KernelArgs);
    const out = backend.allocF32(sizeOf(shape.out), false);
    backend.run('BatchMatMul', av, bv, out, a!.shape, b!.shape, transposeA, transposeB);
    return output(backend, shape.out, out);
  },
};
