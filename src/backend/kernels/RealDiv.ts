// RealDiv: a / b with broadcasting. C++: native/kernels/real_div.cc
import { RealDiv } from '@tensorflow/tfjs-core';

import { binaryKernelConfig } from './elementwise.js';

export const realDivConfig = binaryKernelConfig(RealDiv);
