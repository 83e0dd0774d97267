// Prelu: x < 0 ? alpha * x : x, alpha broadcast against x. C++: native/kernels/prelu.cc
import { Prelu } from '@tensorflow/tfjs-core';

import { binaryKernelConfig } from './elementwise.js';

export const preluConfig = binaryKernelConfig(Prelu, 'float32', ['x', 'alpha']);
