// LessEqual: a <= b with broadcasting, bool output. C++: native/kernels/less_equal.cc
import { LessEqual } from '@tensorflow/tfjs-core';

import { binaryKernelConfig } from './elementwise.js';

export const lessEqualConfig = binaryKernelConfig(LessEqual, 'bool');
