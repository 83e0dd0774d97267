// Equal: a == b with broadcasting, bool output. C++: native/kernels/equal.cc
import { Equal } from '@tensorflow/tfjs-core';

import { binaryKernelConfig } from './elementwise.js';

export const equalConfig = binaryKernelConfig(Equal, 'bool');
