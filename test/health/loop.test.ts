// The health monitor inside the real training loop (src/train/run.ts) on the vanilla-ring8 toy:
// a learning rate 50x too high (mid-run and from the start) and a one-mode generator are provoked
// on purpose; each must be
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

async function run(
  config: Record<string, unknown>,
  onStart?: Parameters<typeof train>[0] extends infer O ? (O extends { onStart?: infer F } ? F : never) : never,
) {
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
    ? readFileSync(path.join(res.runDir, 'health.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as HealthEvent)
    : [];
  const finalCheckpointWritten = res.checkpoint !== null && existsSync(res.checkpoint);
  res.trainer.dispose();
  rmSync(dir, { recursive: true, force: true });
  return { res, events, healthLines, lrAfter, finalCheckpointWritten };
}

test('learning rate raised 50x mid-run (step 400): detected within 100 steps; rollback to a healthy checkpoint + lower lr recovers', async () => {
  let raisedAt = -1;
  const { res, events, healthLines } = await run(
    {
      steps: 800,
      checkpointEvery: 100,
      health: {
        enabled: true,
        remedies: {
          'mode-collapse': { action: 'rollback', lrFactor: 0.02 },
          divergence: { action: 'rollback', lrFactor: 0.02 },
          'non-finite': { action: 'rollback', lrFactor: 0.02 },
        },
      },
    },
    (tr) => {
      tr.events.on('log', (rec: { step: number }) => {
        if (rec.step === 400 && raisedAt < 0) {
          raisedAt = rec.step;
          tr.scaleLearningRates(50);
        }
      });
    },
  );
  assert.equal(raisedAt, 400);
  const log = events.map((e) => `${e.step} ${e.kind}: ${e.message}`).join('\n');
  // Warnings (gradient spikes) may come first; the first critical event must come within 100 steps.
  const critical = events.filter((e) => e.severity === 'critical');
  assert.ok(critical.length >= 1, `no critical event:\n${log}`);
  assert.ok(critical[0].step > 400 && critical[0].step <= 500, `detected at step ${critical[0].step}:\n${log}`);
  assert.ok(events[0].step > 400, `nothing before the lr was raised:\n${log}`);
  assert.deepEqual(
    healthLines.map((e) => e.kind),
    events.map((e) => e.kind),
    'events are written to health.jsonl',
  );
  // Recovered: one rollback, then the run completed without another critical event.
  assert.equal(critical.length, 1, log);
  assert.equal(res.reason, 'completed');
  assert.equal(res.step, 800);
});

test('learning rate 50x too high from the start: detected within 200 steps, stops cleanly saying why', async () => {
  const { res, events, finalCheckpointWritten } = await run({
    steps: 300,
    lr: 1e-3 * 50,
    checkpointEvery: 1000,
    health: { enabled: true },
  });
  assert.ok(events.length >= 1 && events[0].step <= 200, `events ${events.map((e) => `${e.step} ${e.kind}`)}`);
  assert.equal(res.reason, 'stopped');
  assert.match(res.message ?? '', /tsgan health: stopping: .*Cannot roll back: no healthy checkpoint/);
  assert.ok(res.step < 300);
  assert.ok(finalCheckpointWritten, 'the stopped run saved its state');
});

test('one-mode generator: collapse detected by step armAfter (1,000) + 2 log records', async () => {
  const { res, events } = await run(
    {
      steps: 1200,
      checkpointEvery: 1000,
      health: { enabled: true, remedies: { 'mode-collapse': { action: 'stop' } } },
    },
    (tr) => {
      // Every latent maps to the same point: zero every kernel of G (biases and norms stay) and freeze learning.
      const g = tr.model.networks[tr.model.generatorName];
      for (const l of g.layers) {
        const ws = l.getWeights();
        if (ws.length) l.setWeights(ws.map((w) => (w.shape.length >= 2 ? tf.zerosLike(w) : w)));
      }
      tr.scaleLearningRates(1e-9);
    },
  );
  assert.equal(events[0]?.kind, 'mode-collapse');
  assert.ok(events[0].step <= 1040, `step ${events[0].step}`);
  assert.ok(events[0].signals.diversity < 1e-3, `diversity ${events[0].signals.diversity}`);
  assert.equal(res.reason, 'stopped');
  assert.match(res.message ?? '', /Mode collapse: diversity/);
});
