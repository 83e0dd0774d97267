// Add: a + b with broadcasting. C++: native/kernels/add.cc
import { Add } from '@tensorflow/tfjs-core';

import { binaryKernelConfig } from './elementwise.js';

export const addConfig = binaryKernelConfig(Add);
