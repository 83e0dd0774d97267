// Greater: a > b with broadcasting, bool output. C++: native/kernels/greater.cc
import { Greater } from '@tensorflow/tfjs-core';

import { binaryKernelConfig } from './elementwise.js';

export const greaterConfig = binaryKernelConfig(Greater, 'bool');
