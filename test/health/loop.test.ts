// The health monitor inside the real training loop (src/train/run.ts) on the vanilla-ring8 toy:
// a learning rate 50x too high and a one-mode generator are provoked on purpose; each must be
// detected within a bounded number of steps, and the remedy must either recover (rollback to the
// last healthy checkpoint + lower learning rate, then the run completes without another event) or
// stop cleanly with an explanation (a final checkpoint written, the reason in the result).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { tf } from '../../src/index.js';
import type { HealthEvent } from '../../src/health/types.js';
import { train } from '../../src/train/run.js';

async function run(config: Record<string, unknown>, onStart?: Parameters<typeof train>[0] extends infer O ? O extends { onStart?: infer F } ? F : never : never) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsgan-health-loop-'));
  const events: HealthEvent[] = [];
  const lrAfter: number[] = [];
  const res = await train({
    preset: 'vanilla-ring8',
    config: { logEvery: 20, sampleEvery: 100000, ...config },
    runDir: path.join(dir, 'run'),
    progress: 'none' as never,
    handleSignals: false,
    warn: () => {},
    onStart: (tr, runDir) => {
      tr.events.on('health', (e: HealthEvent) => events.push(e));
      tr.events.on('log', () => lrAfter.push(tr.lr('G')));
      onStart?.(tr, runDir);
    },
  });
  const healthLines = existsSync(path.join(res.runDir, 'health.jsonl'))
    ? readFileSync(path.join(res.runDir, 'health.jsonl'), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as HealthEvent)
    : [];
  const finalCheckpointWritten = res.checkpoint !== null && existsSync(res.checkpoint);
  res.trainer.dispose();
  rmSync(dir, { recursive: true, force: true });
  return { res, events, healthLines, lrAfter, finalCheckpointWritten };
}

test('learning rate 50x too high: detected within 100 steps; rollback + lower lr recovers', async () => {
  const { res, events, healthLines, lrAfter } = await run({
    steps: 300,
    lr: 5e-4 * 50,
    checkpointEvery: 20,
    health: { enabled: true, remedies: { 'mode-collapse': { action: 'rollback', lrFactor: 0.02 }, divergence: { action: 'rollback', lrFactor: 0.02 } } },
  });
  assert.ok(events.length >= 1, 'no health event');
  const first = events[0];
  assert.ok(['mode-collapse', 'divergence', 'non-finite'].includes(first.kind), first.kind);
  assert.ok(first.step <= 100, `detected at step ${first.step}`);
  assert.deepEqual(healthLines.map((e) => e.kind), events.map((e) => e.kind), 'events are written to health.jsonl');
  // Recovered: the run completed, with the learning rate lowered, and no further event.
  assert.equal(res.reason, 'completed');
  assert.equal(res.step, 300);
  assert.equal(events.length, 1);
  assert.ok(Math.abs(lrAfter.at(-1)! - 5e-4) < 1e-9, `final lr ${lrAfter.at(-1)}`);
});

test('learning rate 50x too high with the default remedies and no early checkpoint: stops cleanly, saying why', async () => {
  const { res, events, finalCheckpointWritten } = await run({ steps: 300, lr: 5e-4 * 50, checkpointEvery: 1000, health: { enabled: true } });
  assert.ok(events.length >= 1 && events[0].step <= 100, `events ${events.map((e) => e.step)}`);
  assert.equal(res.reason, 'stopped');
  assert.match(res.message ?? '', /tsgan health: stopping: .*Cannot roll back: no healthy checkpoint/);
  assert.ok(res.step < 300);
  assert.ok(finalCheckpointWritten, 'the stopped run saved its state');
});

test('one-mode generator: collapse detected within 2 log records (40 steps)', async () => {
  const { res, events } = await run({ steps: 200, checkpointEvery: 1000, health: { enabled: true, remedies: { 'mode-collapse': { action: 'stop' } } } }, (tr) => {
    // Every latent maps to the same point: zero the generator's last kernel and freeze learning.
    const g = tr.model.networks[tr.model.generatorName];
    const last = g.layers[g.layers.length - 1];
    const w = last.getWeights();
    last.setWeights([tf.zerosLike(w[0]), ...w.slice(1)]);
    tr.scaleLearningRates(1e-9);
  });
  assert.equal(events[0]?.kind, 'mode-collapse');
  assert.ok(events[0].step <= 40, `step ${events[0].step}`);
  assert.ok(events[0].signals.diversity < 1e-6);
  assert.equal(res.reason, 'stopped');
  assert.match(res.message ?? '', /Mode collapse: diversity/);
});
