// Log: natural logarithm. C++: native/kernels/log.cc
import { Log } from '@tensorflow/tfjs-core';

import { unaryKernelConfig } from './elementwise.js';

export const logConfig = unaryKernelConfig(Log);
