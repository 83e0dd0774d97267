// SquaredDifference: (a - b)^2 with broadcasting. C++: native/kernels/squared_difference.cc
import { SquaredDifference } from '@tensorflow/tfjs-core';

import { binaryKernelConfig } from './elementwise.js';

export const squaredDifferenceConfig = binaryKernelConfig(SquaredDifference);
