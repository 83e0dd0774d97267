// The loop never loses work and never hides trouble: a full disk is an error that keeps the last
// good checkpoint (on a small tmpfs this test mounts), a new run refuses a folder holding one, two
// runs cannot share a folder (lock file, stale locks replaced), a resume trims metrics written after
// its checkpoint, a failing evaluation is recorded after the checkpoint is safe, NaN losses end as
// 'diverged', and --lr over a preset's lrG / lrD sets both.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import {
  listCheckpoints,
  loadFashionMnist,
  loadLatestCheckpoint,
  makeToy2d,
  resolveConfig,
  type TrainConfigInput,
  type TrainOptions,
  tf,
  train,
} from '../../src/index.js';

const tiny = (over: TrainConfigInput = {}): TrainConfigInput => ({
  model: { family: 'vanilla', hidden: 8 },
  batchSize: 8,
  logEvery: 1,
  sampleEvery: 1000,
  ...over,
});

async function run(opts: TrainOptions) {
  const r = await train({ dataset: makeToy2d('ring8', 128, 0), progress: 'none', handleSignals: false, ...opts });
  r.trainer.dispose();
  return r;
}

const metricSteps = (dir: string) =>
  readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { step: number }).step);

/** Mounts a tmpfs of `size` on a new folder; null (with the reason) where mounting is not allowed. */
function mountTmpfs(size: string): { dir: string } | { skip: string } {
  if (process.platform !== 'linux') return { skip: 'tmpfs needs Linux' };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-full-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return {
      skip: `cannot mount a tmpfs here (root and CAP_SYS_ADMIN needed): ${(r.stderr || String(r.error)).trim()}`,
    };
  }
  return { dir };
}

function unmount(dir: string): void {
  execFileSync('umount', [dir]);
  rmSync(dir, { recursive: true, force: true });
}

test('a full disk: the checkpoint write fails with ENOSPC, the last good checkpoint survives, resume works', async (t) => {
  const m = mountTmpfs('2m');
  if ('skip' in m) {
    t.skip(m.skip);
    return;
  }
  try {
    const runDir = path.join(m.dir, 'run');
    const filler = path.join(m.dir, 'filler');
    // Checkpoints of this model take ~500 kB: after the first one, leave room for the log lines and
    // the sample grid of step 4, but not for its checkpoint.
    const config = tiny({
      model: { family: 'vanilla', hidden: 128, depth: 2 },
      steps: 4,
      logEvery: 2,
      sampleEvery: 4,
      checkpointEvery: 2,
      keepCheckpoints: 1,
    });
    await assert.rejects(
      run({
        config,
        runDir,
        onStart: (trainer) =>
          trainer.events.on('checkpoint', (e) => {
            if (e.step !== 2) return;
            const s = statfsSync(m.dir);
            writeFileSync(filler, Buffer.alloc(Math.max(0, s.bavail * s.bsize - 200_000)));
          }),
      }),
      (e: Error) => {
        assert.match(e.message, /could not write checkpoint .*step-0000004\.ckpt: no space left on device \(ENOSPC\)/);
        assert.match(e.message, /the last good checkpoint is .*step-0000002\.ckpt/);
        return true;
      },
    );
    const ckDir = path.join(runDir, 'checkpoints');
    assert.deepEqual(
      readdirSync(ckDir).filter((f) => f.includes('.tmp')),
      [],
      'no temp file left',
    );
    assert.deepEqual(
      listCheckpoints(ckDir).map((c) => c.step),
      [2],
    );
    assert.equal(loadLatestCheckpoint(ckDir).checkpoint.header.step, 2);
    assert.ok(!existsSync(path.join(runDir, 'tsgan.lock')), 'the lock is released on failure');
    // Room again: the run continues from the surviving checkpoint.
    rmSync(filler);
    const r = await run({ resume: runDir, config: { steps: 4 }, warn: () => {} });
    assert.equal(r.reason, 'completed');
    assert.deepEqual(
      listCheckpoints(ckDir).map((c) => c.step),
      [4],
    );
  } finally {
    unmount(m.dir);
  }
});

test('a new run refuses a folder that holds a run unless overwrite is given', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-exists-'));
  try {
    await run({ config: tiny({ steps: 4, checkpointEvery: 2 }), runDir: dir });
    const before = readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8');
    await assert.rejects(
      run({ config: tiny({ steps: 2, seed: 9, checkpointEvery: 2 }), runDir: dir }),
      /already holds a run \(config\.json, metrics\.jsonl, 2 checkpoints\): continue it with --resume .*--overwrite/,
    );
    assert.equal(readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8'), before, 'metrics untouched');
    assert.equal(JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')).config.seed, 0, 'config untouched');
    await run({ config: tiny({ steps: 2, seed: 9, checkpointEvery: 2 }), runDir: dir, overwrite: true });
    assert.deepEqual(metricSteps(dir), [1, 2]);
    assert.deepEqual(
      listCheckpoints(path.join(dir, 'checkpoints')).map((c) => c.step),
      [2],
    );
    assert.equal(JSON.parse(readFileSync(path.join(dir, 'config.json'), 'utf8')).config.seed, 9);
    // A resumed run stays in its folder: another --run-dir with --resume is an error, not ignored.
    await assert.rejects(
      run({ resume: dir, runDir: path.join(dir, 'elsewhere'), config: { steps: 4 } }),
      /--run-dir .*elsewhere and --resume .* name different folders/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a run folder in use is refused (lock file with the pid); a stale lock is replaced with a warning', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-lock-'));
  try {
    let second: Promise<unknown> | null = null;
    let lockSeen: { pid: number } | null = null;
    await run({
      config: tiny({ steps: 12, checkpointEvery: 2 }),
      runDir: dir,
      onStart: (trainer) =>
        trainer.events.on('checkpoint', (e) => {
          if (e.step !== 2) return;
          const lock = path.join(dir, 'tsgan.lock');
          lockSeen = existsSync(lock) ? JSON.parse(readFileSync(lock, 'utf8')) : null;
          // A second trainer on the same folder while the first runs.
          second = run({ resume: dir, config: { steps: 12 } });
          second.catch(() => {});
        }),
    });
    assert.ok(second, 'the second run was started');
    await assert.rejects(second!, /run folder .* is in use by this process .*delete .*tsgan\.lock/);
    assert.equal(lockSeen?.pid, process.pid, 'the lock names this process');
    assert.deepEqual(
      metricSteps(dir),
      Array.from({ length: 12 }, (_, i) => i + 1),
      'every step logged once',
    );
    assert.ok(!existsSync(path.join(dir, 'tsgan.lock')), 'lock removed at the end');

    // A lock left by a process that is gone (a kill -9), and one whose pid was reused by this process.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    for (const stale of [
      { pid: dead, host: os.hostname(), processStart: Date.now(), since: 'earlier' },
      { pid: process.pid, host: os.hostname(), processStart: 0, since: 'earlier' },
    ]) {
      writeFileSync(path.join(dir, 'tsgan.lock'), JSON.stringify(stale));
      const warnings: string[] = [];
      await run({ resume: dir, config: { steps: 12 }, warn: (w) => warnings.push(w) });
      assert.ok(
        warnings.some((w) => w.includes(`stale lock`) && w.includes(`process ${stale.pid}`)),
        warnings.join('\n'),
      );
      assert.ok(!existsSync(path.join(dir, 'tsgan.lock')));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('resume trims metrics.jsonl to the checkpoint step (no repeated steps after a crash)', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-trim-'));
  try {
    await run({ config: tiny({ steps: 6, checkpointEvery: 3 }), runDir: dir });
    // As after a kill -9 between the log of step 6 and its checkpoint: lines 4-6, newest checkpoint 3;
    // plus a line cut short by the crash.
    rmSync(path.join(dir, 'checkpoints', 'step-0000006.ckpt'));
    writeFileSync(
      path.join(dir, 'metrics.jsonl'),
      `${readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')}{"lossD":0.`,
    );
    const warnings: string[] = [];
    await run({ resume: dir, config: { steps: 6 }, warn: (w) => warnings.push(w) });
    assert.deepEqual(metricSteps(dir), [1, 2, 3, 4, 5, 6]);
    assert.ok(
      warnings.some((w) => /metrics\.jsonl: dropped 4 line\(s\) after step 3/.test(w)),
      warnings.join('\n'),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** G's weights set to NaN before the first step: every loss and every generated image is NaN. */
const poison: TrainOptions['onStart'] = (trainer) => {
  for (const w of trainer.model.networks.G.weights) w.write(tf.fill(w.shape, Number.NaN));
};

test('an evaluation that fails is recorded with its reason after the checkpoint is written; the run goes on', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-evalfail-'));
  try {
    const ckAtLog: Record<number, boolean> = {};
    const r = await train({
      config: {
        model: { family: 'dcgan', width: 2, latentDim: 4 },
        batchSize: 4,
        steps: 4,
        logEvery: 2,
        evalEvery: 2,
        evalN: 32,
        evalMetrics: 'fid-fmnist',
        sampleEvery: 1000,
        checkpointEvery: 4,
      },
      dataset: loadFashionMnist({ limit: 32 }),
      runDir: dir,
      progress: 'none',
      handleSignals: false,
      warn: () => {},
      onStart: (trainer) => {
        poison(trainer, dir);
        trainer.events.on('log', (e) => {
          ckAtLog[e.step] = existsSync(path.join(dir, 'checkpoints', `step-000000${e.step}.ckpt`));
        });
      },
    });
    r.trainer.dispose();
    assert.equal(r.step, 4);
    assert.match(r.message ?? '', /the last evaluation could not compute fid-fmnist/);
    assert.ok(ckAtLog[4], "step 4's checkpoint was on disk before its evaluation was logged");
    const lines = readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      lines.map((l) => l.step),
      [2, 4],
    );
    for (const l of lines) {
      assert.equal(l['fid-fmnist'], null);
      assert.match((l.evalErrors as Record<string, string>)['fid-fmnist'], /\w+/);
    }
    assert.equal(loadLatestCheckpoint(path.join(dir, 'checkpoints')).checkpoint.header.step, 4);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("NaN losses with the health monitor off: a warning, and the run ends 'diverged', not 'completed'", async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-nan-'));
  try {
    const warnings: string[] = [];
    const r = await run({
      config: tiny({ steps: 4, logEvery: 2 }),
      runDir: dir,
      onStart: poison,
      warn: (w) => warnings.push(w),
    });
    assert.equal(r.reason, 'diverged');
    assert.match(r.message ?? '', /non-finite losses .* at 4 step\(s\) from step 1 on/);
    assert.deepEqual(r.nonFinite, { firstStep: 1, steps: 4 });
    assert.ok(
      warnings.some((w) => /non-finite loss at step 1/.test(w)),
      warnings.join('\n'),
    );
    // A healthy run still completes.
    const ok = await run({ config: tiny({ steps: 2 }), runDir: path.join(dir, 'ok') });
    assert.equal(ok.reason, 'completed');
    assert.equal(ok.nonFinite, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("lr over a preset's lrG / lrD sets both networks' rate, and says so", () => {
  const notes: string[] = [];
  const c = resolveConfig('dcgan-fmnist', { lr: 1e-3 }, (m) => notes.push(m));
  assert.equal(c.lr, 1e-3);
  assert.equal(c.lrG, undefined);
  assert.equal(c.lrD, undefined);
  assert.match(
    notes.join('\n'),
    /lr 0\.001 sets both networks' learning rate: it replaces lrG 0\.0012 and lrD 0\.0004/,
  );
  // lr with one of them alongside: that one wins for its network, lr for the other.
  const d = resolveConfig('dcgan-fmnist', { lr: 1e-3, lrD: 5e-4 });
  assert.equal(d.lrG, undefined);
  assert.equal(d.lrD, 5e-4);
  // Without lr, the preset's rates stay.
  const e = resolveConfig('dcgan-fmnist', { steps: 5 });
  assert.equal(e.lrG, 1.2e-3);
  assert.equal(e.lrD, 4e-4);
});

test('a run that fails before it starts leaves no folder behind; an impossible run folder is a sentence', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-nofolder-'));
  try {
    const runDir = path.join(tmp, 'runs', 'r1');
    await assert.rejects(
      train({
        config: tiny({ steps: 2, data: { source: 'folder', path: path.join(tmp, 'no-such-images') } }),
        runDir,
        progress: 'none',
        handleSignals: false,
      }),
    );
    assert.ok(!existsSync(path.join(tmp, 'runs')), 'no empty run folder left');
    const file = path.join(tmp, 'a-file');
    writeFileSync(file, 'x');
    await assert.rejects(
      run({ config: tiny({ steps: 2 }), runDir: path.join(file, 'run') }),
      /cannot create the run folder .*a-file\/run: a part of the path is a file, not a folder \(ENOTDIR\)/,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
