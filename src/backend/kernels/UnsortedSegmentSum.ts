// UnsortedSegmentSum: sums the rows of x into numSegments rows by segment id (the gradient of
// GatherV2, e.g. of a class embedding). C++: native/kernels/unsorted_segment_sum.cc
import {
  UnsortedSegmentSum,
  type KernelConfig,
  type UnsortedSegmentSumAttrs,
  type UnsortedSegmentSumInputs,
} from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { cpuFallback, f32, sizeOf, type KernelArgs } from './util.js';

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: UnsortedSegmentSum,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const { x, segmentIds } = args.inputs as UnsortedSegmentSumInputs;
    const { numSegments } = args.attrs as unknown as UnsortedSegmentSumAttrs;
    const xv = f32(backend, x!);
    const ids = backend.data.get(segmentIds!.dataId).values;
    // One id per row of x (rank-1 ids), float32 x, int32 ids; anything else: the cpu kernel.
    if (
      xv == null ||
      !(ids instanceof Int32Array) ||
      x!.shape.length < 1 ||
      segmentIds!.shape.length !== 1 ||
      segmentIds!.shape[0] !== x!.shape[0] ||
      !Number.isInteger(numSegments) ||
      numSegments < 0
    )
      return cpuFallback(UnsortedSegmentSum, args as KernelArgs);
    const shape = [numSegments, ...x!.shape.slice(1)]; // [numSegments, ...x.shape[1:]]
    const out = backend.allocF32(sizeOf(shape), false);
    backend.run('UnsortedSegmentSum', xv, ids, numSegments, out);
    return backend.makeTensorInfo(shape, 'float32', out);
  },
};
