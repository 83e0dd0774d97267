// LeakyRelu: x < 0 ? alpha * x : x. C++: native/kernels/leaky_relu.cc
import { LeakyRelu } from '@tensorflow/tfjs-core';

import { unaryKernelConfig } from './elementwise.js';

export const leakyReluConfig = unaryKernelConfig(LeakyRelu, 'alpha');
