// Choosing the TensorFlow.js backend tsgan runs on: `--backend native|webgpu|cpu|auto` on every
// command (default: TSGAN_BACKEND, else native), and the same choice for library users.
//   native  tsgan's C++ CPU backend (falls back to tfjs cpu, with one line saying why, if the addon is missing)
//   webgpu  TensorFlow.js's WebGPU backend with tsgan's WGSL kernels; any adapter, software ones included
//   cpu     TensorFlow.js's pure-JS CPU backend (a reference; slow)
//   auto    webgpu when a hardware GPU adapter exists, else native
import * as tf from '@tensorflow/tfjs-core';

import { NATIVE_BACKEND, registerNativeBackend } from './native_backend.js';
import { probeWebGPU, registerWebGPUBackend, type WebGPUAdapterReport } from './webgpu/setup.js';

export const BACKEND_CHOICES = ['native', 'webgpu', 'cpu', 'auto'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export interface BackendSelection {
  /** What was asked for. */
  requested: BackendChoice;
  /** The tfjs backend now active ('native', 'webgpu' or 'cpu'). */
  backend: string;
  /** The GPU adapter when the backend is webgpu. */
  adapter: WebGPUAdapterReport | null;
  /** Why `auto` (or native) did not give the first choice; null otherwise. */
  note: string | null;
}

export function parseBackendChoice(name: string): BackendChoice {
  const v = name.trim().toLowerCase();
  if ((BACKEND_CHOICES as readonly string[]).includes(v)) return v as BackendChoice;
  throw new Error(`unknown backend '${name}' (expected one of: ${BACKEND_CHOICES.join(', ')})`);
}

/** Makes `choice` the active backend (async: WebGPU adapters are found asynchronously). */
export async function useBackend(choice: BackendChoice | string): Promise<BackendSelection> {
  const requested = parseBackendChoice(choice);
  if (requested === 'webgpu') {
    const reg = await registerWebGPUBackend({ allowSoftware: true });
    return { requested, backend: tf.getBackend(), adapter: reg.adapter, note: null };
  }
  if (requested === 'auto') {
    const probe = await probeWebGPU();
    if (probe.adapter != null && !probe.adapter.software) {
      const reg = await registerWebGPUBackend({ allowSoftware: false, probe });
      return { requested, backend: tf.getBackend(), adapter: reg.adapter, note: null };
    }
    const why =
      probe.adapter != null ? `the only WebGPU adapter is a software one (${probe.adapter.description})` : probe.reason;
    const native = await useBackend('native');
    return { ...native, requested, note: `auto: no GPU, running on ${native.backend}: ${why}` };
  }
  if (requested === 'cpu') {
    await tf.setBackend('cpu');
    const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
    if (cpu != null) cpu.firstUse = false; // no "install tfjs-node" hint: this is a choice
    return { requested, backend: 'cpu', adapter: null, note: null };
  }
  const reg = registerNativeBackend();
  if (reg.backend === 'native') await tf.setBackend(NATIVE_BACKEND);
  return { requested, backend: tf.getBackend(), adapter: null, note: reg.reason };
}

/**
 * True when the active backend cannot read tensors synchronously (webgpu in Node: its readSync
 * needs a canvas). Code on the training path then reads values with `await t.data()` only.
 */
export function backendIsAsyncOnly(): boolean {
  return tf.getBackend() === 'webgpu';
}

/**
 * Runs `fn` with the native CPU backend active (tfjs cpu if the addon is missing), then restores the
 * previous backend. For work that reads tensors synchronously, such as the metric networks, during a
 * webgpu run: pass host arrays in and out, not tensors of the other backend, and keep models used
 * here (their weights) on the host backend.
 */
export async function onHostBackend<T>(fn: () => T | Promise<T>): Promise<T> {
  const prev = tf.getBackend();
  if (prev !== 'webgpu') return fn();
  const host = registerNativeBackend({ quiet: true }).backend === 'native' ? NATIVE_BACKEND : 'cpu';
  await tf.setBackend(host);
  try {
    return await fn();
  } finally {
    await tf.setBackend(prev);
  }
}
