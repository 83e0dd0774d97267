// Exp: exp(x). C++: native/kernels/exp.cc
import { Exp } from '@tensorflow/tfjs-core';

import { unaryKernelConfig } from './elementwise.js';

export const expConfig = unaryKernelConfig(Exp);
