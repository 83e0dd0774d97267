// Tile: repeats a float32 tensor reps[i] times along each dimension. C++: native/kernels/tile.cc
import { Tile, type KernelConfig, type TileAttrs, type TileInputs } from '@tensorflow/tfjs-core';

import type { NativeBackend } from '../native_backend.js';
import { nativeFn } from './elementwise.js';
import { cpuFallback, f32, sizeOf, type KernelArgs } from './util.js';

export const tileConfig: KernelConfig = {
  kernelName: Tile,
  backendName: 'native',
  kernelFunc: (args) => {
    const backend = args.backend as NativeBackend;
    const { x } = args.inputs as TileInputs;
    const { reps } = args.attrs as unknown as TileAttrs;
    const xv = f32(backend, x!);
    if (xv == null || reps.length !== x!.shape.length) return cpuFallback(Tile, args as KernelArgs);
    const shape = x!.shape.map((d, i) => d * reps[i]!); // [x.shape[i] * reps[i]]
    const out = backend.allocF32(sizeOf(shape));
    nativeFn(backend, Tile)(xv, x!.shape, reps, out);
    return backend.makeTensorInfo(shape, 'float32', out);
  },
};
