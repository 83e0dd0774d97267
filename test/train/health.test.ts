// The loop wires the health monitor (src/health) when `health` is set: a learning rate far too
// high diverges, the event is written to health.jsonl and emitted, and the remedy (no healthy
// checkpoint to roll back to -> stop) ends the run cleanly with a final checkpoint.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { listCheckpoints, makeToy2d, train } from '../../src/index.js';

test('divergence is detected, logged, and stops the run with a checkpoint', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-health-'));
  try {
    const events: string[] = [];
    const res = await train({
      config: {
        model: { family: 'vanilla', hidden: 8 },
        batchSize: 16,
        steps: 200,
        logEvery: 5,
        lr: 5,
        checkpointEvery: 1000,
        sampleEvery: 1000,
        health: { enabled: true },
      },
      dataset: makeToy2d('ring8', 256, 0),
      runDir: dir,
      progress: 'none',
      handleSignals: false,
      onStart: (t) => {
        t.events.on('health', (e) => events.push(e.kind));
      },
    });
    res.trainer.dispose();
    assert.equal(res.reason, 'stopped');
    assert.ok(res.step < 200, `stopped at ${res.step}`);
    assert.ok(events.includes('divergence'), events.join(','));
    const lines = readFileSync(path.join(dir, 'health.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines[0].kind, 'divergence');
    assert.ok(existsSync(path.join(dir, 'checkpoints')));
    assert.equal(listCheckpoints(path.join(dir, 'checkpoints'))[0].step, res.step);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
