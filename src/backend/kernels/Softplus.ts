// Softplus: log(1 + exp(x)). C++: native/kernels/softplus.cc
import { Softplus } from '@tensorflow/tfjs-core';

import { unaryKernelConfig } from './elementwise.js';

export const softplusConfig = unaryKernelConfig(Softplus);
