// FusedConv2D (NHWC): y = activation(conv2d(x, filter) + bias), what tfjs-layers' conv2d layer runs.
// C++: native/kernels/fused_conv2d.cc, which applies a per-channel (or scalar) bias and prelu weights;
// other broadcast shapes, NCHW and non-float32 inputs run the tfjs cpu kernel.
import { FusedConv2D, type FusedConv2DAttrs, type FusedConv2DInputs, type KernelConfig } from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { convGeom, NATIVE_ACTIVATIONS, nhwcConvInfo, perChannel } from './conv_util.js';
import { cpuFallback, f32, output, type KernelArgs } from './util.js';

export const fusedConv2DConfig: KernelConfig = {
  kernelName: FusedConv2D,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const { x, filter, bias, preluActivationWeights: prelu } = args.inputs as FusedConv2DInputs;
    const attrs = args.attrs as unknown as FusedConv2DAttrs;
    const activation = attrs.activation ?? 'linear';
    const fallback = () => cpuFallback(FusedConv2D, args as KernelArgs);
    const xv = f32(backend, x!);
    const fv = f32(backend, filter!);
    const info = nhwcConvInfo(
      x!.shape,
      filter!.shape,
      attrs.strides,
      attrs.dilations,
      attrs.pad,
      attrs.dimRoundingMode,
      attrs.dataFormat,
    );
    if (xv == null || fv == null || info == null || !NATIVE_ACTIVATIONS.has(activation)) return fallback();
    const outC = info.outChannels;
    let bv: Float32Array | null = null;
    if (bias != null) {
      bv = f32(backend, bias);
      if (bv == null || !perChannel(bias, 4, outC)) return fallback();
    }
    let pv: Float32Array | null = null;
    if (activation === 'prelu') {
      if (prelu == null) return fallback();
      pv = f32(backend, prelu);
      if (pv == null || !perChannel(prelu, 4, outC)) return fallback();
    }
    const outShape = [info.batchSize, info.outHeight, info.outWidth, outC]; // [N, OH, OW, outC]
    const out = backend.allocF32(
      outShape.reduce((a, b) => a * b, 1),
      false,
    );
    const alpha = attrs.leakyreluAlpha ?? 0.2;
    backend.run('FusedConv2D', xv, fv, out, x!.shape, filter!.shape, convGeom(info), bv, activation, alpha, pv);
    return output(backend, outShape, out);
  },
};
