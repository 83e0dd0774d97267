// Pow: a ** b with broadcasting. C++: native/kernels/pow.cc
import { Pow } from '@tensorflow/tfjs-core';

import { binaryKernelConfig } from './elementwise.js';

export const powConfig = binaryKernelConfig(Pow);
