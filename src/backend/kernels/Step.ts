// Step: x > 0 ? 1 : alpha. C++: native/kernels/step.cc
import { Step } from '@tensorflow/tfjs-core';

import { unaryKernelConfig } from './elementwise.js';

export const stepConfig = unaryKernelConfig(Step, 'alpha');
