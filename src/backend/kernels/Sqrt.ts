// Sqrt: square root. C++: native/kernels/sqrt.cc
import { Sqrt } from '@tensorflow/tfjs-core';

import { unaryKernelConfig } from './elementwise.js';

export const sqrtConfig = unaryKernelConfig(Sqrt);
