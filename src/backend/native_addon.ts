// Loads the C++ addon (build/Release/tsgan_native.node). Never throws: a missing or broken
// addon yields { addon: null, error } so that tsgan can fall back to the tfjs `cpu` backend.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the addon reports about itself (see native/binding.cc). */
export interface NativeInfo {
  threads: number;
  simd: string;
  /** The SGEMM's register kernel: 'avx512' (TSGAN_AVX512=0 turns it off), 'avx2' or 'portable' (absent in older builds). */
  gemm?: string;
  arch: string;
  compiler: string;
  kernels: string[];
}

/** The addon's exports: runtime info plus one function per native kernel. */
export type NativeAddon = {
  info(): NativeInfo;
  setNumThreads(n: number): number;
} & {
  // Kernel entry points, by kernel name; each kernel's glue knows its own signature.
  [kernel: string]: ((...args: never[]) => unknown) | undefined;
};

export interface AddonLoad {
  addon: NativeAddon | null;
  path: string | null;
  error: string | null;
}

/** Finds the package root (the folder whose package.json is named "tsgan") above `start`. */
export function findPackageRoot(start: string): string | null {
  let dir = start;
  for (;;) {
    const pj = path.join(dir, 'package.json');
    if (existsSync(pj)) {
      try {
        if (JSON.parse(readFileSync(pj, 'utf8')).name === 'tsgan') return dir;
      } catch {
        /* keep looking */
      }
    }
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** Where to look for the addon: TSGAN_NATIVE_PATH alone when set (an explicit choice is never
 * silently replaced by another build), else build/Release/ of the package root. */
function candidatePaths(): string[] {
  const out: string[] = [];
  if (process.env.TSGAN_NATIVE_PATH) return [path.resolve(process.env.TSGAN_NATIVE_PATH)];
  const roots = new Set<string>();
  try {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const r = findPackageRoot(here);
    if (r) roots.add(r);
  } catch {
    /* import.meta.url is not a file URL inside some bundles */
  }
  const fromCwd = findPackageRoot(process.cwd());
  if (fromCwd) roots.add(fromCwd);
  for (const r of roots) out.push(path.join(r, 'build', 'Release', 'tsgan_native.node'));
  return out;
}

/** Loads the addon, or reports in one line why it could not. */
export function loadNativeAddon(): AddonLoad {
  if (process.env.TSGAN_DISABLE_NATIVE === '1') {
    return { addon: null, path: null, error: 'disabled by TSGAN_DISABLE_NATIVE=1' };
  }
  const candidates = candidatePaths();
  const req = createRequire(import.meta.url);
  let lastError = process.env.TSGAN_NATIVE_PATH
    ? `TSGAN_NATIVE_PATH=${process.env.TSGAN_NATIVE_PATH}: no such file`
    : `addon not built (looked for ${candidates.join(', ') || 'build/Release/tsgan_native.node'}; run \`npm install\`)`;
  for (const p of candidates) {
    if (!existsSync(p)) continue;
    try {
      const addon = req(p) as NativeAddon;
      addon.info();
      return { addon, path: p, error: null };
    } catch (e) {
      lastError = `addon at ${p} failed to load: ${(e as Error).message.split('\n')[0]}`;
    }
  }
  return { addon: null, path: null, error: lastError };
}
