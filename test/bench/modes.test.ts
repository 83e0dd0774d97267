// `tsgan bench modes` without the long runs: bad options are sentences naming the option (before any
// training), every variant trains a few steps and lands in the table with its paper row, PacGAN3's
// batch is a multiple of 3, the comparison rows start from the base preset and the stabilized row is
// the stabilized preset as shipped.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { buildProgram } from '../../src/cli/main.js';
import { benchModes, formatModesTable, MODES_VARIANTS } from '../../src/index.js';
import { modesRunConfig } from '../../src/bench/modes.js';

async function cliError(...args: string[]): Promise<string> {
  const program = buildProgram();
  program.exitOverride();
  for (const c of program.commands) c.exitOverride();
  try {
    await program.parseAsync(['node', 'tsgan', ...args]);
  } catch (e) {
    return (e as Error).message;
  }
  return '';
}

test('bench modes: bad options are sentences naming the option', async () => {
  assert.match(await cliError('bench', 'modes', '--task', 'ring9'), /--task must be one of ring8, grid25/);
  assert.match(await cliError('bench', 'modes', '--variants', 'pacgan5'), /--variants: unknown variant 'pacgan5'/);
  assert.match(await cliError('bench', 'modes', '--seeds', '0'), /--seeds must be a positive integer/);
  assert.match(await cliError('bench', 'modes', '--steps', 'x'), /--steps must be a positive integer/);
  await assert.rejects(benchModes({ task: 'ring8', seeds: 1.5 }), /--seeds must be an integer from 1 to 100/);
});

test('bench modes: every variant runs, PacGAN3 packs a batch of 255, the stabilized row is the shipped preset', async () => {
  const p3 = modesRunConfig('ring8', MODES_VARIANTS.find((v) => v.name === 'pacgan3')!, 1);
  assert.equal(p3.batchSize % 3, 0);
  assert.equal(p3.model.pack, 3);
  const lines: string[] = [];
  const r = await benchModes({ task: 'grid25', seeds: 1, steps: 3, onProgress: (l) => lines.push(l) });
  assert.deepEqual(
    r.rows.map((row) => row.variant),
    MODES_VARIANTS.map((v) => v.name),
  );
  for (const row of r.rows) {
    assert.equal(row.runs.length, 1);
    assert.ok(row.modes.mean >= 0 && row.modes.mean <= 25);
    assert.ok(row.highQuality.mean >= 0 && row.highQuality.mean <= 1);
  }
  // The rows start from vanilla-grid25-r1 (hinge + R1 is its config); the stabilized row is vanilla-grid25-stable.
  const byName = (n: string) => MODES_VARIANTS.find((v) => v.name === n)!;
  const hinge = modesRunConfig('grid25', byName('hinge-r1'), 1);
  const stable = modesRunConfig('grid25', byName('stabilized'), 1);
  assert.equal(hinge.steps, 8000);
  assert.equal(hinge.model.hidden, 256);
  assert.equal(stable.steps, 16000);
  assert.equal(stable.model.hidden, 128);
  assert.equal(modesRunConfig('ring8', byName('stabilized'), 1).r1Gamma > 0, true);
  assert.equal(modesRunConfig('ring8', byName('pacgan2'), 1).r1Gamma, 0);
  assert.equal(r.base, 'vanilla-grid25-r1');
  assert.equal(r.preset, 'vanilla-grid25-stable');
  assert.ok(!lines.some((l) => /stabilized: the same config/.test(l)));
  const table = formatModesTable(r);
  assert.match(table, /variants of vanilla-grid25-r1 .* tsgan's preset vanilla-grid25-stable/);
  assert.match(table, /PacGAN4 +24\.8 ± 0\.2 +93\.6 ± 0\.6%/);
  assert.match(table, /GAN, minimax loss/);
});
