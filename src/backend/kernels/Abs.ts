// Abs: |x|. C++: native/kernels/abs.cc
import { Abs } from '@tensorflow/tfjs-core';

import { unaryKernelConfig } from './elementwise.js';

export const absConfig = unaryKernelConfig(Abs);
