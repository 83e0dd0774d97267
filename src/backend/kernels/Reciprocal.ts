// Reciprocal: 1 / x. C++: native/kernels/reciprocal.cc
import { Reciprocal } from '@tensorflow/tfjs-core';

import { unaryKernelConfig } from './elementwise.js';

export const reciprocalConfig = unaryKernelConfig(Reciprocal);
