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
  const gpu = mod.create(dawnFlags());
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

/**
 * The adapter probe that runs in a child Node process: Dawn writes its driver warnings (`Warning:
 * Couldn't load Vulkan: ...`) straight to file descriptor 2, so loading it here would print them on
 * every probe. The child prints the adapter as one JSON line on stdout; its stderr is Dawn's noise.
 */
const CHILD_PROBE = `
const [url, flags] = JSON.parse(process.argv[1]);
const mod = await import(url);
const adapter = await mod.create(flags).requestAdapter({ powerPreference: 'high-performance' });
const pick = (o, keys) => Object.fromEntries(keys.map((k) => [k, o?.[k]]));
process.stdout.write(JSON.stringify(adapter == null ? null : {
  info: pick(adapter.info, ['vendor', 'architecture', 'device', 'description']),
  limits: pick(adapter.limits, ['maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup', 'maxStorageBufferBindingSize']),
  isFallbackAdapter: adapter.isFallbackAdapter === true,
}) + '\\n');
process.exit(0);
`;

/** Dawn's stderr lines ("Warning: ...", then "    at file:line") as one line of reasons. */
export function foldDawnMessages(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^at /.test(l))
    .map((l) => l.replace(/^(Warning|Error):\s*/i, ''));
  return [...new Set(lines)].join('; ');
}

function dawnFlags(): string[] {
  return process.env.TSGAN_DAWN_FLAGS ? process.env.TSGAN_DAWN_FLAGS.split(',') : [];
}

/** Asks a child process whether Dawn finds an adapter (Node only). */
async function probeInChild(): Promise<WebGPUProbe> {
  // Variable specifiers, as for Dawn below: browser bundlers must not follow Node's modules.
  const [cp, mod, nodeUrl] = ['node:child_process', 'node:module', 'node:url'];
  const { execFile } = (await import(/* @vite-ignore */ cp)) as typeof import('node:child_process');
  const { createRequire } = (await import(/* @vite-ignore */ mod)) as typeof import('node:module');
  const { pathToFileURL } = (await import(/* @vite-ignore */ nodeUrl)) as typeof import('node:url');
  let url: string;
  try {
    url = pathToFileURL(createRequire(import.meta.url).resolve('webgpu')).href;
  } catch {
    return { adapter: null, reason: "the optional 'webgpu' package (Dawn for Node) is not installed" };
  }
  const args = ['--input-type=module', '-e', CHILD_PROBE, JSON.stringify([url, dawnFlags()])];
  const r = await new Promise<{ code: number | null; signal: string | null; out: string; err: string }>((resolve) => {
    execFile(process.execPath, args, { timeout: 60_000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const e = error as (Error & { code?: number | string; signal?: string }) | null;
      resolve({
        code: e == null ? 0 : typeof e.code === 'number' ? e.code : 1,
        signal: e?.signal ?? null,
        out: String(stdout),
        err: String(stderr),
      });
    });
  });
  const noise = foldDawnMessages(r.err);
  const json = r.out.trim().split('\n').pop() ?? '';
  if (r.code !== 0 || !json) {
    const how = r.signal ? `was stopped by ${r.signal}` : `failed (exit ${r.code})`;
    return { adapter: null, reason: `the WebGPU probe (Dawn) ${how}${noise ? `: ${noise}` : ''}` };
  }
  const found = JSON.parse(json) as GpuAdapterLike | null;
  if (found == null) {
    return {
      adapter: null,
      reason: `no GPU driver (Vulkan/Metal/D3D12) found${noise ? ` (Dawn: ${noise})` : ''}; on Linux without a GPU, mesa-vulkan-drivers gives a software one`,
    };
  }
  return { adapter: describeAdapter(found), reason: null };
}

/**
 * Looks for a WebGPU adapter (high-performance preference) without creating a backend. In Node,
 * until Dawn is loaded in this process, the probe runs in a child process so that Dawn's driver
 * warnings never reach the terminal: they are folded into `reason`.
 */
export async function probeWebGPU(): Promise<WebGPUProbe> {
  const g = globalThis as unknown as { navigator?: { gpu?: GpuLike } };
  const inNode = typeof process !== 'undefined' && process.versions?.node != null;
  if (inNode && !g.navigator?.gpu) return probeInChild();
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
        'no GPU driver (Vulkan/Metal/D3D12) found; on Linux without a GPU, mesa-vulkan-drivers gives a software one',
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
export async function registerWebGPUBackend(
  opts: {
    /** false: refuse a software adapter (lavapipe, SwiftShader...). */
    allowSoftware?: boolean;
    /** A probe just made (e.g. by `auto`), so that Dawn is not asked twice. */
    probe?: WebGPUProbe;
  } = {},
): Promise<WebGPURegistration> {
  const probe = opts.probe ?? (await probeWebGPU());
  if (probe.adapter == null) throw new Error(`the webgpu backend is unavailable: ${probe.reason}`);
  if (probe.adapter.software && opts.allowSoftware === false) {
    throw new Error(`the only WebGPU adapter is a software one (${probe.adapter.description}); refusing it`);
  }
  // Dawn is loaded in this process only now that the probe found an adapter.
  const { gpu, reason } = await ensureNavigatorGpu();
  if (gpu == null) throw new Error(`the webgpu backend is unavailable: ${reason}`);
  if (tf.findBackendFactory(WEBGPU_BACKEND) == null) {
    // The package registers the 'webgpu' backend at import when navigator.gpu exists (set above).
    await import('@tensorflow/tfjs-backend-webgpu');
    if (tf.findBackendFactory(WEBGPU_BACKEND) == null)
      throw new Error('@tensorflow/tfjs-backend-webgpu did not register its backend');
  }
  const kernels = registerWebGPUKernels();
  const ok = await tf.setBackend(WEBGPU_BACKEND);
  if (!ok) throw new Error('the webgpu backend failed to initialize (see the messages above)');
  await tf.ready();
  return { adapter: probe.adapter, kernels };
}
