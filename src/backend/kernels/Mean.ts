// Mean: mean over any axes. C++: native/kernels/mean.cc
import { Mean } from '@tensorflow/tfjs-core';

import { reduceKernelConfig } from './reduce.js';

export const meanConfig = reduceKernelConfig(Mean);
