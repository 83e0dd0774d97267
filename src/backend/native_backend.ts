// The `native` TensorFlow.js backend: tfjs's MathBackendCPU (same tensor storage, every cpu kernel)
// with the hot kernels replaced by C++ ones from the addon. Registered above `cpu`, so importing
// tsgan makes it the default backend in Node.
import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';

import { loadNativeAddon, type NativeAddon } from './native_addon.js';
import { nativeKernelConfigs } from './kernels/index.js';

export const NATIVE_BACKEND = 'native';
/** Above cpu (1) and webgl (2). */
export const NATIVE_PRIORITY = 3;

/** MathBackendCPU whose hot kernels run in C++. Tensor data stays in the cpu storage (Float32Arrays). */
export class NativeBackend extends MathBackendCPU {
  constructor(readonly addon: NativeAddon) {
    super();
    // MathBackendCPU prints a "use tfjs-node" hint on first use in Node; the native backend is the answer to it.
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }

  /** Calls the C++ kernel `name` (see native/kernels/); its errors name the op and the shapes. */
  run(name: string, ...args: unknown[]): unknown {
    const fn = this.addon[name] as ((...a: unknown[]) => unknown) | undefined;
    if (typeof fn !== 'function') throw new Error(`tsgan: the native addon has no kernel '${name}' (rebuild with npm install)`);
    return fn(...args);
  }
}

export interface NativeRegistration {
  /** The backend tsgan will run on. */
  backend: 'native' | 'cpu';
  /** Why the native backend is not used, when it is not. */
  reason: string | null;
  /** Kernels that run in C++. */
  nativeKernels: string[];
}

/**
 * Registers the `native` backend (idempotent) and makes it the active one. If the addon cannot be
 * loaded, leaves tfjs on `cpu` and prints one line saying why (unless `quiet`).
 */
export function registerNativeBackend(opts: { quiet?: boolean } = {}): NativeRegistration {
  const names = nativeKernelConfigs.map((k) => k.kernelName);
  if (tf.findBackendFactory(NATIVE_BACKEND) != null) {
    return { backend: 'native', reason: null, nativeKernels: names };
  }
  const load = loadNativeAddon();
  if (load.addon == null) {
    // Run on cpu, without MathBackendCPU's multi-line "install tfjs-node" hint: the one line below says it all.
    void tf.setBackend('cpu');
    const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
    if (cpu != null) cpu.firstUse = false;
    if (!opts.quiet && process.env.TSGAN_QUIET !== '1') {
      process.stderr.write(`tsgan: running on tfjs cpu (slow): native backend unavailable: ${load.error}\n`);
    }
    return { backend: 'cpu', reason: load.error, nativeKernels: [] };
  }
  const addon = load.addon;
  tf.registerBackend(NATIVE_BACKEND, () => new NativeBackend(addon), NATIVE_PRIORITY);
  // Start from every cpu kernel, then override the ones that run natively.
  const overridden = new Set(names);
  for (const k of tf.getKernelsForBackend('cpu')) {
    if (!overridden.has(k.kernelName)) tf.registerKernel({ ...k, backendName: NATIVE_BACKEND });
  }
  for (const k of nativeKernelConfigs) tf.registerKernel({ ...k, backendName: NATIVE_BACKEND });
  void tf.setBackend(NATIVE_BACKEND);
  return { backend: 'native', reason: null, nativeKernels: names };
}
