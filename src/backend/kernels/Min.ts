// Min: minimum over any axes (NaN wins). C++: native/kernels/min.cc
import { Min } from '@tensorflow/tfjs-core';

import { reduceKernelConfig } from './reduce.js';

export const minConfig = reduceKernelConfig(Min);
