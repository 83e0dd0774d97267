// GatherV2: slices of x picked by int32 indices along an axis, with optional batch dimensions
// (tf.gather; the forward pass of an embedding). C++: native/kernels/gather_v2.cc
import {
  backend_util,
  GatherV2,
  util,
  type GatherV2Attrs,
  type GatherV2Inputs,
  type KernelConfig,
  type Tensor,
} from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { cpuFallback, f32, type KernelArgs } from './util.js';

export const gatherV2Config: KernelConfig = {
  kernelName: GatherV2,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const { x, indices } = args.inputs as GatherV2Inputs;
    const { axis, batchDims } = args.attrs as unknown as GatherV2Attrs;
    const xv = f32(backend, x!);
    const iv = backend.data.get(indices!.dataId).values;
    if (xv == null || !(iv instanceof Int32Array)) return cpuFallback(GatherV2, args as KernelArgs);
    const parsedAxis = util.parseAxisParam(axis, x!.shape)[0]!;
    // Validates batchDims and the shapes like the cpu kernel, and gives the [batch, outer, dim, slice] view.
    const info = backend_util.segment_util.collectGatherOpShapeInfo(
      x as unknown as Tensor,
      indices as unknown as Tensor,
      parsedAxis,
      batchDims ?? 0,
    );
    const out = backend.allocF32(util.sizeFromShape(info.outputShape), false);
    backend.run('GatherV2', xv, iv, info.batchSize, info.outerSize, info.dimSize, info.sliceSize, out);
    return backend.makeTensorInfo(info.outputShape, 'float32', out);
  },
};
