// Ctrl-C during `tsgan train` saves a checkpoint of the step reached, exits with 130, and the run
// resumes from there; SIGTERM (schedulers, containers) and SIGHUP (a closed terminal) do the same.
// Also: the typed training events arrive in order.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { listCheckpoints, makeToy2d, train } from '../../src/index.js';

/**
 * Starts a long CLI training run, sends `signal` once step 20 is logged (after `whileRunning`, if
 * given, has run); resolves with the exit code and stderr.
 */
async function interruptTraining(
  run: string,
  signal: NodeJS.Signals,
  checkpointEvery = 1000000,
  whileRunning?: () => Promise<void>,
): Promise<{ code: number | null; err: string }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join('test', 'cli', 'fixtures', 'run_cli.ts'),
      'train',
      '--model.family',
      'vanilla',
      '--model.hidden',
      '8',
      '--data.source',
      'ring8',
      '--data.points',
      '256',
      '--batchSize',
      '8',
      '--steps',
      '1000000',
      '--logEvery',
      '5',
      '--checkpointEvery',
      String(checkpointEvery),
      '--sampleEvery',
      '1000000',
      '--run-dir',
      run,
      '--progress',
      'lines',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TSGAN_QUIET: '1' } },
  );
  let err = '';
  let sent = false;
  child.stderr.on('data', (d: Buffer) => {
    err += d.toString();
    if (!sent && /step 20\//.test(err)) {
      sent = true;
      void (whileRunning ?? (async () => {}))().finally(() => child.kill(signal));
    }
  });
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  assert.ok(sent, `training never logged step 20:\n${err}`);
  return { code, err };
}

function assertOneCheckpoint(run: string): void {
  const cks = listCheckpoints(path.join(run, 'checkpoints'));
  assert.equal(cks.length, 1);
  assert.ok(cks[0].step >= 20 && cks[0].step < 1000000, `checkpoint at step ${cks[0].step}`);
}

test('SIGINT saves a checkpoint then exits with code 130', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-sigint-'));
  try {
    const run = path.join(tmp, 'run');
    const { code, err } = await interruptTraining(run, 'SIGINT');
    assert.equal(code, 130, err);
    assert.match(err, /interrupted at step \d+/);
    assertOneCheckpoint(run);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('SIGTERM and SIGHUP save a checkpoint too, exit 128 + the signal number, and the run resumes', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-sigterm-'));
  try {
    for (const [signal, exit] of [
      ['SIGTERM', 143],
      ['SIGHUP', 129],
    ] as const) {
      const run = path.join(tmp, signal);
      const { code, err } = await interruptTraining(run, signal);
      assert.equal(code, exit, err);
      assert.match(err, new RegExp(`interrupted at step \\d+: interrupted \\(${signal}\\): checkpoint saved`));
      assertOneCheckpoint(run);
      assert.ok(!existsSync(path.join(run, 'tsgan.lock')), 'lock released');
    }
    const run = path.join(tmp, 'SIGTERM');
    const saved = listCheckpoints(path.join(run, 'checkpoints'))[0].step;
    const r = await train({
      resume: run,
      config: { steps: saved + 2, checkpointEvery: 1000000 },
      progress: 'none',
      handleSignals: false,
    });
    r.trainer.dispose();
    assert.equal(r.step, saved + 2);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('a second process cannot train in a run folder while the first does (lock names its pid)', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-lock2-'));
  try {
    const run = path.join(tmp, 'run');
    let refusal: unknown = null;
    let owner = 0;
    const { code, err } = await interruptTraining(run, 'SIGINT', 1000000, async () => {
      owner = (JSON.parse(readFileSync(path.join(run, 'tsgan.lock'), 'utf8')) as { pid: number }).pid;
      refusal = await train({ resume: run, progress: 'none', handleSignals: false }).then(
        (r) => {
          r.trainer.dispose();
          return null;
        },
        (e: unknown) => e,
      );
    });
    assert.equal(code, 130, err);
    assert.ok(owner > 0 && owner !== process.pid, `lock owner ${owner}`);
    assert.ok(refusal instanceof Error, 'the second run was refused');
    assert.match((refusal as Error).message, new RegExp(`is in use by process ${owner} on `));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('kill -9: the next run replaces the stale lock, resumes, and metrics.jsonl has each step once', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-kill9-'));
  try {
    const run = path.join(tmp, 'run');
    const { code, err } = await interruptTraining(run, 'SIGKILL', 7);
    assert.equal(code, null, err);
    assert.ok(existsSync(path.join(run, 'tsgan.lock')), 'the killed process left its lock');
    const saved = listCheckpoints(path.join(run, 'checkpoints'))[0].step;
    const warnings: string[] = [];
    const r = await train({
      resume: run,
      config: { steps: saved + 10 },
      progress: 'none',
      handleSignals: false,
      warn: (w) => warnings.push(w),
    });
    r.trainer.dispose();
    assert.equal(r.reason, 'completed');
    assert.ok(
      warnings.some((w) => /stale lock/.test(w)),
      warnings.join('\n'),
    );
    const steps = readFileSync(path.join(run, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { step: number }).step);
    const expected = Array.from({ length: Math.floor((saved + 10) / 5) }, (_, i) => 5 * (i + 1));
    if ((saved + 10) % 5 !== 0) expected.push(saved + 10); // the last step is always logged
    assert.deepEqual(steps, expected, 'each log step once, in order');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('training events: step, log, sample, checkpoint, done', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-events-'));
  try {
    const seen: string[] = [];
    const res = await train({
      config: {
        model: { family: 'vanilla', hidden: 8 },
        batchSize: 8,
        steps: 4,
        logEvery: 2,
        sampleEvery: 4,
        checkpointEvery: 4,
      },
      dataset: makeToy2d('ring8', 64, 0),
      runDir: tmp,
      progress: 'none',
      handleSignals: false,
      onStart: (trainer) => {
        for (const name of ['step', 'log', 'sample', 'checkpoint', 'done'] as const) {
          trainer.events.on(name, (e: { step: number }) => seen.push(`${name}:${e.step}`));
        }
      },
    });
    res.trainer.dispose();
    assert.deepEqual(seen, [
      'step:1',
      'step:2',
      'log:2',
      'step:3',
      'step:4',
      'log:4',
      'sample:4',
      'checkpoint:4',
      'done:4',
    ]);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
