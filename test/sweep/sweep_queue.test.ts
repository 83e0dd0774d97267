// Sweeps over BullMQ against a real redis-server (Debian's package; the test starts it on a free
// loopback port and stops it): 2 `tsgan worker` processes, 8 small ring8 trials; one worker is
// SIGKILLed mid-trial, its job is retried by the other and the trial resumes from its checkpoint with
// final weights equal to an uninterrupted run's; the leaderboard is complete; running the sweep again
// runs nothing; the same sweep without --queue (embedded worker processes) gives the same leaderboard.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { listCheckpoints, parseSweepSpec, readCheckpointFile, readTrialState, runSweep } from '../../src/index.js';
import type { Leaderboard } from '../../src/sweep/index.js';

const hasRedis = spawnSync('redis-server', ['--version']).status === 0;
const skip = hasRedis ? false : 'redis-server is not installed (apt-get install redis-server)';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-sweep-queue-'));
let redis: ChildProcess | null = null;
let url = '';
const workers: ChildProcess[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

before(async () => {
  if (!hasRedis) return;
  const port = await freePort();
  redis = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', tmp],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const t = setTimeout(() => reject(new Error(`redis-server did not start: ${out}`)), 10000);
    redis!.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/Ready to accept connections/.test(out)) {
        clearTimeout(t);
        resolve();
      }
    });
    redis!.once('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
  });
  url = `redis://127.0.0.1:${port}`;
});

after(() => {
  for (const w of workers) if (w.exitCode === null && w.pid) killGroup(w, 'SIGKILL');
  redis?.kill('SIGTERM');
  rmSync(tmp, { recursive: true, force: true });
});

function killGroup(w: ChildProcess, sig: NodeJS.Signals) {
  try {
    process.kill(-w.pid!, sig);
  } catch {
    // already gone
  }
}

/** A `tsgan worker` in its own process group (killing the group kills its sandboxed trainer too, as a dead machine would). */
function startWorker(log: string[]): ChildProcess {
  const w = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join('test', 'cli', 'fixtures', 'run_cli.ts'),
      'worker',
      '--queue',
      url,
      '--lock-duration',
      '4000',
      '--stalled-interval',
      '1000',
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
      env: { ...process.env, TSGAN_NUM_THREADS: '1', TSGAN_QUIET: '1' },
    },
  );
  w.stderr!.on('data', (d: Buffer) => log.push(...d.toString().split('\n').filter(Boolean)));
  workers.push(w);
  return w;
}

// 8 trials of a tiny vanilla GAN on ring8: 4 learning rates x 2 seeds, 200 steps, a checkpoint every 50.
const spec = parseSweepSpec(
  {
    config: {
      model: { family: 'vanilla', latentDim: 8, hidden: 16, depth: 2 },
      data: { source: 'ring8', points: 1000 },
      batchSize: 32,
      logEvery: 50,
      sampleEvery: 100000,
      sampleCount: 16,
      checkpointEvery: 50,
    },
    vary: { lr: [1e-4, 3e-4, 1e-3, 3e-3], seed: [0, 1] },
    metric: 'lossD',
    steps: 200,
  },
  'ring8-lr',
);

const rowsOf = (lb: Leaderboard) =>
  lb.rows.map((r) => ({ id: r.id, params: r.params, step: r.step, value: r.value, status: r.status }));

function finalWeights(trialFolder: string): Map<string, Float32Array> {
  const cks = listCheckpoints(path.join(trialFolder, 'checkpoints'));
  const last = cks.reduce((a, b) => (b.step > a.step ? b : a));
  assert.equal(last.step, 200);
  return new Map(readCheckpointFile(last.file).tensors.map((t) => [t.name, t.data]));
}

test("a sweep over BullMQ: a SIGKILLed worker's trial resumes from its checkpoint; re-run runs nothing; the same leaderboard without --queue", {
  skip,
  timeout: 480000,
}, async () => {
  const queueDir = path.join(tmp, 'queue');
  const logs: string[][] = [[], []];
  const w1 = startWorker(logs[0]!);
  startWorker(logs[1]!);
  // Kill worker 1 once the trial it trains has written its first checkpoint (step 50 of 200).
  let killed: string | null = null;
  const watcher = setInterval(() => {
    if (killed) return;
    const line = logs[0]!.find((l) => /training to step/.test(l));
    const id = line?.match(/trial (\w+)/)?.[1];
    if (!id) return;
    const ck = path.join(queueDir, 'trials', id, 'checkpoints');
    if (existsSync(ck) && listCheckpoints(ck).length > 0 && readTrialState(queueDir, id).rungs.length === 0) {
      killed = id;
      killGroup(w1, 'SIGKILL');
    }
  }, 50);
  let res: Awaited<ReturnType<typeof runSweep>>;
  try {
    res = await runSweep({ spec, sweepDir: queueDir, queue: url, parallel: 2, log: () => {} });
  } finally {
    clearInterval(watcher);
  }
  assert.ok(killed, `worker 1 was never seen mid-trial: ${logs[0]!.join(' | ')}`);
  assert.equal(res.leaderboard.rows.length, 8);
  assert.ok(res.leaderboard.rows.every((r) => r.status === 'finished' && r.step === 200 && r.value !== null));
  // The killed trial was finished by the other worker, from a checkpoint (not from zero).
  const rung = readTrialState(queueDir, killed).rungs.find((r) => r.step === 200)!;
  assert.ok(rung.resumedFrom !== null && rung.resumedFrom >= 50, `resumed from ${rung.resumedFrom}`);
  assert.ok(
    logs[1]!.some((l) => l.includes(`trial ${killed}: training to step 200`)),
    'the other worker ran the retried job',
  );

  // Re-running the sweep runs nothing new.
  const again = await runSweep({ spec, sweepDir: queueDir, queue: url, parallel: 2, log: () => {} });
  assert.equal(again.segmentsRun, 0);
  assert.deepEqual(rowsOf(again.leaderboard), rowsOf(res.leaderboard));

  // The same sweep on embedded worker processes: the same leaderboard, and the killed trial's final
  // weights equal its uninterrupted twin's.
  const embDir = path.join(tmp, 'embedded');
  const emb = await runSweep({ spec, sweepDir: embDir, workers: 2, log: () => {} });
  assert.equal(emb.segmentsRun, 8);
  assert.deepEqual(rowsOf(emb.leaderboard), rowsOf(res.leaderboard));
  const a = finalWeights(path.join(queueDir, 'trials', killed));
  const b = finalWeights(path.join(embDir, 'trials', killed));
  assert.deepEqual([...a.keys()], [...b.keys()]);
  for (const [k, v] of a) assert.ok(Buffer.from(v.buffer).equals(Buffer.from(b.get(k)!.buffer)), `tensor ${k} differs`);
  assert.ok(readdirSync(path.join(embDir)).includes('leaderboard.html'));
});
