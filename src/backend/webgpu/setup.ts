// The `webgpu` backend: TensorFlow.js's WebGPU backend (@tensorflow/tfjs-backend-webgpu) with tsgan's
// own WGSL kernels registered over the stock ones where profiling shows the time goes
// (src/backend/webgpu/kernels/). In Node the GPU comes from the `webgpu` package (Dawn, the WebGPU
// implementation of Chromium, shipped as a prebuilt addon); in a browser from navigator.gpu.
//
// Adapters: on a machine with a GPU, Dawn finds it over Vulkan/Metal/D3D12. On a CPU-only Linux
// machine Mesa's software Vulkan driver (lavapipe, Debian package mesa-vulkan-drivers) gives an
// adapter too: correct but slow, so `auto` never picks it (tests and `--backend webgpu` can).
import * as tf from '@tensorflow/tfjs-core';

import { registerWebGPUKernels } from './kernels/index.js';

export const WEBGPU_BACKEND = 'webgpu';

/** What the adapter says about itself (GPUAdapterInfo), plus whether it is a software rasterizer. */
export interface WebGPUAdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A CPU implementation (lavapipe/llvmpipe, SwiftShader, WARP): fine for tests, not for training. */
  software: boolean;
  /** Limits that bound kernel tiling. */
  limits: {
    maxComputeWorkgroupStorageSize: number;
    maxComputeInvocationsPerWorkgroup: number;
    maxStorageBufferBindingSize: number;
  };
}

export interface WebGPUProbe {
  adapter: WebGPUAdapterReport | null;
  /** Why there is no adapter (no `webgpu` package, no driver, ...); null when there is one. */
  reason: string | null;
}

/** Minimal shapes of the WebGPU objects used here (the DOM typings are not part of a Node build). */
interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
  limits: Record<string, number>;
  isFallbackAdapter?: boolean;
}
interface GpuLike {
  requestAdapter(opts?: { powerPreference?: string }): Promise<GpuAdapterLike | null>;
}

const SOFTWARE_PATTERN = /llvmpipe|lavapipe|swiftshader|software|warp|microsoft basic render/i;

function describeAdapter(a: GpuAdapterLike): WebGPUAdapterReport {
  const i = a.info ?? {};
  const text = [i.vendor, i.architecture, i.device, i.description].join(' ');
  return {
    vendor: i.vendor ?? '',
    architecture: i.architecture ?? '',
    device: i.device ?? '',
    description: i.description ?? '',
    software: a.isFallbackAdapter === true || SOFTWARE_PATTERN.test(text),
    limits: {
      maxComputeWorkgroupStorageSize: a.limits.maxComputeWorkgroupStorageSize ?? 0,
      maxComputeInvocationsPerWorkgroup: a.limits.maxComputeInvocationsPerWorkgroup ?? 0,
      maxStorageBufferBindingSize: a.limits.maxStorageBufferBindingSize ?? 0,
    },
  };
}

/**
 * Makes `navigator.gpu` available: the browser's own, or in Node Dawn's from the `webgpu` package
 * (its WebGPU classes become globals, as TensorFlow.js's backend expects). Returns null, with the
 * reason, when neither exists. Idempotent.
 */
async function ensureNavigatorGpu(): Promise<{ gpu: GpuLike | null; reason: string | null }> {
  const g = globalThis as unknown as { navigator?: { gpu?: GpuLike } };
  if (g.navigator?.gpu) return { gpu: g.navigator.gpu, reason: null };
  if (typeof process === 'undefined' || process.versions?.node == null) {
    return { gpu: null, reason: 'this browser has no WebGPU (navigator.gpu is undefined)' };
  }
  let mod: { create(flags: string[]): GpuLike; globals: Record<string, unknown> };
  try {
    // A variable specifier: browser bundlers must not try to bundle Dawn (Node only).
    const dawn = 'webgpu';
    mod = (await import(/* @vite-ignore */ dawn)) as unknown as typeof mod;
  } catch (e) {
    return {
      gpu: null,
      reason: `the optional 'webgpu' package (Dawn for Node) is not installed or failed to load: ${(e as Error).message}`,
    };
  }
  // Dawn reads its own flags; quiet its warnings about limits it lowers unless asked for them.
  const gpu = mod.create(process.env.TSGAN_DAWN_FLAGS ? process.env.TSGAN_DAWN_FLAGS.split(',') : []);
  for (const [k, v] of Object.entries(mod.globals)) {
    if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
  }
  const nav = (g.navigator ?? {}) as { gpu?: GpuLike; userAgent?: string };
  nav.gpu = gpu;
  if (g.navigator == null) {
    Object.defineProperty(globalThis, 'navigator', {
      value: { ...nav, userAgent: `node/${process.versions.node}` },
      configurable: true,
      writable: true,
    });
  }
  return { gpu, reason: null };
}

/** Looks for a WebGPU adapter (high-performance preference) without creating a backend. */
export async function probeWebGPU(): Promise<WebGPUProbe> {
  const { gpu, reason } = await ensureNavigatorGpu();
  if (gpu == null) return { adapter: null, reason };
  let adapter: GpuAdapterLike | null;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  } catch (e) {
    return { adapter: null, reason: `requestAdapter failed: ${(e as Error).message}` };
  }
  if (adapter == null) {
    return {
      adapter: null,
      reason:
        'no WebGPU adapter: no GPU driver (Vulkan/Metal/D3D12) found; on Linux without a GPU, mesa-vulkan-drivers gives a software one',
    };
  }
  return { adapter: describeAdapter(adapter), reason: null };
}

export interface WebGPURegistration {
  adapter: WebGPUAdapterReport;
  /** Kernels whose WGSL is tsgan's own (registered over the stock webgpu kernels). */
  kernels: string[];
}

/**
 * Registers TensorFlow.js's webgpu backend with tsgan's kernels and makes it the active backend.
 * Throws a readable error when there is no adapter, or when the adapter is a software one and
 * `allowSoftware` is false.
 */
export async function registerWebGPUBackend(opts: { allowSoftware?: boolean } = {}): Promise<WebGPURegistration> {
  const probe = await probeWebGPU();
  if (probe.adapter == null) throw new Error(`tsgan: the webgpu backend is unavailable: ${probe.reason}`);
  if (probe.adapter.software && opts.allowSoftware === false) {
    throw new Error(`tsgan: the only WebGPU adapter is a software one (${probe.adapter.description}); refusing it`);
  }
  if (tf.findBackendFactory(WEBGPU_BACKEND) == null) {
    // The package registers the 'webgpu' backend at import when navigator.gpu exists (set above).
    await import('@tensorflow/tfjs-backend-webgpu');
    if (tf.findBackendFactory(WEBGPU_BACKEND) == null)
      throw new Error('tsgan: @tensorflow/tfjs-backend-webgpu did not register its backend');
  }
  const kernels = registerWebGPUKernels();
  const ok = await tf.setBackend(WEBGPU_BACKEND);
  if (!ok) throw new Error('tsgan: the webgpu backend failed to initialize (see the messages above)');
  await tf.ready();
  return { adapter: probe.adapter, kernels };
}
