// _FusedMatMul: activation(op(a) * op(b) + bias), what tfjs-layers' dense layer runs.
// C++: native/kernels/fused_matmul.cc, which applies a per-column (or scalar) bias and prelu
// weights; other broadcast shapes and non-float32 inputs run the tfjs cpu kernel.
import {
  _FusedMatMul,
  type _FusedMatMulAttrs,
  type _FusedMatMulInputs,
  type KernelConfig,
} from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { NATIVE_ACTIVATIONS, perChannel } from './conv_util.js';
import { matMulShape } from './matmul_util.js';
import { cpuFallback, f32, output, sizeOf, type KernelArgs } from './util.js';

export const fusedMatMulConfig: KernelConfig = {
  kernelName: _FusedMatMul,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const { a, b, bias, preluActivationWeights: prelu } = args.inputs as _FusedMatMulInputs;
    const attrs = args.attrs as unknown as _FusedMatMulAttrs;
    const activation = attrs.activation ?? 'linear';
    const fallback = () => cpuFallback(_FusedMatMul, args as KernelArgs);
    const av = f32(backend, a!);
    const bv = f32(backend, b!);
    const shape = matMulShape(a!, b!, attrs.transposeA, attrs.transposeB);
    if (av == null || bv == null || shape == null || !NATIVE_ACTIVATIONS.has(activation)) return fallback();
    let biasv: Float32Array | null = null;
    if (bias != null) {
      biasv = f32(backend, bias);
      if (biasv == null || !perChannel(bias, shape.out.length, shape.n)) return fallback();
    }
    let pv: Float32Array | null = null;
    if (activation === 'prelu') {
      if (prelu == null) return fallback();
      pv = f32(backend, prelu);
      if (pv == null || !perChannel(prelu, shape.out.length, shape.n)) return fallback();
    }
    const out = backend.allocF32(sizeOf(shape.out), false);
    const alpha = attrs.leakyreluAlpha ?? 0.2;
    backend.run(
      '_FusedMatMul',
      av,
      bv,
      out,
      a!.shape,
      b!.shape,
      attrs.transposeA,
      attrs.transposeB,
      biasv,
      activation,
      alpha,
      pv,
    );
    return output(backend, shape.out, out);
  },
};
