// `tsgan doctor --json` (the CLI program, in a child process so that each case loads the addon
// under its own environment) checked against reality: the thread and SIMD settings, the kernel
// registry, the installed versions, this machine's CPUs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { formatDoctorReport, type DoctorReport } from '../../src/backend/doctor.js';
import { nativeKernelConfigs } from '../../src/backend/kernels/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const mainUrl = pathToFileURL(path.join(root, 'src', 'cli', 'main.ts')).href;

/** Runs the CLI with `args` in a child process; errors are printed as bin/tsgan.js does. */
function runCli(
  args: string[],
  extraEnv: Record<string, string>,
): { status: number | null; stdout: string; stderr: string } {
  const env: Record<string, string | undefined> = { ...process.env, ...extraEnv };
  for (const k of ['TSGAN_DISABLE_NATIVE', 'TSGAN_NATIVE_PATH', 'TSGAN_NUM_THREADS', 'TSGAN_SIMD', 'TSGAN_BACKEND']) {
    if (!(k in extraEnv)) delete env[k];
  }
  const argv = JSON.stringify(['node', 'tsgan', ...args]);
  const script = `import { main } from ${JSON.stringify(mainUrl)};
main(${argv}).catch((e) => { process.stderr.write('tsgan: ' + e.message + '\\n'); process.exit(1); });`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.signal, null, `tsgan ${args.join(' ')} killed by ${r.signal}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function runDoctor(extraEnv: Record<string, string>, json = true): { stdout: string; stderr: string } {
  const r = runCli(['doctor', ...(json ? ['--json'] : [])], extraEnv);
  assert.equal(r.status, 0, `tsgan doctor failed (exit ${r.status}):\n${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

const json = (env: Record<string, string>) => JSON.parse(runDoctor(env).stdout) as DoctorReport;

function version(pkgDir: string): string {
  return (JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** Whether this CPU has AVX2 and FMA (Linux: /proc/cpuinfo). null when it cannot tell. */
function cpuHasFlag(flag: string): boolean | null {
  try {
    return (
      readFileSync('/proc/cpuinfo', 'utf8')
        .match(/^flags\s*:(.*)$/m)?.[1]
        ?.split(/\s+/) ?? []
    ).includes(flag);
  } catch {
    return null;
  }
}

function cpuHasAvx2Fma(): boolean | null {
  try {
    const flags =
      readFileSync('/proc/cpuinfo', 'utf8')
        .match(/^flags\s*:(.*)$/m)?.[1]
        ?.split(/\s+/) ?? [];
    return flags.includes('avx2') && flags.includes('fma');
  } catch {
    return null;
  }
}

test('doctor --json under TSGAN_NUM_THREADS=3 TSGAN_SIMD=portable reports them, and the rest matches reality', () => {
  const r = json({ TSGAN_NUM_THREADS: '3', TSGAN_SIMD: 'portable' });
  assert.equal(r.backend, 'native');
  assert.equal(r.nativeLoaded, true);
  assert.equal(r.reason, null);
  assert.equal(r.threads, 3);
  assert.equal(r.simd, 'portable');
  assert.equal(r.gemm, 'portable');
  assert.ok(r.addonPath != null);
  assert.equal(realpathSync(r.addonPath), realpathSync(path.join(root, 'build', 'Release', 'tsgan_native.node')));
  assert.deepEqual(r.nativeKernels, nativeKernelConfigs.map((k) => k.kernelName).sort());
  assert.ok(r.nativeKernels.length > 0);
  assert.equal(r.arch, { x64: 'x86_64', arm64: 'aarch64' }[process.arch as string] ?? process.arch);
  assert.equal(typeof r.compiler, 'string');
  assert.ok(r.compiler!.length > 0);
  assert.deepEqual(r.versions, {
    tsgan: version(root),
    node: process.versions.node,
    'tfjs-core': version(path.join(root, 'node_modules', '@tensorflow', 'tfjs-core')),
    'tfjs-layers': version(path.join(root, 'node_modules', '@tensorflow', 'tfjs-layers')),
    'tfjs-backend-cpu': version(path.join(root, 'node_modules', '@tensorflow', 'tfjs-backend-cpu')),
    'tfjs-backend-webgpu': version(path.join(root, 'node_modules', '@tensorflow', 'tfjs-backend-webgpu')),
    // An optional dependency: doctor says so when it is absent.
    webgpu: existsSync(path.join(root, 'node_modules', 'webgpu'))
      ? version(path.join(root, 'node_modules', 'webgpu'))
      : 'not installed',
  });
  assert.equal(r.versions['tfjs-core'], '4.22.0');
  assert.equal(r.platform, process.platform);
  assert.equal(r.cpus.count, os.cpus().length);
  assert.equal(r.cpus.model, os.cpus()[0]!.model.trim());
});

test('doctor --json by default: threads = core count, SIMD from the CPU', () => {
  const r = json({});
  assert.equal(r.backend, 'native');
  assert.equal(r.threads, os.cpus().length);
  const avx2 = cpuHasAvx2Fma();
  if (avx2 != null) assert.equal(r.simd, avx2 && process.arch === 'x64' ? 'avx2+fma' : 'portable');
  else assert.ok(r.simd === 'avx2+fma' || r.simd === 'portable');
  // The SGEMM kernel: AVX-512 where the CPU has AVX-512F (and AVX2), and TSGAN_AVX512=0 keeps AVX2.
  const avx512 = cpuHasFlag('avx512f');
  if (avx2 != null && avx512 != null && process.arch === 'x64') {
    assert.equal(r.gemm, avx512 && avx2 ? 'avx512' : avx2 ? 'avx2' : 'portable');
    assert.equal(json({ TSGAN_AVX512: '0' }).gemm, avx2 ? 'avx2' : 'portable');
  } else assert.ok(['avx512', 'avx2', 'portable'].includes(r.gemm ?? ''));
});

test('doctor --json with TSGAN_NUM_THREADS=1', () => {
  assert.equal(json({ TSGAN_NUM_THREADS: '1' }).threads, 1);
});

test('doctor --json with the addon disabled: cpu, the reason, no addon', () => {
  const r = json({ TSGAN_DISABLE_NATIVE: '1' });
  assert.equal(r.backend, 'cpu');
  assert.equal(r.nativeLoaded, false);
  assert.match(r.reason ?? '', /TSGAN_DISABLE_NATIVE=1/);
  assert.equal(r.addonPath, null);
  assert.equal(r.simd, null);
  assert.equal(r.gemm, null);
  assert.equal(r.threads, 1);
  assert.deepEqual(r.nativeKernels, []);
});

test('doctor (readable) prints one line per field', () => {
  const { stdout } = runDoctor({ TSGAN_NUM_THREADS: '2', TSGAN_SIMD: 'portable' }, false);
  assert.match(stdout, /^backend\s+native\b/m);
  assert.match(stdout, /^threads\s+2$/m);
  assert.match(stdout, /^simd\s+portable$/m);
  assert.match(stdout, /^gemm\s+portable$/m);
  assert.match(
    stdout,
    /^versions\s+tsgan \S+, node \S+, tfjs-core 4\.22\.0, tfjs-layers 4\.22\.0, tfjs-backend-cpu 4\.22\.0, tfjs-backend-webgpu 4\.22\.0, webgpu \S+$/m,
  );
  // The adapter line: the adapter found, or why there is none.
  assert.match(stdout, /^webgpu\s+\S/m);
});

// No Vulkan driver can load: an ICD list that names a file that does not exist (and, on a machine
// without the Vulkan loader, libvulkan.so.1 is missing anyway). Dawn then writes 'Warning: ...' lines
// to stderr when it is loaded.
const noVulkan = { VK_ICD_FILENAMES: path.join(os.tmpdir(), 'tsgan-no-such-icd.json') };
const dawnInstalled = existsSync(path.join(root, 'node_modules', 'webgpu'));

test("without Vulkan, doctor keeps stderr clean and folds Dawn's messages into one line", () => {
  const { stdout, stderr } = runCli(['--backend', 'native', 'doctor'], noVulkan);
  assert.equal(stderr, '', 'nothing on stderr');
  const rows = stdout.split('\n').filter((l) => /^webgpu\s/.test(l));
  assert.equal(rows.length, 1, stdout);
  assert.match(rows[0]!, /^webgpu\s+no adapter: /);
  const r = JSON.parse(runCli(['doctor', '--json'], noVulkan).stdout) as DoctorReport;
  assert.equal(r.webgpu?.adapter, null);
  if (dawnInstalled && process.platform === 'linux') {
    // What Dawn said, without its 'Warning:' prefixes and source locations.
    assert.match(r.webgpu!.reason ?? '', /\(Dawn: [^)]*(Vulkan|driver|ICD|JSON)/i);
    assert.doesNotMatch(r.webgpu!.reason ?? '', /Warning:|\.cpp:\d+/);
  }
});

test('without Vulkan, --backend native and auto print no Dawn warnings; --backend webgpu fails in one line', () => {
  const native = runCli(['--backend', 'native', 'info', path.join(root, 'no-such-run')], noVulkan);
  assert.equal(native.status, 1);
  assert.equal(native.stderr.trim().split('\n').length, 1, native.stderr);
  assert.match(native.stderr, /^tsgan: not found: /);
  const auto = runCli(['--backend', 'auto', 'doctor'], noVulkan);
  assert.equal(auto.status, 0, auto.stderr);
  // auto says in one line why it runs on the CPU; nothing from Dawn itself.
  // (The test runner may set TSGAN_QUIET=1, which silences that line too.)
  for (const line of auto.stderr.split('\n').filter((l) => l))
    assert.match(line, /^tsgan: auto: no GPU, running on native: /);
  assert.match(auto.stdout, /^backend\s+native \(C\+\+ kernels\)$/m);
  const webgpu = runCli(['--backend', 'webgpu', 'doctor'], noVulkan);
  assert.equal(webgpu.status, 1);
  const lines = webgpu.stderr.trim().split('\n');
  assert.equal(lines.length, 1, webgpu.stderr);
  assert.match(lines[0]!, /^tsgan: the webgpu backend is unavailable: /);
  assert.doesNotMatch(lines[0]!, /Warning:|tsgan: tsgan:/);
});

test('doctor labels the backend it runs on: C++ kernels only on native', () => {
  const base = JSON.parse(runDoctor({}).stdout) as DoctorReport;
  const label = (r: DoctorReport) => /^backend\s+(.*)$/m.exec(formatDoctorReport(r))![1]!;
  assert.equal(label(base), 'native (C++ kernels)');
  assert.match(label({ ...base, backend: 'webgpu' }), /^webgpu \(WGSL kernels/);
  assert.doesNotMatch(label({ ...base, backend: 'webgpu' }), /C\+\+/);
  assert.match(label({ ...base, backend: 'cpu' }), /^cpu \(TensorFlow\.js's JavaScript kernels/);
  assert.match(
    label({ ...base, backend: 'cpu', nativeLoaded: false, reason: 'TSGAN_DISABLE_NATIVE=1' }),
    /native backend unavailable: TSGAN_DISABLE_NATIVE=1/,
  );
});

test('doctor --backend webgpu says webgpu, not C++ kernels (where a WebGPU adapter exists)', (t) => {
  const r = runCli(['--backend', 'webgpu', 'doctor'], {});
  if (
    r.status !== 0 &&
    /the webgpu backend is unavailable/.test(r.stderr) &&
    process.env.TSGAN_REQUIRE_WEBGPU !== '1'
  ) {
    t.skip(`no WebGPU adapter here: ${r.stderr.trim()}`);
    return;
  }
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^backend\s+webgpu \(WGSL kernels/m);
  assert.match(r.stdout, /^webgpu\s+\S/m);
});
