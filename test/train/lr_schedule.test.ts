import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { parseConfig } from '../../src/train/config.js';
import { train } from '../../src/train/run.js';
import type { Trainer } from '../../src/train/trainer.js';

/** Runs vanilla-ring8 for 8 steps with the given schedule and records D's lr before each step. */
async function lrTrace(schedule: Record<string, unknown>): Promise<number[]> {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'tsgan-lrs-')), 'run');
  const lrs: number[] = [];
  const res = await train({
    preset: 'vanilla-ring8',
    config: {
      model: { hidden: 16, depth: 2 },
      data: { points: 256 },
      steps: 8,
      batchSize: 16,
      lr: 1e-3,
      logEvery: 4,
      sampleEvery: 100,
      sampleCount: 16,
      checkpointEvery: 100,
      ...schedule,
    },
    runDir: dir,
    progress: 'none',
    handleSignals: false,
    beforeStep: (t: Trainer) => {
      lrs.push(t.lr('D'));
      return undefined;
    },
  });
  res.trainer.dispose();
  return lrs;
}

test('linear lr: held for lrDecayStart of the run, then straight to 0 (CycleGAN schedule)', async () => {
  const half = await lrTrace({ lrSchedule: 'linear', lrDecayStart: 0.5 });
  assert.equal(half.length, 8);
  // trainStep sets the lr as it starts, so the value read before step i is the one step i - 1 ran
  // with (step 0 sees the initial lr). Steps 0-4 run at the full lr, then 3/4, 2/4, 1/4 of it.
  const ran = [1, 1, 1, 1, 1, 0.75, 0.5, 0.25];
  half.forEach((lr, i) => {
    const want = 1e-3 * ran[Math.max(0, i - 1)];
    assert.ok(Math.abs(lr - want) < 1e-12, `before step ${i}: lr ${lr}, want ${want}`);
  });
  const fromStart = await lrTrace({ lrSchedule: 'linear' });
  fromStart.forEach((lr, i) => {
    const want = 1e-3 * (1 - Math.max(0, i - 1) / 8);
    assert.ok(Math.abs(lr - want) < 1e-12, `before step ${i}: lr ${lr}, want ${want}`);
  });
});

test('lrDecayStart outside [0, 0.99] is refused by the config', () => {
  assert.throws(() => parseConfig({ lrSchedule: 'linear', lrDecayStart: 1 }), /lrDecayStart/);
});
