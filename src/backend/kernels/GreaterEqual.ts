// GreaterEqual: a >= b with broadcasting, bool output. C++: native/kernels/greater_equal.cc
import { GreaterEqual } from '@tensorflow/tfjs-core';

import { binaryKernelConfig } from './elementwise.js';

export const greaterEqualConfig = binaryKernelConfig(GreaterEqual, 'bool');
