// Training health monitor: consumes one StepRecord per logged step and raises typed events
// (non-finite values, divergence, mode collapse, discriminator overpowering, gradient-norm spikes),
// each with the remedy its configuration chose; `applyRemedy` carries the remedy out through the
// loop's TrainingControl (roll back to the last healthy checkpoint and lower the learning rates,
// turn DiffAugment on, or stop with an explanation).
//
// Detectors (thresholds in src/health/config.ts):
// - non-finite: any loss, mean D output or gradient norm of the record is NaN or +-Inf (immediate).
// - divergence: for `patience` consecutive records, a loss above `maxLoss` or a mean D logit above
//   `maxLogit` in magnitude (logit losses only), or the median |lossG| of the last `window` records
//   above `factor` x the median of the records before them and above `minLoss`.
// - d-overpowering: D accuracy >= `accuracy` for `patience` consecutive records (G's gradient vanishes).
// - grad-spike: a gradient norm above `factor` x the median of the last `window` norms (after warmup).
// - mode-collapse: on records with features of the fixed batch, for `patience` consecutive such
//   records: mean pairwise distance < `minDiversityRatio` x the reference, or near-duplicate rate
//   (nearest neighbour closer than `duplicateRadius` x the real median NN distance) > `maxDuplicateRate`, or
//   fraction of classes present < `minClassCoverage`. Each of the three tests arms once its signal
//   has been healthy, or from step `armAfter`: an untrained generator maps every latent near one point
//   (an untrained DCGAN's fixed batch is all near-duplicates in 2 of 10 classes).
import { parseHealthConfig, type HealthConfig, type HealthConfigInput } from './config.js';
import { diversityStats } from './diversity.js';
import type { HealthEvent, HealthEventKind, Remedy, RemedyOutcome, StepRecord, TrainingControl } from './types.js';

/** Events that make a checkpoint saved around them unhealthy. */
const CRITICAL: ReadonlySet<HealthEventKind> = new Set(['non-finite', 'divergence', 'mode-collapse']);
/** How many past |lossG| values the divergence detector keeps for its running level. */
const LOSS_HISTORY = 500;

function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** A condition that must hold for several consecutive records; remembers the step it began. */
class Streak {
  count = 0;
  onset = -1;
  update(holds: boolean, step: number): number {
    if (holds) {
      if (this.count === 0) this.onset = step;
      this.count++;
    } else {
      this.count = 0;
      this.onset = -1;
    }
    return this.count;
  }
}

export class HealthMonitor {
  readonly config: HealthConfig;
  /** Every event raised so far, in order. */
  readonly events: HealthEvent[] = [];
  private records = 0;
  private lossHistory: number[] = [];
  private gradHistory: { G: number[]; D: number[] } = { G: [], D: [] };
  private divergence = new Streak();
  private overpowering = new Streak();
  private collapse = new Streak();
  private maxDiversity = 0;
  /**
   * Set once each collapse signal of the fixed batch has been healthy (an untrained G starts
   * collapsed-looking): the diversity, near-duplicate and class-coverage tests arm separately.
   */
  private wasHealthy = { diversity: false, duplicates: false, coverage: false };
  private lastRaised = new Map<HealthEventKind, number>();
  private lastCriticalRecord = -Infinity;
  private healthyCheckpoints: number[] = [];
  private rollbacks = 0;
  private diffAugmentOn = false;
  private lastStep = -1;

  constructor(config: HealthConfigInput | HealthConfig = {}) {
    this.config = parseHealthConfig(config as HealthConfigInput);
  }

  /** Checkpoints the loop reported while the run was healthy (steps, oldest first). */
  get healthyCheckpointSteps(): readonly number[] {
    return this.healthyCheckpoints;
  }

  /** Rollbacks carried out so far. */
  get rollbackCount(): number {
    return this.rollbacks;
  }

  /**
   * True when no detector is part-way through a streak and no critical event was raised in the last
   * `cooldown` records: a checkpoint saved now is a safe place to roll back to.
   */
  get healthy(): boolean {
    return (
      this.divergence.count === 0 &&
      this.collapse.count === 0 &&
      this.records - this.lastCriticalRecord > this.config.cooldown
    );
  }

  /** The loop calls this after writing the checkpoint of `step`; it is kept if the run is healthy now. */
  checkpointSaved(step: number): boolean {
    if (!this.healthy) return false;
    if (!this.healthyCheckpoints.includes(step)) this.healthyCheckpoints.push(step);
    return true;
  }

  /** Feeds one record; returns the events it raised (most often none). */
  observe(r: StepRecord): HealthEvent[] {
    if (!this.config.enabled) return [];
    this.records++;
    this.lastStep = r.step;
    const out: HealthEvent[] = [];
    const nonFinite = this.checkNonFinite(r);
    if (nonFinite) {
      // Nothing else is meaningful on a record with NaN/Inf in it.
      this.push(out, nonFinite);
      return out;
    }
    for (const e of [
      this.checkDivergence(r),
      this.checkOverpowering(r),
      ...this.checkGradSpikes(r),
      this.checkCollapse(r),
    ]) {
      if (e) this.push(out, e);
    }
    return out;
  }

  private push(out: HealthEvent[], e: HealthEvent): void {
    const last = this.lastRaised.get(e.kind);
    if (last !== undefined && this.records - last <= this.config.cooldown) return;
    this.lastRaised.set(e.kind, this.records);
    if (CRITICAL.has(e.kind)) this.lastCriticalRecord = this.records;
    this.events.push(e);
    out.push(e);
  }

  private event(kind: HealthEventKind, step: number, message: string, signals: Record<string, number>): HealthEvent {
    const severity = CRITICAL.has(kind) ? 'critical' : 'warning';
    return { kind, step, severity, message, signals, remedy: this.config.remedies[kind] as Remedy };
  }

  private checkNonFinite(r: StepRecord): HealthEvent | null {
    const fields: [string, number | undefined][] = [
      ['lossG', r.lossG],
      ['lossD', r.lossD],
      ['dReal', r.dReal],
      ['dFake', r.dFake],
      ['gradNormG', r.gradNormG],
      ['gradNormD', r.gradNormD],
    ];
    const bad = fields.filter(([, v]) => v !== undefined && !Number.isFinite(v));
    if (bad.length === 0) return null;
    const what = bad.map(([k, v]) => `${k}=${v}`).join(', ');
    return this.event('non-finite', r.step, `Non-finite values at step ${r.step}: ${what}.`, {
      onsetStep: r.step,
      count: bad.length,
    });
  }

  private checkDivergence(r: StepRecord): HealthEvent | null {
    const c = this.config.divergence;
    const logitLoss = this.config.loss !== 'wgan-gp';
    const reasons: string[] = [];
    const signals: Record<string, number> = { lossG: r.lossG, lossD: r.lossD };
    if (logitLoss) {
      if (Math.abs(r.lossG) > c.maxLoss) reasons.push(`|lossG| ${fmt(r.lossG)} > ${c.maxLoss}`);
      if (Math.abs(r.lossD) > c.maxLoss) reasons.push(`|lossD| ${fmt(r.lossD)} > ${c.maxLoss}`);
      for (const [k, v] of [
        ['dReal', r.dReal],
        ['dFake', r.dFake],
      ] as const) {
        if (v !== undefined && Math.abs(v) > c.maxLogit) {
          reasons.push(`|${k}| ${fmt(v)} > ${c.maxLogit}`);
          signals[k] = v;
        }
      }
    }
    const g = Math.abs(r.lossG);
    const hist = this.lossHistory;
    if (this.records > this.config.warmup && hist.length > c.window) {
      const recent = [...hist.slice(-(c.window - 1)), g];
      const before = median(hist.slice(0, hist.length - (c.window - 1)));
      const now = median(recent);
      signals.recentMedianLossG = now;
      signals.runningMedianLossG = before;
      if (now > c.minLoss && now > c.factor * before) {
        reasons.push(
          `median |lossG| of the last ${c.window} records ${fmt(now)} > ${c.factor} x running ${fmt(before)}`,
        );
      }
    }
    const n = this.divergence.update(reasons.length > 0, r.step);
    // Only healthy values feed the running level.
    if (reasons.length === 0) {
      hist.push(g);
      if (hist.length > LOSS_HISTORY) hist.shift();
    }
    if (n < c.patience) return null;
    const onset = this.divergence.onset;
    return this.event(
      'divergence',
      r.step,
      `Training diverged: ${reasons.join('; ')} (for ${n} records since step ${onset}).`,
      { ...signals, onsetStep: onset, records: n },
    );
  }

  private checkOverpowering(r: StepRecord): HealthEvent | null {
    const c = this.config.overpowering;
    let acc = r.dAccuracy;
    if (acc === undefined && this.config.loss !== 'wgan-gp' && r.dReal !== undefined && r.dFake !== undefined) {
      acc = (sigmoid(r.dReal) + 1 - sigmoid(r.dFake)) / 2;
    }
    if (acc === undefined) return null;
    const n = this.overpowering.update(acc >= c.accuracy, r.step);
    if (n < c.patience) return null;
    const onset = this.overpowering.onset;
    return this.event(
      'd-overpowering',
      r.step,
      `The discriminator overpowers the generator: accuracy ${fmt(acc)} >= ${c.accuracy} for ${n} records since step ${onset}; G's gradient is vanishing.`,
      { dAccuracy: acc, onsetStep: onset, records: n },
    );
  }

  private checkGradSpikes(r: StepRecord): (HealthEvent | null)[] {
    const c = this.config.gradSpike;
    const out: (HealthEvent | null)[] = [];
    for (const [net, v] of [
      ['G', r.gradNormG],
      ['D', r.gradNormD],
    ] as const) {
      if (v === undefined) continue;
      const hist = this.gradHistory[net];
      let e: HealthEvent | null = null;
      if (this.records > this.config.warmup && hist.length >= 3) {
        const m = median(hist);
        if (v > c.factor * m) {
          e = this.event(
            'grad-spike',
            r.step,
            `Gradient norm of ${net} spiked to ${fmt(v)} at step ${r.step}, ${fmt(v / m)} x its running median ${fmt(m)}.`,
            { [`gradNorm${net}`]: v, runningMedian: m, ratio: v / m, onsetStep: r.step },
          );
        }
      }
      hist.push(v);
      if (hist.length > c.window) hist.shift();
      out.push(e);
    }
    return out;
  }

  private checkCollapse(r: StepRecord): HealthEvent | null {
    if (!r.features && !r.classes) return null;
    const c = this.config.collapse;
    const reasons: string[] = [];
    const signals: Record<string, number> = {};
    const armed = r.step >= c.armAfter;
    if (r.features) {
      const st = diversityStats(r.features);
      const div = st.meanPairwise;
      if (this.records > this.config.warmup) this.maxDiversity = Math.max(this.maxDiversity, div);
      const ref = c.referenceDiversity ?? this.maxDiversity;
      signals.diversity = div;
      signals.referenceDiversity = ref;
      const low = ref > 0 && div < c.minDiversityRatio * ref;
      if (!low && ref > 0) this.wasHealthy.diversity = true;
      // Armed once G has spread out, or from step `armAfter` (a G that never spreads is collapsed too).
      if (low && (this.wasHealthy.diversity || armed)) {
        reasons.push(`diversity ${fmt(div)} < ${c.minDiversityRatio} x reference ${fmt(ref)}`);
      }
      if (c.referenceNearest !== undefined) {
        const radius = c.duplicateRadius * c.referenceNearest;
        let dups = 0;
        for (const d of st.nearest) if (d < radius) dups++;
        const rate = dups / r.features.n;
        signals.duplicateRate = rate;
        if (rate <= c.maxDuplicateRate) this.wasHealthy.duplicates = true;
        else if (this.wasHealthy.duplicates || armed) reasons.push(`${fmt(100 * rate)}% near-duplicates`);
      }
    }
    if (r.classes) {
      const k = r.numClasses ?? Math.max(...Array.from(r.classes)) + 1;
      const present = new Set(Array.from(r.classes)).size;
      const cov = present / k;
      signals.classCoverage = cov;
      if (cov >= c.minClassCoverage) this.wasHealthy.coverage = true;
      else if (this.wasHealthy.coverage || armed) reasons.push(`only ${present} of ${k} classes in the fixed batch`);
    }
    const n = this.collapse.update(reasons.length > 0, r.step);
    if (n < c.patience) return null;
    const onset = this.collapse.onset;
    return this.event(
      'mode-collapse',
      r.step,
      `Mode collapse: ${reasons.join('; ')} (for ${n} checks since step ${onset}).`,
      { ...signals, onsetStep: onset, records: n },
    );
  }

  /** Forget the running windows (after a rollback the old levels no longer apply). */
  reset(): void {
    this.lossHistory = [];
    this.gradHistory = { G: [], D: [] };
    this.divergence = new Streak();
    this.overpowering = new Streak();
    this.collapse = new Streak();
    this.wasHealthy = { diversity: false, duplicates: false, coverage: false };
    this.lastRaised.clear();
    this.lastCriticalRecord = -Infinity;
    this.records = 0;
  }

  /**
   * Carries out `event.remedy` through the loop's control. A rollback goes to the newest healthy
   * checkpoint saved before the problem began; without one, or past `maxRollbacks`, it stops the
   * run instead, saying why.
   */
  async applyRemedy(event: HealthEvent, control: TrainingControl): Promise<RemedyOutcome> {
    const remedy = event.remedy;
    switch (remedy.action) {
      case 'warn':
        return { applied: 'warn' };
      case 'stop':
        control.stop(`tsgan health: stopping: ${event.message}`);
        return { applied: 'stop' };
      case 'diffaugment': {
        if (this.diffAugmentOn) return { applied: 'warn', note: 'DiffAugment is already on' };
        control.enableDiffAugment(remedy.policy);
        this.diffAugmentOn = true;
        this.overpowering = new Streak();
        return { applied: 'diffaugment' };
      }
      case 'rollback': {
        const onset = event.signals.onsetStep ?? event.step;
        const target = [...this.healthyCheckpoints].reverse().find((s) => s < onset);
        let why: string | null = null;
        if (this.rollbacks >= this.config.maxRollbacks) why = `${this.rollbacks} rollbacks already (maxRollbacks)`;
        else if (target === undefined) why = `no healthy checkpoint before step ${onset}`;
        if (why !== null || target === undefined) {
          control.stop(`tsgan health: stopping: ${event.message} Cannot roll back: ${why}.`);
          return { applied: 'stop', note: why ?? undefined };
        }
        await control.restoreCheckpoint(target);
        control.scaleLearningRates(remedy.lrFactor);
        this.rollbacks++;
        this.healthyCheckpoints = this.healthyCheckpoints.filter((s) => s <= target);
        this.reset();
        return { applied: 'rollback', restoredStep: target };
      }
    }
  }

  /** Step of the last record seen (-1 before any). */
  get step(): number {
    return this.lastStep;
  }
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? x.toExponential(2) : x.toFixed(a < 10 ? 3 : 1);
}
