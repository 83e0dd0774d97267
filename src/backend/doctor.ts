// `tsgan doctor` as a library function: which TensorFlow.js backend runs, whether the native addon
// loaded (and if not, why), its thread pool, SIMD path, build, the kernels it runs, and versions.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import * as tf from '@tensorflow/tfjs-core';

import { findPackageRoot, loadNativeAddon } from './native_addon.js';
import { NATIVE_BACKEND, registerNativeBackend } from './native_backend.js';
import { probeWebGPU, type WebGPUProbe } from './webgpu/setup.js';

export interface DoctorReport {
  /** The active TensorFlow.js backend ('native', or 'cpu' after a fallback). */
  backend: string;
  /** Whether the C++ addon loaded and the `native` backend is registered. */
  nativeLoaded: boolean;
  /** Why the native backend is not used; null when it is. */
  reason: string | null;
  /** The .node file that was loaded; null when none. */
  addonPath: string | null;
  /** Threads of the native pool (TSGAN_NUM_THREADS, default the core count); 1 on tfjs cpu. */
  threads: number;
  /** SIMD path of the native kernels: 'avx2+fma' or 'portable' (TSGAN_SIMD=portable); null without the addon. */
  simd: string | null;
  /** The SGEMM's register kernel: 'avx512' (CPUs with AVX-512F; TSGAN_AVX512=0 turns it off), 'avx2' or 'portable'; null without the addon. */
  gemm: string | null;
  /** CPU architecture the addon was built for (else Node's, in the same spelling). */
  arch: string;
  /** Compiler that built the addon; null without the addon. */
  compiler: string | null;
  /** tfjs kernels that run in C++ on the native backend. */
  nativeKernels: string[];
  versions: {
    tsgan: string;
    node: string;
    'tfjs-core': string;
    'tfjs-layers': string;
    'tfjs-backend-cpu': string;
    'tfjs-backend-webgpu': string;
    webgpu: string;
  };
  /** Node's process.platform. */
  platform: string;
  /** Logical CPUs and their model name. */
  cpus: { count: number; model: string };
  /** The WebGPU adapter (`--backend webgpu`), or why there is none; present in doctorAsync()'s report. */
  webgpu?: WebGPUProbe;
}

function packageVersion(req: NodeJS.Require, name: string): string {
  try {
    return (req(`${name}/package.json`) as { version: string }).version;
  } catch {
    return 'not installed';
  }
}

function tsganVersion(): string {
  const root = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));
  if (root == null) return 'unknown';
  return (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Node's arch in the addon's spelling (x86_64, aarch64). */
function archName(): string {
  if (process.arch === 'x64') return 'x86_64';
  if (process.arch === 'arm64') return 'aarch64';
  return process.arch;
}

/**
 * Reports the engine's state. Registers the native backend first if nothing has yet (quietly: the
 * reason is in the report).
 */
export function doctor(): DoctorReport {
  const reg = registerNativeBackend({ quiet: true });
  // The addon is a cached require after registration: this only reads its path and state.
  const load = reg.backend === 'native' ? loadNativeAddon() : null;
  const info = load?.addon?.info() ?? null;
  const req = createRequire(import.meta.url);
  const cpuList = os.cpus();
  return {
    backend: tf.getBackend(),
    nativeLoaded: reg.backend === 'native' && tf.findBackendFactory(NATIVE_BACKEND) != null,
    reason: reg.reason,
    addonPath: load?.path ?? null,
    threads: info?.threads ?? 1,
    simd: info?.simd ?? null,
    gemm: info?.gemm ?? null,
    arch: info?.arch ?? archName(),
    compiler: info?.compiler ?? null,
    nativeKernels: [...reg.nativeKernels].sort(),
    versions: {
      tsgan: tsganVersion(),
      node: process.versions.node,
      'tfjs-core': packageVersion(req, '@tensorflow/tfjs-core'),
      'tfjs-layers': packageVersion(req, '@tensorflow/tfjs-layers'),
      'tfjs-backend-cpu': packageVersion(req, '@tensorflow/tfjs-backend-cpu'),
      'tfjs-backend-webgpu': packageVersion(req, '@tensorflow/tfjs-backend-webgpu'),
      webgpu: packageVersion(req, 'webgpu'),
    },
    platform: process.platform,
    cpus: { count: cpuList.length, model: cpuList[0]?.model.trim() ?? 'unknown' },
  };
}

/**
 * doctor() plus a probe for a WebGPU adapter (asynchronous). In Node the probe runs Dawn in a child
 * process unless the webgpu backend is already active, so Dawn's driver warnings end up in
 * `webgpu.reason`, not on stderr.
 */
export async function doctorAsync(): Promise<DoctorReport> {
  const report = doctor();
  return { ...report, webgpu: await probeWebGPU() };
}

function formatAdapter(p: WebGPUProbe): string {
  if (p.adapter == null) return `no adapter: ${p.reason}`;
  const a = p.adapter;
  const name = [a.vendor, a.architecture, a.device].filter((s) => s).join(' / ');
  return `${name}${a.description ? ` (${a.description})` : ''}${a.software ? ' [software: fine for tests, not for training; auto skips it]' : ''}`;
}

/** The active backend and what runs its kernels (the C++ ones only on `native`). */
function backendLabel(r: DoctorReport): string {
  const unavailable = r.nativeLoaded ? '' : `; native backend unavailable: ${r.reason}`;
  if (r.backend === 'native') return 'native (C++ kernels)';
  if (r.backend === 'webgpu') return `webgpu (WGSL kernels on the adapter below${unavailable})`;
  if (r.backend === 'cpu')
    return r.nativeLoaded
      ? "cpu (TensorFlow.js's JavaScript kernels, as chosen with --backend cpu)"
      : `cpu (TensorFlow.js's JavaScript kernels${unavailable})`;
  return `${r.backend}${unavailable ? ` (${unavailable.slice(2)})` : ''}`;
}

/** The report as aligned `key  value` lines for a terminal. */
export function formatDoctorReport(r: DoctorReport): string {
  const rows: [string, string][] = [
    ['backend', backendLabel(r)],
    ['addon', r.addonPath ?? '-'],
    ['threads', String(r.threads)],
    ['simd', r.simd ?? '-'],
    ['gemm', r.gemm ?? '-'],
    ['arch', r.arch],
    ['compiler', r.compiler ?? '-'],
    ['native kernels', r.nativeKernels.length ? `${r.nativeKernels.length}: ${r.nativeKernels.join(', ')}` : 'none'],
    ['platform', `${r.platform}, ${r.cpus.count} cpus (${r.cpus.model})`],
    ...(r.webgpu ? [['webgpu', formatAdapter(r.webgpu)] as [string, string]] : []),
    [
      'versions',
      Object.entries(r.versions)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
    ],
  ];
  const width = Math.max(...rows.map(([k]) => k.length)) + 2;
  return rows.map(([k, v]) => `${k.padEnd(width)}${v}`).join('\n');
}
