// Tanh: tanh(x). C++: native/kernels/tanh.cc
import { Tanh } from '@tensorflow/tfjs-core';

import { unaryKernelConfig } from './elementwise.js';

export const tanhConfig = unaryKernelConfig(Tanh);
