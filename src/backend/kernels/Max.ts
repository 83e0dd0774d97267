// Max: maximum over any axes (NaN wins). C++: native/kernels/max.cc
import { Max } from '@tensorflow/tfjs-core';

import { reduceKernelConfig } from './reduce.js';

export const maxConfig = reduceKernelConfig(Max, 'reductionIndices');
