// `tsgan bench presets` end to end on the two cheapest entries: JSON with the step time, images/s,
// the full run's expected training time and, with --profile, a census whose shares add up; the
// text report; bad options get a sentence naming them.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';

import { runCli } from '../helpers/cli.js';
import { benchPresets, formatPresetBench } from '../../src/bench/presets.js';
import { EXPECTED_WALL_TIME, PRESETS } from '../../src/train/presets.js';

/** Runs the CLI in process and returns what it printed with console.log (the test runner owns stdout). */
const cli = (...args: string[]) => runCli(args, { capture: 'log' });

test('bench presets --profile --json: step time, images/s, expected wall time and the kernel census', {
  timeout: 120_000,
}, async () => {
  const out = await cli(
    'bench',
    'presets',
    '--preset',
    'vanilla-ring8-minimax',
    '--steps',
    '2',
    '--warmup',
    '1',
    '--profile',
    '--json',
  );
  const r = JSON.parse(out.trim().split('\n').pop()!);
  assert.equal(r.bench, 'presets');
  assert.equal(r.backend, 'native');
  assert.equal(r.rows.length, 1);
  const row = r.rows[0];
  assert.equal(row.preset, 'vanilla-ring8-minimax');
  assert.equal(row.batch, 256);
  assert.ok(row.ms_per_step > 0);
  assert.ok(Math.abs(row.img_per_s - (row.batch * 1000) / row.ms_per_step) <= 0.01 * row.img_per_s + 0.1);
  const steps = PRESETS['vanilla-ring8-minimax']!.config.steps!;
  assert.ok(Math.abs(row.expected_wall_s - (steps * row.ms_per_step) / 1000) <= 1);
  const shares = row.census.rows.reduce((a: number, k: { share: number }) => a + k.share, 0);
  assert.ok(Math.abs(shares - 1) < 0.01, `census shares add up to ${shares}`);
  const mm = row.census.rows.find((k: { kernel: string }) => k.kernel === 'BatchMatMul');
  assert.equal(mm.kind, 'native');
  assert.ok(mm.calls_per_step >= 1);
  assert.equal(r.peer, null); // no cgan-fmnist in the list: no peer
});

test('bench presets: the reference steps and the text report', { timeout: 120_000 }, async () => {
  const r = await benchPresets({ presets: ['ref:dcgan-64-d', 'ref:wgan-gp-critic'], steps: 1, warmup: 0, peer: false });
  assert.equal(r.rows[0]!.batch, 64);
  assert.equal(r.rows[0]!.expected_wall_s, null);
  // One critic step of wgan-gp-fmnist (its preset runs 5 per step). No ordering of the two times is
  // asserted: after the AVX-512 GEMM they are within noise of each other on a shared 2-core machine.
  assert.equal(r.rows[1]!.d_steps, 1);
  for (const row of r.rows) {
    assert.ok(row.ms_per_step > 0, JSON.stringify(row));
    assert.ok(Math.abs(row.img_per_s - (row.batch * 1000) / row.ms_per_step) <= 0.01 * row.img_per_s + 0.1);
  }
  const text = formatPresetBench(r);
  assert.match(text, /ref:dcgan-64-d\s+64\s+\d+\.\d/);
});

test('bench presets rejects an unknown preset and bad step counts with a sentence', async () => {
  await assert.rejects(
    cli('bench', 'presets', '--preset', 'cgan-fmnst'),
    /unknown preset 'cgan-fmnst' \(known: .*cgan-fmnist/,
  );
  await assert.rejects(cli('bench', 'presets', '--steps', '0'), /--steps must be a positive integer, got 0/);
  await assert.rejects(cli('bench', 'presets', '--warmup', 'x'), /--warmup must be a non-negative integer, got NaN/);
  await assert.rejects(cli('bench', 'presets', '--threads', '0'), /--threads must be a positive integer, got 0/);
});

test("train --list-presets states every preset's expected wall time on 2 cores", async () => {
  for (const name of Object.keys(PRESETS)) {
    assert.match(
      EXPECTED_WALL_TIME[name] ?? '',
      /\d/,
      `preset ${name} has no expected wall time in EXPECTED_WALL_TIME`,
    );
  }
  // --list-presets writes to process.stdout, which the test runner owns: run the CLI in a child.
  const main = new URL('../../src/cli/main.ts', import.meta.url).href;
  const r = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '-e',
      `import(${JSON.stringify(main)}).then((m) => m.buildProgram().parseAsync(['node', 'tsgan', 'train', '--list-presets']))`,
    ],
    { encoding: 'utf8', env: { ...process.env, TSGAN_QUIET: '1' } },
  );
  assert.equal(r.status, 0, r.stderr);
  const out = r.stdout;
  for (const name of Object.keys(PRESETS)) {
    const line = out.split('\n').find((l) => l.startsWith(`${name} `));
    assert.ok(line?.includes(`[2 cores: ${EXPECTED_WALL_TIME[name]}]`), `--list-presets line of ${name}: ${line}`);
  }
});
