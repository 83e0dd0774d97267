// Relu6: min(max(x, 0), 6). C++: native/kernels/relu6.cc
import { Relu6 } from '@tensorflow/tfjs-core';

import { unaryKernelConfig } from './elementwise.js';

export const relu6Config = unaryKernelConfig(Relu6);
