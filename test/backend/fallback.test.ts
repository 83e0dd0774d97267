// Fallback: when the addon is disabled, missing or corrupt, importing tsgan still works, tfjs runs
// on `cpu`, and exactly one line on stderr says why. Each case runs in a fresh child process,
// since the backend is chosen once, at import.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = pathToFileURL(path.join(root, 'src', 'index.ts')).href;
const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-fallback-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// Imports tsgan, runs a few ops (a conv, a matmul, a gradient), prints what ran where as JSON.
const script = `
import { tf, backendRegistration } from ${JSON.stringify(entry)};
const x = tf.tensor4d([1, -2, 3, 4, 5, -6, 7, 8, 9], [1, 3, 3, 1]);
const w = tf.ones([2, 2, 1, 1]);
const conv = tf.conv2d(x, w, 1, 'valid');
const mm = tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([5, 6, 7, 8], [2, 2]));
const g = tf.grad((a) => tf.sum(tf.relu(a)))(x);
console.log(JSON.stringify({
  backend: tf.getBackend(),
  registration: backendRegistration,
  conv: Array.from(conv.dataSync()),
  mm: Array.from(mm.dataSync()),
  grad: Array.from(g.dataSync()),
}));
`;

function runChild(extraEnv: Record<string, string>) {
  const env: Record<string, string | undefined> = { ...process.env, ...extraEnv };
  // The test runner sets TSGAN_QUIET=1; the line under test must be printed here.
  delete env.TSGAN_QUIET;
  for (const k of ['TSGAN_DISABLE_NATIVE', 'TSGAN_NATIVE_PATH']) if (!(k in extraEnv)) delete env[k];
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.signal, null, `child killed by ${r.signal}: ${r.stderr}`);
  assert.equal(r.status, 0, `child failed (exit ${r.status}):\n${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
    backend: string;
    registration: { backend: string; reason: string | null; nativeKernels: string[] };
    conv: number[];
    mm: number[];
    grad: number[];
  };
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '');
  return { out, lines };
}

function assertCorrectResults(out: ReturnType<typeof runChild>['out']): void {
  assert.deepEqual(out.conv, [8, 0, 24, 16]); // 2x2 window sums
  assert.deepEqual(out.mm, [19, 22, 43, 50]);
  assert.deepEqual(out.grad, [1, 0, 1, 1, 1, 0, 1, 1, 1]); // relu' of x
}

test('TSGAN_DISABLE_NATIVE=1: runs on cpu and says why in one stderr line', () => {
  const { out, lines } = runChild({ TSGAN_DISABLE_NATIVE: '1' });
  assert.equal(out.backend, 'cpu');
  assert.equal(out.registration.backend, 'cpu');
  assert.deepEqual(out.registration.nativeKernels, []);
  assert.equal(lines.length, 1, `expected one stderr line, got:\n${lines.join('\n')}`);
  assert.match(lines[0]!, /^tsgan: running on tfjs cpu.*TSGAN_DISABLE_NATIVE=1/);
  assertCorrectResults(out);
});

test('TSGAN_NATIVE_PATH at a corrupt .node file: runs on cpu and says why in one stderr line', () => {
  const bad = path.join(tmp, 'corrupt.node');
  // Not a shared object: an ELF magic followed by garbage.
  const bytes = Buffer.alloc(4096, 0x5a);
  bytes.write('\x7fELF', 0, 'latin1');
  writeFileSync(bad, bytes);
  const { out, lines } = runChild({ TSGAN_NATIVE_PATH: bad });
  assert.equal(out.backend, 'cpu');
  assert.equal(out.registration.backend, 'cpu');
  assert.equal(lines.length, 1, `expected one stderr line, got:\n${lines.join('\n')}`);
  assert.match(lines[0]!, /^tsgan: running on tfjs cpu/);
  assert.ok(lines[0]!.includes(bad) && /failed to load/.test(lines[0]!), lines[0]);
  assert.equal(out.registration.reason, lines[0]!.replace(/^.*native backend unavailable: /, ''));
  assertCorrectResults(out);
});

test('TSGAN_NATIVE_PATH at a missing file: runs on cpu and says why in one stderr line', () => {
  const missing = path.join(tmp, 'nowhere', 'tsgan_native.node');
  const { out, lines } = runChild({ TSGAN_NATIVE_PATH: missing });
  assert.equal(out.backend, 'cpu');
  assert.equal(lines.length, 1, `expected one stderr line, got:\n${lines.join('\n')}`);
  assert.ok(lines[0]!.includes(missing) && /no such file/.test(lines[0]!), lines[0]);
  assertCorrectResults(out);
});

test('with the addon built: runs on native and prints nothing on stderr', () => {
  const { out, lines } = runChild({});
  assert.equal(out.backend, 'native');
  assert.equal(out.registration.backend, 'native');
  assert.equal(out.registration.reason, null);
  assert.ok(out.registration.nativeKernels.length > 0);
  assert.deepEqual(lines, []);
  assertCorrectResults(out);
});
