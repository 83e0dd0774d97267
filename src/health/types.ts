// Training health monitor: the types the training loop and the monitor share.
//
// The loop builds one `StepRecord` per logged step and hands it to `HealthMonitor.observe()`, which
// returns the `HealthEvent`s that step raised (usually none). Each event carries the `Remedy` the
// configuration chose for its kind; the loop applies it through the `TrainingControl` it implements
// (or calls `HealthMonitor.applyRemedy(event, control)`, src/health/monitor.ts, which does exactly that).

/** What the loop measured at one step. Every field but `step`, `lossG` and `lossD` is optional. */
export interface StepRecord {
  /** Global optimizer step (G updates). */
  step: number;
  /** Generator loss of this step. */
  lossG: number;
  /** Discriminator (critic) loss of this step. */
  lossD: number;
  /** Mean raw output (logit, or critic score for WGAN) of D on the real batch. */
  dReal?: number;
  /** Mean raw output of D on the fake batch. */
  dFake?: number;
  /**
   * Fraction of the real+fake batch D classifies correctly (real logit > 0, fake logit < 0).
   * When absent, the monitor uses (sigmoid(dReal) + 1 - sigmoid(dFake)) / 2 as a proxy, only for
   * losses whose D outputs logits (not 'wgan-gp').
   */
  dAccuracy?: number;
  /** Global L2 norm of G's gradient this step. */
  gradNormG?: number;
  /** Global L2 norm of D's gradient this step. */
  gradNormD?: number;
  /**
   * Features of the samples G makes from a FIXED latent batch (same latents every time), row-major
   * [n, dim] (e.g. the fmnist classifier's penultimate layer, or the raw 2-D points of a toy). Only
   * on the steps where the loop computes them (every K steps is enough).
   */
  features?: { n: number; dim: number; data: Float32Array | Float64Array };
  /** Classifier argmax class of each sample of that fixed batch (for class coverage). */
  classes?: Int32Array | number[];
  /** Number of classes of the dataset, with `classes`. */
  numClasses?: number;
  /** Current learning rates, for messages only. */
  lrG?: number;
  lrD?: number;
}

/** The kinds of event the monitor raises. */
export type HealthEventKind =
  | 'non-finite' // a loss, D output or gradient norm is NaN or Inf
  | 'divergence' // losses or D outputs run away (exploding, or far above their running level)
  | 'mode-collapse' // the fixed batch lost its diversity, or is full of near-duplicates, or covers few classes
  | 'd-overpowering' // D classifies (almost) everything right for many steps: G's gradient vanishes
  | 'grad-spike'; // a gradient norm far above its running median

export type Severity = 'warning' | 'critical';

/** What to do about an event. */
export type Remedy =
  /** Only report it. */
  | { action: 'warn' }
  /** Restore the last checkpoint saved while healthy, then multiply both learning rates by `lrFactor`. */
  | { action: 'rollback'; lrFactor: number }
  /** Turn DiffAugment on (Zhao et al. 2020) with this policy, e.g. 'color,translation,cutout'. */
  | { action: 'diffaugment'; policy: string }
  /** Save nothing more and stop the run; `HealthEvent.message` says why. */
  | { action: 'stop' };

export interface HealthEvent {
  kind: HealthEventKind;
  /** Step at which it was detected. */
  step: number;
  severity: Severity;
  /** One or two sentences for a human: what was seen, with the numbers. */
  message: string;
  /** The measured signals behind the decision, by name. */
  signals: Record<string, number>;
  /** The remedy the configuration chose for this kind. */
  remedy: Remedy;
}

/**
 * What the training loop lets the monitor's remedies do. The loop implements this; the remedies
 * (`HealthMonitor.applyRemedy`, src/health/monitor.ts) call it.
 */
export interface TrainingControl {
  /**
   * Restore G, D, both optimizers, EMA and RNG from the checkpoint saved at `step` (one the loop
   * reported through `HealthMonitor.checkpointSaved`). Returns when the state is restored.
   */
  restoreCheckpoint(step: number): Promise<void> | void;
  /** Multiply the learning rates of G and D by `factor` (0 < factor < 1 to lower them). */
  scaleLearningRates(factor: number): void;
  /** Turn DiffAugment on for D's real and fake inputs with this policy. */
  enableDiffAugment(policy: string): void;
  /** Stop training after this step (save the final state as usual) and report `reason`. */
  stop(reason: string): void;
}

/** The result of applying a remedy. */
export interface RemedyOutcome {
  applied: Remedy['action'];
  /** Step restored, for 'rollback'. */
  restoredStep?: number;
  /** Why nothing (or 'stop' instead of a rollback) happened, e.g. no healthy checkpoint yet. */
  note?: string;
}
