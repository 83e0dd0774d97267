// NotEqual: a != b with broadcasting, bool output. C++: native/kernels/not_equal.cc
import { NotEqual } from '@tensorflow/tfjs-core';

import { binaryKernelConfig } from './elementwise.js';

export const notEqualConfig = binaryKernelConfig(NotEqual, 'bool');
