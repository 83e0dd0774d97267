// Multiply: a * b with broadcasting. C++: native/kernels/multiply.cc
import { Multiply } from '@tensorflow/tfjs-core';

import { binaryKernelConfig } from './elementwise.js';

export const multiplyConfig = binaryKernelConfig(Multiply);
