// Elu: x >= 0 ? x : exp(x) - 1. C++: native/kernels/elu.cc
import { Elu } from '@tensorflow/tfjs-core';

import { unaryKernelConfig } from './elementwise.js';

export const eluConfig = unaryKernelConfig(Elu);
