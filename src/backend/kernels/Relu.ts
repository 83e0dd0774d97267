// Relu: max(x, 0), NaN stays NaN. C++: native/kernels/relu.cc
import { Relu } from '@tensorflow/tfjs-core';

import { unaryKernelConfig } from './elementwise.js';

export const reluConfig = unaryKernelConfig(Relu);
