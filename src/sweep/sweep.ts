// `runSweep()`: the library entry of `tsgan sweep`. Expands the spec into trials, reads what their
// folders already hold (a re-run skips finished segments and resumes cut ones from their checkpoints),
// then asks the scheduler (asha.ts) for work each time an executor slot is free, until it has none.
// Writes SWEEP/sweep.json, SWEEP/leaderboard.json and SWEEP/leaderboard.html.
import { existsSync } from 'node:fs';
import path from 'node:path';

import { ensureFolder, writeFileAtomic } from '../io/files.js';
import {
  EMA_SHARE_LIMIT,
  emaSettledStep,
  emaStartShare,
  nextTask,
  type SchedulerOptions,
  type TrialStatus,
} from './asha.js';
import { embeddedExecutor } from './embedded.js';
import type { Executor } from './executor.js';
import { buildLeaderboard, type Leaderboard, leaderboardHtml } from './leaderboard.js';
import { queueExecutor } from './queue.js';
import { type SegmentOutcome, SegmentInterrupted, type SegmentTask } from './segment.js';
import { EVAL_METRIC_KEYS, type SweepSpec } from './spec.js';
import { planTrials, readTrialState, rungSteps, type TrialPlan, writeTrialFailure, writeTrialInfo } from './trials.js';

export interface SweepOptions {
  spec: SweepSpec;
  /** The sweep folder (default runs/sweeps/<name>). */
  sweepDir?: string;
  /** Embedded worker processes (default 2, at most the cores). */
  workers?: number;
  /** redis://HOST:PORT: run the segments as BullMQ jobs for `tsgan worker` processes. */
  queue?: string;
  /** Queue mode: segments in the queue at once (default 4). */
  parallel?: number;
  queueName?: string;
  /** Milliseconds to reach Redis before giving up (default 5,000). */
  connectTimeoutMs?: number;
  /** Tensor backend of embedded workers. */
  backend?: string;
  /** Another executor (tests, other schedulers). */
  executor?: Executor;
  /** Where progress lines go (default stderr). */
  log?: (line: string) => void;
  /** Stops scheduling when aborted; running segments save a checkpoint and the sweep returns. */
  signal?: AbortSignal;
}

export interface SweepResult {
  sweepDir: string;
  leaderboard: Leaderboard;
  /** Segments trained by this call (0 when the sweep was already complete). */
  segmentsRun: number;
  /** True when stopped before the scheduler ran out of work (re-run to continue). */
  interrupted: boolean;
}

/** Runs (or continues) a sweep to its end. */
export async function runSweep(opts: SweepOptions): Promise<SweepResult> {
  const { spec } = opts;
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const sweepDir = path.resolve(opts.sweepDir ?? path.join('runs', 'sweeps', spec.name));
  const plans = planTrials(spec);
  const steps = plans[0]!.config.steps;
  const rungs = rungSteps(spec, steps, plans[0]!.config.logEvery);
  const sched: SchedulerOptions = {
    rungs,
    eta: spec.asha?.eta ?? 3,
    mode: spec.asha?.mode ?? 'sync',
    goal: spec.metric.goal,
  };
  // Reach the queue first: an unreachable Redis leaves no sweep folder behind.
  const executor =
    opts.executor ??
    (opts.queue
      ? await queueExecutor(opts.queue, {
          parallel: opts.parallel,
          queueName: opts.queueName,
          connectTimeoutMs: opts.connectTimeoutMs,
          log,
        })
      : embeddedExecutor({ workers: opts.workers, backend: opts.backend, log }));
  const status = new Map<string, TrialStatus>();
  try {
    prepareSweepFolder(sweepDir, spec, rungs, plans, status);
  } catch (e) {
    await executor.close();
    throw e;
  }
  const trials = plans.map((p) => status.get(p.id)!);
  const byId = new Map<string, TrialPlan>(plans.map((p) => [p.id, p]));
  const finishedBefore = trials.filter((t) => t.results.has(steps) || t.failed).length;
  log(
    `sweep ${spec.name}: ${plans.length} trials, rungs ${rungs.join(', ')} steps, metric ${spec.metric.name} (${spec.metric.goal}); ` +
      `${finishedBefore ? `${finishedBefore} already finished; ` : ''}folder ${sweepDir}`,
  );

  const note = emaRungNote(spec, plans, rungs);
  if (note) log(note);

  const onAbort = () => executor.interrupt?.();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  let segmentsRun = 0;
  let interrupted = false;
  const running = new Map<string, Promise<void>>();
  const progressAt = new Map<string, number>();
  try {
    for (;;) {
      while (!interrupted && !opts.signal?.aborted && running.size < executor.capacity) {
        const task = nextTask(trials, sched);
        if (!task) break;
        const t = status.get(task.id)!;
        t.running = task.until;
        const plan = byId.get(task.id)!;
        const seg: SegmentTask = {
          sweepDir,
          trialId: task.id,
          preset: spec.preset,
          overrides: plan.overrides,
          until: task.until,
          metric: spec.metric,
          evalN: spec.evalN,
        };
        log(`trial ${task.id} ${describeParams(plan.params)}: training to step ${task.until}`);
        progressAt.set(task.id, Date.now());
        const onProgress = (step: number, total: number) => {
          const now = Date.now();
          if (now - (progressAt.get(task.id) ?? 0) < 10000) return;
          progressAt.set(task.id, now);
          log(`trial ${task.id}: step ${step}/${total}`);
        };
        const p = executor
          .run(seg, onProgress)
          .then((o: SegmentOutcome) => {
            segmentsRun++;
            if (o.ok) {
              t.results.set(o.result.step, o.result.value);
              log(
                `trial ${task.id}: step ${o.result.step}, ${spec.metric.name} ${o.result.value ?? `n/a (${o.result.note ?? 'not finite'})`}` +
                  `${o.result.resumedFrom !== null ? ` (resumed from step ${o.result.resumedFrom})` : ''}`,
              );
            } else {
              t.failed = true;
              if (!existsSync(path.join(sweepDir, 'trials', task.id, 'failed.json')))
                writeTrialFailure(sweepDir, o.failure);
              log(`trial ${task.id}: failed: ${o.failure.error}`);
            }
          })
          .catch((e: unknown) => {
            if (!(e instanceof SegmentInterrupted)) throw e;
            interrupted = true;
            log(`trial ${task.id}: ${e.message}`);
          })
          .finally(() => {
            t.running = null;
            running.delete(task.id);
          });
        running.set(task.id, p);
      }
      if (running.size === 0) break;
      await Promise.race(running.values());
    }
  } finally {
    await Promise.allSettled(running.values());
    opts.signal?.removeEventListener('abort', onAbort);
    await executor.close();
  }
  if (opts.signal?.aborted) interrupted = true;
  const leaderboard = buildLeaderboard(sweepDir, spec, plans, rungs);
  writeFileAtomic(path.join(sweepDir, 'leaderboard.json'), Buffer.from(`${JSON.stringify(leaderboard, null, 2)}\n`));
  writeFileAtomic(path.join(sweepDir, 'leaderboard.html'), Buffer.from(leaderboardHtml(leaderboard)));
  return { sweepDir, leaderboard, segmentsRun, interrupted };
}

/**
 * A note when ASHA's first rung comes before the EMA generator its evaluator metric is measured on has
 * left its starting weights behind (Li et al. 2020 assume a rung's metric predicts the final one): at
 * 100 steps an ema of 0.995 is still 61% random initialization, so that rung ranks how fast each trial
 * moves, not where it is going. Null when the first rung is past EMA_SHARE_LIMIT (or no EMA, no ASHA).
 */
export function emaRungNote(spec: SweepSpec, plans: TrialPlan[], rungs: number[]): string | null {
  if (!spec.asha || rungs.length < 2 || !EVAL_METRIC_KEYS[spec.metric.name]) return null;
  // The trial that lags most (the largest ema; trials may vary it).
  const worst = plans
    .map((p) => p.config)
    .reduce((a, c) =>
      emaStartShare(c.ema, rungs[0]!, c.emaStart) > emaStartShare(a.ema, rungs[0]!, a.emaStart) ? c : a,
    );
  const share = emaStartShare(worst.ema, rungs[0]!, worst.emaStart);
  if (share <= EMA_SHARE_LIMIT) return null;
  const advised = emaSettledStep(worst.ema, worst.logEvery, worst.emaStart);
  const from = worst.emaStart > 0 ? `its weights of step ${worst.emaStart}` : 'its random initialization';
  return (
    `note: at the first rung (${rungs[0]} steps) the EMA generator that ${spec.metric.name} is measured on (ema ${worst.ema}) ` +
    `still holds ${(share * 100).toFixed(0)}% of ${from}: that rung ranks how fast trials move more than where they go; ` +
    `asha.minSteps ${advised} brings it under ${EMA_SHARE_LIMIT * 100}%`
  );
}

export function describeParams(params: Record<string, unknown>): string {
  const parts = Object.entries(params).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  return parts.length ? `(${parts.join(' ')})` : '';
}

/** Writes sweep.json and each trial's trial.json; reads what the trial folders already hold. */
function prepareSweepFolder(
  sweepDir: string,
  spec: SweepSpec,
  rungs: number[],
  plans: TrialPlan[],
  status: Map<string, TrialStatus>,
): void {
  ensureFolder(path.join(sweepDir, 'trials'));
  writeFileAtomic(
    path.join(sweepDir, 'sweep.json'),
    Buffer.from(
      `${JSON.stringify({ spec, rungs, trials: plans.map((p) => ({ id: p.id, params: p.params })) }, null, 2)}\n`,
    ),
  );
  for (const p of plans) {
    writeTrialInfo(sweepDir, p);
    const st = readTrialState(sweepDir, p.id);
    status.set(p.id, {
      id: p.id,
      results: new Map(st.rungs.map((r) => [r.step, r.value])),
      failed: st.failure !== null,
      running: null,
    });
  }
}
