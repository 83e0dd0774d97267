// Neg: -x. C++: native/kernels/neg.cc
import { Neg } from '@tensorflow/tfjs-core';

import { unaryKernelConfig } from './elementwise.js';

export const negConfig = unaryKernelConfig(Neg);
