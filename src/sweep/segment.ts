// One unit of a sweep's work: train a trial to a rung's step count in its own run folder, from its
// last checkpoint when it has one (a promoted trial, or one whose worker died), and measure the metric
// there. Runs in a worker process (an embedded child, or BullMQ's sandboxed processor).
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Dataset } from '../data/types.js';
import { listCheckpoints } from '../train/checkpoint.js';
import { periodicEvaluator } from '../train/periodic_eval.js';
import { train } from '../train/run.js';
import { LOCK_FILE } from '../train/run_folder.js';
import { EVAL_METRIC_KEYS } from './spec.js';
import { type RungResult, readTrialState, type TrialFailure, writeRungResult, writeTrialFailure } from './trials.js';

/** A segment of a trial, as a job carries it (plain JSON). */
export interface SegmentTask {
  /** The sweep folder (the same path on every worker: a shared file system). */
  sweepDir: string;
  trialId: string;
  preset?: string;
  /** Config fields over the preset (including steps, the full budget: the lr schedule spans it). */
  overrides: Record<string, unknown>;
  /** Train to this step (a rung), then stop with a checkpoint. */
  until: number;
  metric: { name: string; goal: 'min' | 'max' };
  /** Images per evaluation of an evaluator metric. */
  evalN: number;
}

/** A segment stopped by a signal (its checkpoint is saved): the job is to be retried, the trial has not failed. */
export class SegmentInterrupted extends Error {
  override name = 'SegmentInterrupted';
}

export type SegmentOutcome = { ok: true; result: RungResult } | { ok: false; failure: TrialFailure };

/** The value of `key` in the last metrics.jsonl line at `step` (null when there is none or it is not finite). */
function loggedValue(runDir: string, key: string, step: number): number | null {
  const file = path.join(runDir, 'metrics.jsonl');
  if (!existsSync(file)) return null;
  let v: number | null = null;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as Record<string, unknown>;
      if (r.step === step && typeof r[key] === 'number') v = r[key] as number;
    } catch {
      // a line cut by a crash
    }
  }
  return v !== null && Number.isFinite(v) ? v : null;
}

/**
 * Trains the task's trial to `until` (resuming from its newest checkpoint when it has one), writes
 * rung-<until>.json (or failed.json) in the trial folder and returns it. An error of the trial itself
 * (bad data, a model that cannot be built) is a failure outcome, not a throw.
 */
export async function runSegment(
  task: SegmentTask,
  onProgress: (step: number, total: number) => void = () => {},
  opts: { takeOverForeignLock?: boolean } = {},
): Promise<SegmentOutcome> {
  const runDir = path.join(task.sweepDir, 'trials', task.trialId);
  // A queue worker holds the job's lock, so a run-folder lock left by a worker on another machine
  // (which died: its job lock expired) is stale. (Same-machine locks are checked by pid in train().)
  if (opts.takeOverForeignLock) releaseForeignLock(runDir);
  const done = readTrialState(task.sweepDir, task.trialId).rungs.find((r) => r.step === task.until);
  if (done) return { ok: true, result: done };
  const t0 = performance.now();
  const checkpoints = existsSync(path.join(runDir, 'checkpoints'))
    ? listCheckpoints(path.join(runDir, 'checkpoints'))
    : [];
  const resumedFrom = checkpoints.length ? Math.max(...checkpoints.map((c) => c.step)) : null;
  const warnings: string[] = [];
  try {
    // Trained past this rung by another sweep in the same folder (a grid before ASHA): resuming would
    // measure the later step under this rung's name.
    if (resumedFrom !== null && resumedFrom > task.until)
      throw new Error(
        `its folder holds a checkpoint at step ${resumedFrom}, past this rung (${task.until}): another sweep trained it further; ` +
          'run this sweep in its own --dir (or the shorter-rung sweep first)',
      );
    const res = await train({
      ...(resumedFrom !== null
        ? { resume: runDir }
        : { preset: task.preset, config: task.overrides, runDir, overwrite: true }),
      progress: 'none',
      warn: (m) => warnings.push(m),
      // The lr schedule spans the full budget: the segment stops at the rung, with a checkpoint.
      beforeStep: (trainer) => (trainer.step >= task.until ? 'stop' : undefined),
      onStart: (trainer) => {
        let last = 0;
        trainer.events.on('step', (e: { step: number }) => {
          const now = Date.now();
          if (now - last >= 1000 || e.step === task.until) {
            last = now;
            onProgress(e.step, task.until);
          }
        });
      },
    });
    try {
      if (res.reason === 'interrupted')
        throw new SegmentInterrupted(`trial ${task.trialId} interrupted at step ${res.step} (checkpoint saved)`);
      if (res.step < task.until)
        throw new Error(
          `training ended at step ${res.step} of ${task.until} (${res.reason}${res.message ? `: ${res.message}` : ''})`,
        );
      let value: number | null;
      let note: string | undefined;
      const evalMetric = EVAL_METRIC_KEYS[task.metric.name];
      if (evalMetric) {
        const shape = res.trainer.model.outputShape; // [H, W, C]
        const stub = { kind: 'image', height: shape[0], width: shape[1], channels: shape[2] } as Dataset;
        const cfg = { ...res.trainer.config, evalMetrics: evalMetric, evalN: task.evalN };
        const ev = periodicEvaluator(cfg, stub, (m) => {
          note = m;
        });
        const out = ev ? await ev.run(res.trainer) : null;
        value = out?.values[task.metric.name] ?? null;
        note ??= out?.errors[evalMetric];
      } else {
        value = loggedValue(runDir, task.metric.name, task.until);
        if (value === null) note = `no finite '${task.metric.name}' in metrics.jsonl at step ${task.until}`;
      }
      if (value !== null && !Number.isFinite(value)) value = null;
      const result: RungResult = {
        trialId: task.trialId,
        step: task.until,
        value,
        ...(value === null && note ? { note } : {}),
        seconds: Number(((performance.now() - t0) / 1000).toFixed(2)),
        resumedFrom,
      };
      writeRungResult(task.sweepDir, result);
      return { ok: true, result };
    } finally {
      res.trainer.dispose();
    }
  } catch (e) {
    if (e instanceof SegmentInterrupted) throw e;
    const failure: TrialFailure = {
      trialId: task.trialId,
      error: e instanceof Error ? e.message : String(e),
      step: task.until,
    };
    writeTrialFailure(task.sweepDir, failure);
    return { ok: false, failure };
  }
}

/** Removes the trial folder's lock when another machine wrote it. */
function releaseForeignLock(runDir: string): void {
  const file = path.join(runDir, LOCK_FILE);
  if (!existsSync(file)) return;
  try {
    const held = JSON.parse(readFileSync(file, 'utf8')) as { host?: string };
    if (held.host && held.host !== os.hostname()) rmSync(file, { force: true });
  } catch {
    // unreadable: train() reports it
  }
}
