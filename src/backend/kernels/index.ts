// The one list of kernels the native backend runs in C++ (glue here, C++ in native/kernels/).
// Every other kernel is the tfjs cpu one.
import type { KernelConfig } from '@tensorflow/tfjs-core';

import { reluConfig } from './Relu.js';

export const nativeKernelConfigs: KernelConfig[] = [
  reluConfig,
];
