// Sigmoid: 1 / (1 + exp(-x)). C++: native/kernels/sigmoid.cc
import { Sigmoid } from '@tensorflow/tfjs-core';

import { unaryKernelConfig } from './elementwise.js';

export const sigmoidConfig = unaryKernelConfig(Sigmoid);
