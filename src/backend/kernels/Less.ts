// Less: a < b with broadcasting, bool output. C++: native/kernels/less.cc
import { Less } from '@tensorflow/tfjs-core';

import { binaryKernelConfig } from './elementwise.js';

export const lessConfig = binaryKernelConfig(Less, 'bool');
