// Minimum: min(a, b) with broadcasting. C++: native/kernels/minimum.cc
import { Minimum } from '@tensorflow/tfjs-core';

import { binaryKernelConfig } from './elementwise.js';

export const minimumConfig = binaryKernelConfig(Minimum);
