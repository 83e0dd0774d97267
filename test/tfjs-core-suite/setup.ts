// Setup module of the tfjs-core op test suite run (bundled first by run.mjs): one ES2017 copy of
// tfjs-core and tfjs-backend-cpu, every gradient and chained op registered, then our `native`
// backend registered and made the only test environment of tfjs's jasmine_util.
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';
import '@tensorflow/tfjs-backend-cpu';
import { setTestEnvs } from '@tensorflow/tfjs-core/dist/jasmine_util.js';

import { registerNativeBackend } from '../../src/backend/native_backend.js';

const reg = registerNativeBackend({ quiet: true });
if (reg.backend !== 'native') {
  // The suite is about the native kernels: running it on cpu would prove nothing.
  throw new Error(`tfjs-core suite: the native backend did not load: ${reg.reason}`);
}
// Read by run.mjs for its summary line.
(globalThis as { __tsganNativeKernels?: string[] }).__tsganNativeKernels = reg.nativeKernels;

setTestEnvs([{ name: 'native', backendName: 'native', flags: {}, isDataSync: true }]);
