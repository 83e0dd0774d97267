// Erf: error function. C++: native/kernels/erf.cc
import { Erf } from '@tensorflow/tfjs-core';

import { unaryKernelConfig } from './elementwise.js';

export const erfConfig = unaryKernelConfig(Erf);
