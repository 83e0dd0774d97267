// Sum: sum over any axes. C++: native/kernels/sum.cc
import { Sum } from '@tensorflow/tfjs-core';

import { reduceKernelConfig } from './reduce.js';

export const sumConfig = reduceKernelConfig(Sum);
