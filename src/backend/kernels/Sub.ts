// Sub: a - b with broadcasting. C++: native/kernels/sub.cc
import { Sub } from '@tensorflow/tfjs-core';

import { binaryKernelConfig } from './elementwise.js';

export const subConfig = binaryKernelConfig(Sub);
