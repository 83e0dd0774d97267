// Rsqrt: 1 / sqrt(x). C++: native/kernels/rsqrt.cc
import { Rsqrt } from '@tensorflow/tfjs-core';

import { unaryKernelConfig } from './elementwise.js';

export const rsqrtConfig = unaryKernelConfig(Rsqrt);
