// Conv2DBackpropFilter (NHWC): dW [kH, kW, inC, outC], the gradient of conv2d with respect to its filter.
// C++: native/kernels/conv2d_backprop_filter.cc.
import {
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type Conv2DBackpropFilterInputs,
  type KernelConfig,
} from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { convGeom, nhwcConvInfo } from './conv_util.js';
import { cpuFallback, f32, output, type KernelArgs } from './util.js';

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const { x, dy } = args.inputs as Conv2DBackpropFilterInputs;
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
      args.attrs as unknown as Conv2DBackpropFilterAttrs;
    const xv = f32(backend, x!);
    const dyv = f32(backend, dy!);
    const info = nhwcConvInfo(x!.shape, filterShape, strides, 1, pad, dimRoundingMode, dataFormat);
    const dyShape = info && [info.batchSize, info.outHeight, info.outWidth, info.outChannels]; // [N, OH, OW, outC]
    if (
      xv == null ||
      dyv == null ||
      info == null ||
      dyShape!.some((d, i) => d !== dy!.shape[i]) ||
      dy!.shape.length !== 4
    ) {
      return cpuFallback(Conv2DBackpropFilter, args as KernelArgs);
    }
    const dwShape = [...filterShape]; // [kH, kW, inC, outC]
    const dw = backend.allocF32(
      dwShape.reduce((a, b) => a * b, 1),
      false,
    );
    backend.run('Conv2DBackpropFilter', xv, dyv, dw, x!.shape, dwShape, convGeom(info));
    return output(backend, dwShape, dw);
  },
};
