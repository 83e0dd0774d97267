// Conv2DBackpropInput (NHWC): dx, the gradient of conv2d with respect to its input; also the
// transposed convolution (tf.conv2dTranspose) of GAN generators. C++: native/kernels/conv2d_backprop_input.cc.
import {
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type Conv2DBackpropInputInputs,
  type KernelConfig,
} from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { convGeom, nhwcConvInfo } from './conv_util.js';
import { cpuFallback, f32, output, type KernelArgs } from './util.js';

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const { dy, filter } = args.inputs as Conv2DBackpropInputInputs;
    const { inputShape, strides, pad, dataFormat, dimRoundingMode } = args.attrs as unknown as Conv2DBackpropInputAttrs;
    const dyv = f32(backend, dy!);
    const fv = f32(backend, filter!);
    const info = nhwcConvInfo(inputShape, filter!.shape, strides, 1, pad, dimRoundingMode, dataFormat);
    const dyShape = info && [info.batchSize, info.outHeight, info.outWidth, info.outChannels]; // [N, OH, OW, outC]
    if (
      dyv == null ||
      fv == null ||
      info == null ||
      dyShape!.some((d, i) => d !== dy!.shape[i]) ||
      dy!.shape.length !== 4
    ) {
      return cpuFallback(Conv2DBackpropInput, args as KernelArgs);
    }
    const dxShape = [...inputShape]; // [N, H, W, inC]
    const dx = backend.allocF32(
      dxShape.reduce((a, b) => a * b, 1),
      false,
    );
    backend.run('Conv2DBackpropInput', dyv, fv, dx, dxShape, filter!.shape, convGeom(info));
    return output(backend, dxShape, dx);
  },
};
