import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { train } from '../../src/train/run.js';
import type { Trainer } from '../../src/train/trainer.js';

const small = {
  model: { hidden: 16, depth: 2 },
  data: { points: 512 },
  steps: 6,
  batchSize: 32,
  logEvery: 2,
  sampleEvery: 100,
  sampleCount: 64,
  checkpointEvery: 100,
};

test('trainer controls: one phase alone, a live learning rate, a stop from beforeStep', async () => {
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'tsgan-ctl-')), 'run');
  const seen: Array<{ step: number; D: number; G: number }> = [];
  let onlyD: { step: number; losses: Record<string, number> } | null = null;
  const res = await train({
    preset: 'vanilla-ring8',
    config: small,
    runDir: dir,
    progress: 'none',
    handleSignals: false,
    beforeStep: (t: Trainer) => {
      seen.push({ step: t.step, D: t.phaseUpdates.D ?? 0, G: t.phaseUpdates.G ?? 0 });
      if (t.step === 2 && !onlyD) {
        onlyD = t.trainStep(false, ['D']);
        t.setLearningRate('G', 5e-4);
      }
      return t.step >= 4 ? 'stop' : undefined;
    },
  });
  try {
    assert.equal(res.reason, 'stopped');
    assert.equal(res.step, 4);
    assert.ok(onlyD, 'the D-only step ran');
    const d = onlyD as { step: number; losses: Record<string, number> };
    assert.equal(d.step, 2, 'a single-phase step does not advance the step count');
    assert.deepEqual(Object.keys(d.losses), ['D'], 'only D ran');
    assert.ok(Number.isFinite(d.losses.D));
    // After step 2: D has 2 + 1 updates, G 2; after step 3 the counts move together again.
    const at3 = seen.find((s) => s.step === 3)!;
    assert.deepEqual([at3.D, at3.G], [4, 3]);
    assert.throws(() => res.trainer.setLearningRate('X', 1e-3), /no optimizer named 'X'/);
    assert.throws(() => res.trainer.setLearningRate('G', -1), /positive/);
    // The live lr replaces lrG; the linear schedule still applies (factor 1 - 3/6 on the last step run).
    assert.ok(Math.abs(res.trainer.lr('G') - 5e-4 * (1 - 3 / 6)) < 1e-9, `lrG ${res.trainer.lr('G')}`);
    // And a checkpoint keeps it.
    const ck = res.trainer.toCheckpoint();
    assert.deepEqual((ck.header.state as { lrOverride: unknown }).lrOverride, { G: 5e-4 });
  } finally {
    res.trainer.dispose();
  }
});
