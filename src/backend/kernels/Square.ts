// Square: x * x. C++: native/kernels/square.cc
import { Square } from '@tensorflow/tfjs-core';

import { unaryKernelConfig } from './elementwise.js';

export const squareConfig = unaryKernelConfig(Square);
