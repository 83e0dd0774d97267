// Conv2D (NHWC): y = conv2d(x, filter), strides, dilations, same/valid/explicit padding.
// C++: native/kernels/conv2d.cc. NCHW and non-float32 inputs run the tfjs cpu kernel.
import { Conv2D, type Conv2DAttrs, type Conv2DInputs, type KernelConfig } from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { convGeom, nhwcConvInfo } from './conv_util.js';
import { cpuFallback, f32, output, type KernelArgs } from './util.js';

export const conv2DConfig: KernelConfig = {
  kernelName: Conv2D,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const { x, filter } = args.inputs as Conv2DInputs;
    const { strides, pad, dataFormat, dilations, dimRoundingMode } = args.attrs as unknown as Conv2DAttrs;
    const xv = f32(backend, x!);
    const fv = f32(backend, filter!);
    const info = nhwcConvInfo(x!.shape, filter!.shape, strides, dilations, pad, dimRoundingMode, dataFormat);
    if (xv == null || fv == null || info == null) return cpuFallback(Conv2D, args as KernelArgs);
    const outShape = [info.batchSize, info.outHeight, info.outWidth, info.outChannels]; // [N, OH, OW, outC]
    const out = backend.allocF32(
      outShape.reduce((a, b) => a * b, 1),
      false,
    );
    backend.run('Conv2D', xv, fv, out, x!.shape, filter!.shape, convGeom(info));
    return output(backend, outShape, out);
  },
};
