// The sweep's scheduler: which trial to train next, and to which step. With ASHA (Li et al. 2020,
// "A System for Massively Parallel Hyperparameter Tuning", Algorithm 2) a trial is trained rung by
// rung (minSteps * eta^k steps), continuing from its checkpoint; a free worker first promotes a trial
// that is in the top 1/eta of the results of its rung so far (the highest rung first), else starts a
// new trial at the bottom rung. 'sync' mode is successive halving (Jamieson & Talwalkar 2016): a rung
// is decided once all its trials are in, so the outcome does not depend on which worker finished first.
// Pure functions of the trials' state: the sweep calls them each time a worker is free.

/** What the scheduler knows of a trial. */
export interface TrialStatus {
  id: string;
  /** Metric value by rung step (null: not finite or not computable; ranks last). */
  results: Map<number, number | null>;
  /** Ended with an error: never scheduled again. */
  failed: boolean;
  /** The step a worker is training it toward now, or null. */
  running: number | null;
}

export interface SchedulerOptions {
  /** Rung step counts, increasing; the last is the full budget. */
  rungs: number[];
  /** Reduction factor (keep the top 1/eta of a rung). */
  eta: number;
  mode: 'async' | 'sync';
  goal: 'min' | 'max';
}

export interface Task {
  id: string;
  /** Train the trial to this step. */
  until: number;
}

/** Trials with a result at `step`, best first (null values last; ties by plan order). */
export function rankAt(trials: TrialStatus[], step: number, goal: 'min' | 'max'): TrialStatus[] {
  const order = new Map(trials.map((t, i) => [t.id, i]));
  return trials
    .filter((t) => t.results.has(step))
    .sort((a, b) => {
      const va = a.results.get(step) ?? null;
      const vb = b.results.get(step) ?? null;
      if (va === null || vb === null) return va === vb ? order.get(a.id)! - order.get(b.id)! : va === null ? 1 : -1;
      if (va !== vb) return goal === 'min' ? va - vb : vb - va;
      return order.get(a.id)! - order.get(b.id)!;
    });
}

const idle = (t: TrialStatus) => !t.failed && t.running === null;

/** The next task for a free worker, or null (wait for a running one, or the sweep is over when none runs). */
export function nextTask(trials: TrialStatus[], opts: SchedulerOptions): Task | null {
  const { rungs } = opts;
  if (opts.mode === 'sync') return nextSync(trials, opts);
  // Promotions, from the highest rung down.
  for (let k = rungs.length - 2; k >= 0; k--) {
    const ranked = rankAt(trials, rungs[k], opts.goal);
    const top = ranked.slice(0, Math.floor(ranked.length / opts.eta));
    const t = top.find((c) => idle(c) && !c.results.has(rungs[k + 1]));
    if (t) return { id: t.id, until: rungs[k + 1] };
  }
  // A new trial (or one whose first rung was cut short: it resumes from its checkpoint).
  const fresh = trials.find((t) => idle(t) && !t.results.has(rungs[0]));
  return fresh ? { id: fresh.id, until: rungs[0] } : null;
}

function nextSync(trials: TrialStatus[], opts: SchedulerOptions): Task | null {
  let alive = trials;
  for (let k = 0; k < opts.rungs.length; k++) {
    const step = opts.rungs[k];
    const missing = alive.filter((t) => !t.results.has(step) && !t.failed);
    if (missing.length) {
      const t = missing.find(idle);
      return t ? { id: t.id, until: step } : null;
    }
    const ranked = rankAt(alive, step, opts.goal);
    alive = ranked.slice(0, Math.max(1, Math.floor(ranked.length / opts.eta)));
  }
  return null;
}

/** The highest rung a trial reached and its value there. */
export function bestRung(t: TrialStatus): { step: number; value: number | null } | null {
  let best: { step: number; value: number | null } | null = null;
  for (const [step, value] of t.results) if (!best || step > best.step) best = { step, value };
  return best;
}

/** The EMA-share limit of the first rung: above it a rung metric on the EMA generator mostly measures its starting weights. */
export const EMA_SHARE_LIMIT = 0.25;

/**
 * The share of an EMA generator (decay `ema`, averaging from step `emaStart`; before it the copy follows
 * the raw generator) that is still the weights it started from, after `step` steps: ema^(step - emaStart).
 * With emaStart 0 those are the random initialization. 0 without EMA.
 */
export function emaStartShare(ema: number, step: number, emaStart = 0): number {
  return ema > 0 && step > emaStart ? ema ** (step - emaStart) : 0;
}

/** The first multiple of `every` at which emaStartShare falls to `limit` or below (the smallest first rung advised). */
export function emaSettledStep(ema: number, every: number, emaStart = 0, limit = EMA_SHARE_LIMIT): number {
  if (ema <= 0 || ema >= 1) return every;
  const steps = emaStart + Math.log(limit) / Math.log(ema);
  return Math.max(every, Math.ceil(steps / every - 1e-9) * every);
}
