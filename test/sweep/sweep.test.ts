// Sweeps without a server: the spec's validation (unknown fields with the closest name), trial ids,
// the ASHA scheduler's decisions, ASHA promotions that continue a trial from its checkpoint, a trial
// that crashes (recorded as failed, the sweep goes on), and an unreachable Redis (one sentence naming
// the address, within the stated timeout).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';

import {
  checkRedis,
  emaRungNote,
  emaSettledStep,
  emaStartShare,
  expandParams,
  nextTask,
  parseSweepSpec,
  planTrials,
  readSweepSpec,
  readTrialState,
  runSegment,
  runSweep,
  rungSteps,
  type TrialStatus,
} from '../../src/index.js';
import { runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-sweep-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const TOY = {
  model: { family: 'vanilla', latentDim: 8, hidden: 16, depth: 2 },
  data: { source: 'ring8', points: 1000 },
  batchSize: 32,
  logEvery: 50,
  sampleEvery: 100000,
  sampleCount: 16,
  checkpointEvery: 50,
};

test('spec: unknown fields name the closest valid one; YAML and JSON files', () => {
  assert.throws(
    () => parseSweepSpec({ vary: { 'model.widht': [16, 32] } }),
    /unknown config field 'model\.widht', did you mean 'model\.width'\?/,
  );
  assert.throws(() => parseSweepSpec({ vary: { lrr: [1e-3] } }), /did you mean 'lr'\?/);
  assert.throws(() => parseSweepSpec({ metrc: 'fid-fmnist' }), /unknown field 'metrc', did you mean 'metric'\?/);
  assert.throws(() => parseSweepSpec({ asha: { minStep: 100 } }), /did you mean 'minSteps'\?/);
  assert.throws(() => parseSweepSpec({ preset: 'dcgan-fmnst' }), /did you mean 'dcgan-fmnist'\?/);
  assert.throws(() => parseSweepSpec({ vary: { lr: { min: 1e-4, max: 1e-3 } } }), /needs search: random/);
  // A value the config rejects is a sentence naming the trial.
  assert.throws(() => planTrials(parseSweepSpec({ vary: { lr: [-1] } })), /invalid trial config \(trial \{"lr":-1\}\)/);
  const yaml = path.join(tmp, 'bad.yaml');
  writeFileSync(yaml, 'vary:\n  model.widht: [16, 32]\n');
  assert.throws(
    () => readSweepSpec(yaml),
    (e: Error) => e.message.startsWith(`${yaml}: `) && /model\.width/.test(e.message),
  );
  const json = path.join(tmp, 'ok.json');
  writeFileSync(json, JSON.stringify({ preset: 'dcgan-fmnist', vary: { lr: [1e-4, 2e-4] }, metric: 'is-fmnist' }));
  const s = readSweepSpec(json);
  assert.equal(s.name, 'ok');
  assert.deepEqual(s.metric, { name: 'is-fmnist', goal: 'max' });
});

test('trials: ids hash the resolved config (not key order); grid and seeded random draws', () => {
  const a = planTrials(parseSweepSpec({ config: TOY, vary: { lr: [1e-3, 2e-3], seed: [0, 1] }, steps: 100 }));
  assert.equal(a.length, 4);
  assert.equal(new Set(a.map((t) => t.id)).size, 4);
  const reordered = { data: TOY.data, model: TOY.model, ...TOY };
  const b = planTrials(parseSweepSpec({ config: reordered, vary: { seed: [0, 1], lr: [1e-3, 2e-3] }, steps: 100 }));
  assert.deepEqual(b.map((t) => t.id).sort(), a.map((t) => t.id).sort());
  // A different budget is a different trial.
  const c = planTrials(parseSweepSpec({ config: TOY, vary: { lr: [1e-3, 2e-3], seed: [0, 1] }, steps: 200 }));
  assert.equal(c.filter((t) => a.some((x) => x.id === t.id)).length, 0);
  const r = parseSweepSpec({
    search: 'random',
    samples: 5,
    seed: 3,
    vary: { lr: { min: 1e-5, max: 1e-2, log: true }, 'model.width': [16, 32] },
  });
  const d1 = expandParams(r);
  assert.deepEqual(expandParams(r), d1);
  assert.equal(d1.length, 5);
  for (const p of d1) {
    assert.ok((p.lr as number) >= 1e-5 && (p.lr as number) <= 1e-2);
    assert.ok([16, 32].includes(p['model.width'] as number));
  }
  assert.notDeepEqual(expandParams({ ...r, seed: 4 }), d1);
});

test('ASHA: rungs, promotions of the top 1/eta (async and sync)', () => {
  const spec = parseSweepSpec({ asha: { minSteps: 100, eta: 3 }, steps: 2000 });
  assert.deepEqual(rungSteps(spec, 2000, 50), [100, 300, 900, 2000]);
  assert.deepEqual(rungSteps(spec, 2000, 250), [250, 500, 1000, 2000]);
  const opts = { rungs: [100, 300, 900], eta: 3, mode: 'async' as const, goal: 'min' as const };
  const mk = (id: string, results: [number, number | null][] = [], running: number | null = null): TrialStatus => ({
    id,
    results: new Map(results),
    failed: false,
    running,
  });
  // Fewer than eta results at a rung: nothing to promote yet, start a new trial.
  let ts = [mk('a', [[100, 1]]), mk('b', [[100, 2]]), mk('c'), mk('d')];
  assert.deepEqual(nextTask(ts, opts), { id: 'c', until: 100 });
  // 3 results: the best (a) goes on to 300 before any new trial starts.
  ts = [mk('a', [[100, 1]]), mk('b', [[100, 2]]), mk('c', [[100, 0.5]]), mk('d')];
  assert.deepEqual(nextTask(ts, opts), { id: 'c', until: 300 });
  assert.deepEqual(nextTask(ts, { ...opts, goal: 'max' }), { id: 'b', until: 300 });
  // The promoted one is running: the next free worker starts d; a null (diverged) value ranks last.
  ts = [mk('a', [[100, null]]), mk('b', [[100, 2]]), mk('c', [[100, 0.5]], 300), mk('d')];
  assert.deepEqual(nextTask(ts, opts), { id: 'd', until: 100 });
  // Sync (successive halving): nothing goes on before the rung is complete.
  const sync = { ...opts, mode: 'sync' as const };
  ts = [mk('a', [[100, 1]]), mk('b', [[100, 2]]), mk('c', [[100, 0.5]]), mk('d', [], 100)];
  assert.equal(nextTask(ts, sync), null);
  ts[3] = mk('d', [[100, 3]]);
  assert.deepEqual(nextTask(ts, sync), { id: 'c', until: 300 });
});

test("ASHA: a first rung inside the EMA generator's warm-up is noted, with the first rung past it", () => {
  // ema 0.995 from step 0: 0.995^100 = 61% of the random initialization left at 100 steps, 22% at 300.
  assert.ok(Math.abs(emaStartShare(0.995, 100) - 0.995 ** 100) < 1e-12);
  assert.ok(emaStartShare(0.995, 100) > 0.6 && emaStartShare(0.995, 300) < 0.25);
  assert.equal(emaStartShare(0, 100), 0);
  assert.equal(emaStartShare(0.995, 100, 500), 0); // before emaStart the copy follows the raw generator
  assert.equal(emaSettledStep(0.995, 50), 300); // 0.995^250 = 0.29 > 0.25 >= 0.995^300
  assert.equal(emaSettledStep(0.995, 50, 1000), 1300);
  assert.equal(emaSettledStep(0.99, 50), 150); // 0.99^138 = 0.25
  const sweep = (asha: { minSteps: number }, metric = 'fid-fmnist') =>
    parseSweepSpec({ preset: 'dcgan-fmnist', vary: { lrG: [3e-4, 1.2e-3] }, metric, steps: 900, asha });
  const note = (spec: ReturnType<typeof sweep>) => emaRungNote(spec, planTrials(spec), rungSteps(spec, 900, 50));
  assert.match(note(sweep({ minSteps: 100 })) ?? '', /first rung \(100 steps\).*ema 0\.995.*61%.*asha\.minSteps 300/);
  assert.equal(note(sweep({ minSteps: 300 })), null);
  assert.equal(note(sweep({ minSteps: 100 }, 'lossG')), null); // a logged loss is not measured on the EMA copy
});

test('an ASHA sweep continues promoted trials from their checkpoints; a crashing trial is recorded and the sweep goes on', {
  timeout: 300000,
}, async () => {
  const dir = path.join(tmp, 'asha');
  const spec = parseSweepSpec(
    {
      config: TOY,
      vary: { lr: [1e-4, 3e-4, 1e-3, 3e-3] },
      metric: 'lossD',
      steps: 200,
      asha: { minSteps: 50, eta: 2, mode: 'sync' },
    },
    'asha',
  );
  const res = await runSweep({ spec, sweepDir: dir, workers: 2, log: () => {} });
  // Rungs 50, 100, 200: 4 trials, then the best 2, then the best 1.
  assert.deepEqual(res.leaderboard.rungs, [50, 100, 200]);
  assert.deepEqual(
    res.leaderboard.rows.map((r) => r.step),
    [200, 100, 50, 50],
  );
  assert.equal(res.segmentsRun, 7);
  assert.equal(res.leaderboard.stepsTrained, 4 * 50 + 2 * 50 + 100);
  assert.equal(res.leaderboard.budgetSteps, 800);
  const best = res.leaderboard.best!;
  assert.equal(best.status, 'finished');
  const rungs = readTrialState(dir, best.id).rungs;
  assert.deepEqual(
    rungs.map((r) => [r.step, r.resumedFrom]),
    [
      [50, null],
      [100, 50],
      [200, 100],
    ],
  );
  // The promoted trials were the best of their rung.
  const at50 = res.leaderboard.rows.map((r) => r.rungs['50']!).sort((a, b) => a - b);
  const promoted = res.leaderboard.rows.filter((r) => r.step >= 100).map((r) => r.rungs['50']!);
  assert.deepEqual(
    promoted.sort((a, b) => a - b),
    at50.slice(0, 2),
  );
  assert.match(readFileSync(path.join(dir, 'leaderboard.html'), 'utf8'), /<svg/);
  // A rung below the best trial's checkpoints (another sweep with an earlier rung in this folder) is
  // refused, not measured at the later step.
  const early = await runSegment({
    sweepDir: dir,
    trialId: best.id,
    overrides: {},
    until: 25,
    metric: { name: 'lossD', goal: 'min' },
    evalN: 100,
  });
  assert.equal(early.ok, false);
  assert.match(!early.ok ? early.failure.error : '', /checkpoint at step 200, past this rung \(25\)/);

  // A trial that crashes (its data folder does not exist) is recorded as failed; the other finishes.
  const crashDir = path.join(tmp, 'crash');
  const crash = parseSweepSpec(
    {
      config: { ...TOY, data: { ...TOY.data, path: path.join(tmp, 'no-such-folder') } },
      vary: { 'data.source': ['ring8', 'folder'] },
      steps: 50,
    },
    'crash',
  );
  const out = await runSweep({ spec: crash, sweepDir: crashDir, workers: 2, log: () => {} });
  const [ok, failed] = out.leaderboard.rows;
  assert.equal(ok!.status, 'finished');
  assert.equal(failed!.status, 'failed');
  assert.match(failed!.error!, /no-such-folder/);
  assert.equal(readTrialState(crashDir, failed!.id).failure?.error, failed!.error);
  // Running it again runs nothing (the failure is recorded, not retried).
  assert.equal((await runSweep({ spec: crash, sweepDir: crashDir, workers: 2, log: () => {} })).segmentsRun, 0);
});

test('a queue worker takes over a trial folder locked by a dead worker on another machine', {
  timeout: 120000,
}, async () => {
  const sweepDir = path.join(tmp, 'foreign');
  const [plan] = planTrials(parseSweepSpec({ config: TOY, steps: 50 }));
  const runDir = path.join(sweepDir, 'trials', plan!.id);
  mkdirSync(runDir, { recursive: true });
  const lock = JSON.stringify({ pid: 1, host: 'another-machine', processStart: 0, since: '2026-01-01T00:00:00Z' });
  writeFileSync(path.join(runDir, 'tsgan.lock'), lock);
  const task = {
    sweepDir,
    trialId: plan!.id,
    overrides: plan!.overrides,
    until: 50,
    metric: { name: 'lossD', goal: 'min' as const },
    evalN: 100,
  };
  // Outside a queue job the lock is respected (the trial fails with the reason)...
  const refused = await runSegment(task);
  assert.equal(refused.ok, false);
  assert.match(refused.ok ? '' : refused.failure.error, /in use by process 1 on another-machine/);
  rmSync(path.join(runDir, 'failed.json'));
  writeFileSync(path.join(runDir, 'tsgan.lock'), lock);
  // ...a queue worker, which holds the job, takes it over.
  const out = await runSegment(task, () => {}, { takeOverForeignLock: true });
  assert.ok(out.ok, out.ok ? '' : out.failure.error);
  assert.equal(out.result.step, 50);
});

test('an unreachable Redis is one sentence naming the address, within the stated timeout', async () => {
  // A loopback port nobody listens on: refused at once.
  const port = await new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
  const url = `redis://127.0.0.1:${port}`;
  const spec = path.join(tmp, 'q.yaml');
  writeFileSync(spec, `config: ${JSON.stringify(TOY)}\nsteps: 50\n`);
  for (const args of [
    ['sweep', spec, '--queue', url, '--connect-timeout', '2', '--dir', path.join(tmp, 'q')],
    ['worker', '--queue', url, '--connect-timeout', '2'],
  ]) {
    const t0 = Date.now();
    await assert.rejects(runCli(args, { quiet: true }), (e: Error) => {
      assert.match(e.message, new RegExp(`cannot reach Redis at ${url.replace(/[.]/g, '\\.')}: connection refused`));
      return true;
    });
    assert.ok(Date.now() - t0 < 2500, `took ${Date.now() - t0} ms`);
  }
  assert.ok(!existsSync(path.join(tmp, 'q')), 'no sweep folder is left behind');
  // A server that accepts the connection and never answers: given up after the timeout.
  const mute = net.createServer(() => {}).listen(0, '127.0.0.1');
  await new Promise((r) => mute.once('listening', r));
  const muteUrl = `redis://127.0.0.1:${(mute.address() as net.AddressInfo).port}`;
  const t0 = Date.now();
  await assert.rejects(
    checkRedis(muteUrl, 1000),
    new RegExp(`cannot reach Redis at ${muteUrl.replace(/[.]/g, '\\.')}: no answer within 1 s`),
  );
  const took = Date.now() - t0;
  assert.ok(took >= 900 && took < 2500, `took ${took} ms`);
  mute.close();
  await assert.rejects(checkRedis('http://127.0.0.1:6379'), /not a Redis address \(write redis:\/\/HOST:PORT/);
});
