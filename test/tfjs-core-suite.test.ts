// tfjs-core's own op test suite (about 3,500 jasmine specs shipped in @tensorflow/tfjs-core) run
// against the `native` backend in a child process (see test/tfjs-core-suite/run.mjs), with the
// default SIMD path and again with the portable one: every spec must pass, and the spec count must
// stay near the cpu baseline (3,473) so that a broken bundle ("No specs found") or an over-grown
// exclusion list cannot pass silently.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const runner = path.join(path.dirname(fileURLToPath(import.meta.url)), 'tfjs-core-suite', 'run.mjs');
/** The cpu backend runs 3,473 specs; exclusions may remove a few, never hundreds. */
const SPEC_FLOOR = 3400;

function runSuite(what: string, env: Record<string, string>): void {
  const r = spawnSync(process.execPath, [runner], {
    encoding: 'utf8',
    timeout: 170_000,
    maxBuffer: 64 << 20,
    env: { ...process.env, ...env },
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  assert.equal(r.signal, null, `${what}: suite runner killed by ${r.signal}:\n${out.slice(-4000)}`);
  const line = out.split('\n').find((l) => l.startsWith('TSGAN_SUITE_RESULT '));
  assert.ok(line, `${what}: suite runner printed no result (exit ${r.status}):\n${out.slice(-4000)}`);
  const res = JSON.parse(line.slice('TSGAN_SUITE_RESULT '.length)) as {
    specs: number;
    failed: number;
    suiteErrors: number;
    nativeKernels: string[];
  };
  const failures = out
    .split('\n')
    .filter((l) => l.startsWith('FAILED: ') || l.startsWith('SUITE ERROR: ') || l.startsWith('    '))
    .join('\n');
  assert.ok(res.nativeKernels.length > 0, `${what}: the suite ran without any native kernel`);
  assert.equal(
    res.failed,
    0,
    `${what}: ${res.failed} of ${res.specs} specs failed on native:\n${failures.slice(0, 8000)}`,
  );
  assert.equal(res.suiteErrors, 0, `${what}: suite-level errors:\n${failures.slice(0, 8000)}`);
  assert.ok(
    res.specs >= SPEC_FLOOR,
    `${what}: only ${res.specs} specs ran (floor ${SPEC_FLOOR}): is the bundle dropping test files?`,
  );
  assert.equal(r.status, 0, `${what}: suite runner exited with ${r.status}`);
}

test('tfjs-core op test suite passes on the native backend', { timeout: 180_000 }, () => {
  runSuite('default SIMD and threads', {});
});

// The portable kernels and another work split are code paths of their own.
test('tfjs-core op test suite passes on native with TSGAN_SIMD=portable and 3 threads', { timeout: 180_000 }, () => {
  runSuite('TSGAN_SIMD=portable TSGAN_NUM_THREADS=3', { TSGAN_SIMD: 'portable', TSGAN_NUM_THREADS: '3' });
});
