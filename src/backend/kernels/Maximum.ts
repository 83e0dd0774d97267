// Maximum: max(a, b) with broadcasting. C++: native/kernels/maximum.cc
import { Maximum } from '@tensorflow/tfjs-core';

import { binaryKernelConfig } from './elementwise.js';

export const maximumConfig = binaryKernelConfig(Maximum);
