// Selu: scaled exponential linear unit. C++: native/kernels/selu.cc
import { Selu } from '@tensorflow/tfjs-core';

import { unaryKernelConfig } from './elementwise.js';

export const seluConfig = unaryKernelConfig(Selu);
