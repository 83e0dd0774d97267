// Prod: product over any axes. C++: native/kernels/prod.cc
import { Prod } from '@tensorflow/tfjs-core';

import { reduceKernelConfig } from './reduce.js';

export const prodConfig = reduceKernelConfig(Prod);
