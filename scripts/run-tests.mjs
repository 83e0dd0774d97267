// The test command (npm test): every *.test.ts under test/ and src/, through node's test runner
// with tsx. Pass file paths or substrings to run a subset: `npm test -- conv2d`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function walk(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const filters = process.argv.slice(2);
// The whole suite starts with the formatter and linter check (Biome, biome.json): `npx biome check --write .`
// fixes what it can. A filtered run (`npm test -- conv2d`) skips it.
if (filters.length === 0) {
  const lint = spawnSync(path.join('node_modules', '.bin', 'biome'), ['ci', '.'], { stdio: 'inherit' });
  if (lint.status !== 0) {
    console.error('biome: formatting or lint errors (run `npx biome check --write .` to fix what it can)');
    process.exit(lint.status ?? 1);
  }
}
let files = [...walk('test', []), ...walk('src', [])].sort();
if (filters.length) files = files.filter((f) => filters.some((s) => f.includes(s)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// The tests' temporary folders (run folders, exports, the browser's profile) go under one folder of
// this run's, removed at the end whatever the outcome, so that `npm test` leaves nothing in the
// system's temporary folder.
const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-test-'));
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env: { ...process.env, TSGAN_QUIET: process.env.TSGAN_QUIET ?? '1', TMPDIR: tmp } },
);
rmSync(tmp, { recursive: true, force: true });
process.exit(r.status ?? 1);
