// `train()`: the library entry the CLI calls. Builds the config (preset + overrides, or the config
// of a run being resumed), the data and the Trainer, then runs it in a run folder:
//   RUN/config.json      the resolved config, preset, model description
//   RUN/metrics.jsonl    one JSON line per log step (losses, D outputs, gradient norms, img/s, lrs)
//   RUN/health.jsonl     health events, one per line (when the monitor is on)
//   RUN/samples/         a fixed-latent grid every sampleEvery steps (step-0000250.png ...)
//   RUN/checkpoints/     the last keepCheckpoints full checkpoints (written fully, verified, renamed)
//   RUN/tsgan.lock       the pid of the process training in it, while it runs (run_folder.ts)
// SIGINT (Ctrl-C), SIGTERM and SIGHUP finish the current step, save a checkpoint and return (reason
// 'interrupted'). A new run refuses a folder that holds one unless told to overwrite it.
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import * as tf from '@tensorflow/tfjs-core';

import { onHostBackend } from '../backend/select.js';
import type { FieldDataset } from '../data/fields.js';
import type { Dataset } from '../data/types.js';
import { modelSha256 } from '../export/generator_io.js';
import { createHealthFeatureSource, type HealthFeatureSource } from '../health/image_features.js';
import { HealthMonitor } from '../health/monitor.js';
import type { HealthEvent, StepRecord, TrainingControl } from '../health/types.js';
import type { GANModel } from '../models/types.js';
import {
  type Checkpoint,
  CheckpointError,
  checkpointName,
  describeFsError,
  listCheckpoints,
  loadLatestCheckpoint,
  pruneCheckpoints,
  readCheckpointFile,
  writeCheckpointFile,
} from './checkpoint.js';
import {
  ConfigError,
  mergeConfig,
  mergeConfigLayers,
  parseConfig,
  type TrainConfig,
  type TrainConfigInput,
} from './config.js';
import { loadDatasetFromConfig } from './data_source.js';
import type { DoneEvent, LogRecord } from './events.js';
import { periodicEvaluator } from './periodic_eval.js';
import { getPreset } from './presets.js';
import { attachProgress, type ProgressMode } from './progress.js';
import { acquireRunLock, prepareNewRunFolder, RunFolderError, truncateJsonlToStep } from './run_folder.js';
import { writeSamples } from './samples.js';
import { familyRun } from './family_run.js';
import { Trainer } from './trainer.js';

/** A callback the loop calls; the health monitor is one. */
export interface TrainMonitor {
  /** Each log step, with the record it wrote; may return health events. */
  onLog?(
    record: StepRecord & LogRecord,
    trainer: Trainer,
  ): HealthEvent[] | undefined | Promise<HealthEvent[] | undefined>;
  /** After each checkpoint is written. */
  onCheckpoint?(step: number, file: string, trainer: Trainer): void;
  /** Carries out an event's remedy through the loop's control. */
  applyRemedy?(event: HealthEvent, control: TrainingControl): Promise<unknown> | unknown;
}

export interface TrainOptions {
  /** Preset name (see presets.ts). */
  preset?: string;
  /** Config fields, over the preset (nested objects merge). */
  config?: TrainConfigInput | Record<string, unknown>;
  /** Resume the run in this folder from its newest intact checkpoint (config overrides allowed: steps, logging). */
  resume?: string;
  /** Run folder to use (default: runsDir/name, or runsDir/<preset|family>-<timestamp>). */
  runDir?: string;
  /** Data to train on instead of the config's data section. */
  /** The data (instead of config.data); multi-field data for the image-to-image families. */
  dataset?: Dataset | FieldDataset;
  /** Held-out pairs for the sample grid and evaluation of an image-to-image run given `dataset`. */
  heldOut?: FieldDataset;
  /** A model to train instead of building one from the config. */
  model?: GANModel;
  /** Extra callbacks. */
  monitors?: TrainMonitor[];
  /** Progress display (default 'auto': a bar on a TTY, lines otherwise). */
  progress?: ProgressMode;
  /** Start a new run in runDir even if it holds one (that run's checkpoints, metrics and samples are deleted first). */
  overwrite?: boolean;
  /** Save and stop on SIGINT, SIGTERM and SIGHUP (default true). */
  handleSignals?: boolean;
  /** Called with the trainer before the first step (subscribe to trainer.events here). */
  onStart?: (trainer: Trainer, runDir: string) => void;
  /**
   * Awaited before every step (a UI's controls: wait while paused, run single phases, change lrs);
   * 'stop' saves a checkpoint and ends the run (reason 'stopped').
   */
  beforeStep?: (trainer: Trainer) => Promise<'stop' | undefined> | 'stop' | undefined;
  /** Where warnings go (default stderr). */
  warn?: (msg: string) => void;
}

export interface TrainResult {
  runDir: string;
  step: number;
  reason: DoneEvent['reason'];
  message?: string;
  /** The signal that stopped the run ('SIGINT', 'SIGTERM', 'SIGHUP'), when one did. */
  signal?: NodeJS.Signals;
  /** The first step with a NaN or infinite loss and how many steps had one, when any did. */
  nonFinite?: { firstStep: number; steps: number };
  /** The last checkpoint written. */
  checkpoint: string | null;
  /** The trainer, still holding the trained model (call trainer.dispose() when done). */
  trainer: Trainer;
}

/** Keys that may change when resuming (they do not alter the computation). */
const RESUME_OVERRIDABLE = new Set([
  'steps',
  'logEvery',
  'sampleEvery',
  'sampleCount',
  'checkpointEvery',
  'keepCheckpoints',
  'health',
]);

/**
 * Resolves preset + overrides into a validated config (nested objects merge; an `lr` override
 * replaces the preset's lrG / lrD, and `note` says so).
 */
export function resolveConfig(
  preset: string | undefined,
  overrides: Record<string, unknown> = {},
  note?: (msg: string) => void,
): TrainConfig {
  const base = preset ? (getPreset(preset).config as Record<string, unknown>) : {};
  if (overrides !== null && (typeof overrides !== 'object' || Array.isArray(overrides))) return parseConfig(overrides);
  return parseConfig(mergeConfigLayers([base, overrides], note));
}

function timestamp(): string {
  return new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, '')
    .replace('T', '-');
}

export async function train(opts: TrainOptions = {}): Promise<TrainResult> {
  const warn = opts.warn ?? ((m: string) => process.stderr.write(`tsgan: ${m}\n`));
  const overrides = (opts.config ?? {}) as Record<string, unknown>;
  let runDir: string;
  let config: TrainConfig | null = null;
  if (opts.resume) {
    runDir = path.resolve(opts.resume);
    if (opts.runDir && path.resolve(opts.runDir) !== runDir) {
      throw new ConfigError(
        `--run-dir ${opts.runDir} and --resume ${opts.resume} name different folders: a resumed run continues in its own folder`,
      );
    }
    if (!existsSync(path.join(runDir, 'checkpoints')))
      throw new CheckpointError(`${runDir} is not a tsgan run folder (no checkpoints/)`);
  } else {
    config = resolveConfig(opts.preset, overrides, warn);
    const name = config.name ?? `${opts.preset ?? config.model.family}-${timestamp()}`;
    runDir = path.resolve(opts.runDir ?? path.join(config.runsDir, name));
    if (existsSync(runDir) && !statSync(runDir).isDirectory())
      throw new RunFolderError(`run folder ${runDir} is a file, not a folder`);
  }
  let created: string | undefined;
  let release: () => void;
  try {
    created = mkdirSync(runDir, { recursive: true });
  } catch (e) {
    throw new RunFolderError(`cannot create the run folder ${runDir}: ${describeFsError(e)}`);
  }
  try {
    release = acquireRunLock(runDir, warn);
  } catch (e) {
    if (created) rmSync(created, { recursive: true, force: true });
    if (e instanceof RunFolderError) throw e;
    throw new RunFolderError(`cannot write in the run folder ${runDir}: ${describeFsError(e)}`);
  }
  let started = false;
  try {
    let resumeFrom: { file: string; checkpoint: Checkpoint } | null = null;
    let presetName = opts.preset;
    if (opts.resume) {
      resumeFrom = loadLatestCheckpoint(path.join(runDir, 'checkpoints'), warn);
      const state = resumeFrom.checkpoint.header.state;
      const savedPreset = (state.preset as string | null | undefined) ?? null;
      if (opts.preset !== undefined && opts.preset !== savedPreset) {
        throw new ConfigError(
          `--preset ${opts.preset} cannot change a resumed run: ${runDir} continues with its own config ` +
            `(${savedPreset ? `preset '${savedPreset}'` : 'it was not started from a preset'}); leave out --preset`,
        );
      }
      const bad = Object.keys(overrides).filter((k) => !RESUME_OVERRIDABLE.has(k));
      if (bad.length) {
        throw new ConfigError(
          `cannot change ${bad.map((k) => `'${k}'`).join(', ')} when resuming (only ${[...RESUME_OVERRIDABLE].join(', ')})`,
        );
      }
      config = parseConfig(mergeConfig(state.config as Record<string, unknown>, overrides));
      presetName = savedPreset ?? undefined;
      // Lines logged after this checkpoint (before a crash) would be written again: drop them.
      const step = resumeFrom.checkpoint.header.step;
      for (const f of ['metrics.jsonl', 'health.jsonl']) {
        const dropped = truncateJsonlToStep(path.join(runDir, f), step);
        if (dropped > 0) warn(`${f}: dropped ${dropped} line(s) after step ${step}, the step this run resumes from`);
      }
    } else {
      prepareNewRunFolder(runDir, opts.overwrite ?? false);
    }
    started = true;
    return await runLoop(opts, config as TrainConfig, runDir, presetName, resumeFrom, warn);
  } finally {
    release();
    // A run that failed before writing anything (bad data, say) leaves no empty folder behind.
    if (created && !(started && existsSync(path.join(runDir, 'config.json')))) {
      rmSync(created, { recursive: true, force: true });
    }
  }
}

/** Signals that save a checkpoint and stop the run (a second one exits at once). */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** File-system errors that mean the run folder can no longer be written. */
const DISK_ERRORS = new Set(['ENOSPC', 'EDQUOT', 'EROFS', 'EIO']);

async function runLoop(
  opts: TrainOptions,
  config: TrainConfig,
  runDir: string,
  presetName: string | undefined,
  resumeFrom: { file: string; checkpoint: Checkpoint } | null,
  warn: (m: string) => void,
): Promise<TrainResult> {
  const translation = await familyRun(config, opts.dataset, opts.heldOut, opts.model);
  const dataset: Dataset | FieldDataset =
    translation?.data.train ?? opts.dataset ?? (await loadDatasetFromConfig(config.data, config.seed, warn));
  const trainer = new Trainer({ config, dataset, model: opts.model });
  if (resumeFrom) trainer.restore(resumeFrom.checkpoint, resumeFrom.file);

  const samplesDir = path.join(runDir, 'samples');
  const ckDir = path.join(runDir, 'checkpoints');
  mkdirSync(samplesDir, { recursive: true });
  mkdirSync(ckDir, { recursive: true });
  writeFileSync(
    path.join(runDir, 'config.json'),
    `${JSON.stringify({ preset: presetName ?? null, config, model: trainer.model.describe(), dataset: dataset.name }, null, 2)}\n`,
  );
  const metricsFile = path.join(runDir, 'metrics.jsonl');
  const healthFile = path.join(runDir, 'health.jsonl');
  const progressMode = opts.progress ?? 'auto';
  // Warnings during the loop go through the progress display (which keeps its bar intact), or to warn.
  const loopWarn = (message: string) => {
    trainer.events.emit('warning', { step: trainer.step, message });
    if (progressMode === 'none') warn(message);
  };

  const monitors = [...(opts.monitors ?? [])];
  // The collapse detector's features of the first min(256, sampleCount) fixed latents: the points
  // themselves, the fmnist classifier's features (28x28x1) or 8x8-pooled pixels (src/health/image_features.ts).
  // (Point features also go to callers' own monitors, as before; images only with the health monitor.)
  const healthOn = config.health?.enabled === true;
  const featureCount = Math.min(256, config.sampleCount);
  if (healthOn && featureCount < 2)
    warn(`health: sampleCount ${config.sampleCount} < 2: no mode-collapse check (it needs a batch)`);
  const healthFeatures: HealthFeatureSource | null =
    dataset.kind !== 'fields' && featureCount >= 2 && (healthOn || (dataset.kind === 'points' && monitors.length > 0))
      ? await onHostBackend(() => createHealthFeatureSource(dataset, featureCount)) // metric nets stay on the CPU backend
      : null;
  if (healthOn && config.health && healthFeatures) {
    const h = structuredClone(config.health);
    h.collapse.referenceDiversity ??= healthFeatures.references.referenceDiversity;
    h.collapse.referenceNearest ??= healthFeatures.references.referenceNearest;
    monitors.push(healthMonitorCallback(new HealthMonitor(h)));
  }

  let stopReason: DoneEvent['reason'] | null = null;
  let stopMessage: string | undefined;
  let stopSignal: NodeJS.Signals | undefined;
  const control: TrainingControl = {
    restoreCheckpoint: (step: number) => {
      const file = path.join(ckDir, checkpointName(step));
      trainer.restore(readCheckpointFile(file), file);
    },
    scaleLearningRates: (f: number) => trainer.scaleLearningRates(f),
    enableDiffAugment: (policy: string) => trainer.enableDiffAugment(policy),
    stop: (reason: string) => {
      stopReason = 'stopped';
      stopMessage = reason;
    },
  };

  const fixed = translation ? null : trainer.fixedSampleInputs();
  const evaluator =
    config.evalEvery > 0
      ? translation
        ? translation.evaluator(warn)
        : periodicEvaluator(config, dataset as Dataset, warn)
      : null;
  const modes = dataset.kind === 'points' ? dataset.modes : undefined;
  const modeRadius = dataset.kind === 'points' ? 3 * dataset.sigma : undefined;
  const cols = trainer.model.numClasses > 0 ? trainer.model.numClasses : undefined;
  const writeSampleGrid = async (step: number) => {
    const file = path.join(samplesDir, `step-${String(step).padStart(7, '0')}.png`);
    if (translation || !fixed) {
      await translation!.writeGrid(trainer, file, step);
      trainer.events.emit('sample', { step, file });
      return;
    }
    const imgs = tf.tidy(() => trainer.generate(fixed.z, fixed.labels));
    try {
      await writeSamples(
        file,
        imgs,
        {
          model: trainer.model.family,
          modelSha256: await modelSha256(trainer.sampleGenerator),
          seed: config.seed,
          step,
          kind: 'fixed-latent sample grid',
        },
        {
          cols,
          modes,
          modeRadius,
          scale: trainer.model.outputShape.length === 3 && trainer.model.outputShape[0] <= 32 ? 2 : 1,
        },
      );
    } finally {
      imgs.dispose();
    }
    trainer.events.emit('sample', { step, file });
  };
  let lastCheckpoint: string | null = null;
  const lastGood = () => lastCheckpoint ?? resumeFrom?.file ?? null;
  // A checkpoint is written (fully, verified: checkpoint.ts), then committed: only then are older
  // ones pruned and the listeners told. A write that fails ends the run with the reason.
  const writeCheckpoint = async (): Promise<string> => {
    const file = path.join(ckDir, checkpointName(trainer.step));
    try {
      writeCheckpointFile(file, await trainer.toCheckpointAsync({ preset: presetName ?? null }));
    } catch (e) {
      if (!(e instanceof CheckpointError)) throw e;
      const good = lastGood();
      const err = new CheckpointError(
        `${e.message}; ${good ? `the last good checkpoint is ${good} (continue with --resume ${runDir} once the disk has room)` : 'no checkpoint of this run was saved'}`,
      );
      err.code = e.code;
      throw err;
    }
    return file;
  };
  const commitCheckpoint = (file: string) => {
    pruneCheckpoints(ckDir, config.keepCheckpoints);
    lastCheckpoint = file;
    trainer.events.emit('checkpoint', { step: trainer.step, file });
    for (const m of monitors) m.onCheckpoint?.(trainer.step, file, trainer);
  };
  const saveCheckpoint = async () => commitCheckpoint(await writeCheckpoint());

  const onSignal = (sig: NodeJS.Signals) => {
    if (stopReason === 'interrupted') {
      process.stderr.write(`\ntsgan: second ${sig === 'SIGINT' ? 'Ctrl-C' : sig}, exiting without saving\n`);
      process.exit(128 + (os.constants.signals[sig] ?? 0));
    }
    stopReason = 'interrupted';
    stopSignal = sig;
    stopMessage = `interrupted (${sig === 'SIGINT' ? 'Ctrl-C' : sig}): checkpoint saved`;
  };
  const handleSignals = opts.handleSignals ?? true;
  if (handleSignals) for (const s of STOP_SIGNALS) process.on(s, onSignal);
  const detach = attachProgress(trainer.events, {
    mode: progressMode,
    totalSteps: config.steps,
    startStep: trainer.step,
  });
  opts.onStart?.(trainer, runDir);

  const startStep = trainer.step;
  const t0 = performance.now();
  let win = { n: 0, t: performance.now() };
  let nonFinite: { firstStep: number; steps: number } | undefined;
  let lastEvalFailed: string[] = [];
  let finished = false;
  try {
    while (trainer.step < config.steps && stopReason == null) {
      if (opts.beforeStep && (await opts.beforeStep(trainer)) === 'stop') {
        stopReason = 'stopped';
        stopMessage = 'stopped by the user';
        break;
      }
      const next = trainer.step + 1;
      const isLog = next % config.logEvery === 0 || next === config.steps;
      const r = trainer.trainStep(isLog);
      win.n += 1;
      // losses are empty here on webgpu: they stay on the device until the log step reads them all.
      trainer.events.emit('step', { step: r.step, totalSteps: config.steps, losses: r.losses, ms: r.ms });
      const checkpointDue = r.step % config.checkpointEvery === 0 || r.step === config.steps;
      let early: string | null = null;
      if (isLog) {
        // The window's scalars, in one readback (a GPU-to-CPU copy waits for the queued work).
        const steps = await trainer.readScalars();
        for (const st of steps) {
          const bad = Object.entries(st.losses).filter(([, v]) => !Number.isFinite(v));
          if (bad.length === 0) continue;
          if (!nonFinite) {
            nonFinite = { firstStep: st.step, steps: 0 };
            loopWarn(
              `non-finite loss at step ${st.step} (${bad.map(([k, v]) => `${k} = ${v}`).join(', ')}): the model has diverged`,
            );
          }
          nonFinite.steps++;
        }
        const last = steps[steps.length - 1];
        const sums: Record<string, number> = {};
        for (const st of steps) {
          for (const [k, v] of Object.entries({ ...lossesOf(st.losses), ...st.logs })) sums[k] = (sums[k] ?? 0) + v;
        }
        const now = performance.now();
        const mean = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / Math.max(1, steps.length)]));
        const record: StepRecord & LogRecord = {
          ...mean,
          step: r.step,
          elapsed: (now - t0) / 1000,
          imgPerSec: (win.n * config.batchSize) / ((now - win.t) / 1000),
          lossD: mean.lossD,
          lossG: mean.lossG,
          gradNormD: last?.gradNorms.D,
          gradNormG: last?.gradNorms.G,
          lrG: trainer.lr('G'),
          lrD: trainer.lr('D'),
        };
        let evalNotes: Record<string, unknown> = {};
        if (evaluator != null && (r.step % config.evalEvery === 0 || r.step === config.steps)) {
          // This step's checkpoint first: an evaluation that fails or never returns must not cost it.
          if (checkpointDue) early = await writeCheckpoint();
          const ev = await evaluator.run(trainer);
          Object.assign(record, ev.values);
          const failed = Object.entries(ev.errors);
          lastEvalFailed = failed.map(([m]) => m);
          if (failed.length) {
            evalNotes = { ...Object.fromEntries(failed.map(([m]) => [m, null])), evalErrors: ev.errors };
            for (const [m, why] of failed) loopWarn(`evaluation at step ${r.step}: ${m} could not be computed: ${why}`);
          }
        }
        appendFileSync(metricsFile, `${JSON.stringify({ ...record, ...evalNotes })}\n`);
        if (healthFeatures && fixed) {
          const n = healthFeatures.n;
          const samples = tf.tidy(() =>
            trainer.generate(
              tf.slice(fixed.z, [0, 0], [n, -1]) as tf.Tensor2D,
              fixed.labels && (tf.slice(fixed.labels, [0], [n]) as tf.Tensor1D),
            ),
          );
          try {
            const values = Float32Array.from((await samples.data()) as Float32Array);
            Object.assign(record, await onHostBackend(() => healthFeatures.measure(values)));
          } finally {
            samples.dispose();
          }
        }
        trainer.events.emit('log', record);
        for (const m of monitors) {
          const events = (await m.onLog?.(record, trainer)) ?? [];
          for (const e of events) {
            appendFileSync(healthFile, `${JSON.stringify(e)}\n`);
            trainer.events.emit('health', e);
            await m.applyRemedy?.(e, control);
          }
        }
        win = { n: 0, t: performance.now() };
      }
      if (r.step % config.sampleEvery === 0 || r.step === config.steps) await writeSampleGrid(r.step);
      if (checkpointDue) {
        if (early && trainer.step === r.step) commitCheckpoint(early);
        else {
          // A remedy restored an earlier state after the early write: that file holds what it rejected.
          if (early) unlinkSync(early);
          await saveCheckpoint();
        }
      }
      // Let signal handlers and event listeners run between steps.
      await new Promise((res) => setImmediate(res));
    }
    if (stopReason != null && lastCheckpoint !== path.join(ckDir, checkpointName(trainer.step))) {
      if (trainer.step > startStep || !lastCheckpoint) await saveCheckpoint();
    }
    finished = true;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (e instanceof CheckpointError || !code || !DISK_ERRORS.has(code)) throw e;
    const good = lastGood();
    throw new RunFolderError(
      `could not write to the run folder ${runDir}: ${describeFsError(e)} (${(e as Error).message}); ` +
        `${good ? `the last good checkpoint is ${good}` : 'no checkpoint of this run was saved'}`,
    );
  } finally {
    if (handleSignals) for (const s of STOP_SIGNALS) process.off(s, onSignal);
    if (fixed) tf.dispose([fixed.z, ...(fixed.labels ? [fixed.labels] : [])]);
    healthFeatures?.dispose();
    if (!finished) detach();
  }
  let reason: DoneEvent['reason'] = stopReason ?? 'completed';
  let message = stopMessage;
  if (nonFinite) {
    // Never a silent "completed": the health monitor may be off, and a NaN model samples nothing.
    const note =
      `non-finite losses (NaN or Infinity) at ${nonFinite.steps} step(s) from step ${nonFinite.firstStep} on: ` +
      'the model diverged (lower the learning rates, or turn on the health monitor: --health.enabled true)';
    if (reason === 'completed') reason = 'diverged';
    message = message ? `${message}; ${note}` : note;
  }
  if (lastEvalFailed.length) {
    const note = `the last evaluation could not compute ${lastEvalFailed.join(', ')} (reasons in metrics.jsonl, evalErrors)`;
    message = message ? `${message}; ${note}` : note;
  }
  trainer.events.emit('done', { step: trainer.step, reason, message, runDir });
  detach();
  return {
    runDir,
    step: trainer.step,
    reason,
    message,
    signal: stopSignal,
    nonFinite,
    checkpoint: lastCheckpoint,
    trainer,
  };
}

/** The health monitor as a loop callback: observe each record, remember healthy checkpoints, apply remedies. */
export function healthMonitorCallback(monitor: HealthMonitor): TrainMonitor {
  return {
    onLog: (record) => monitor.observe(record),
    onCheckpoint: (step) => {
      monitor.checkpointSaved(step);
    },
    applyRemedy: (event, control) => monitor.applyRemedy(event, control),
  };
}

/** Reads a run folder's config.json. */
export function readRunConfig(runDir: string): { preset: string | null; config: TrainConfig } {
  const file = path.join(runDir, 'config.json');
  if (!existsSync(file)) throw new Error(`${runDir} is not a tsgan run folder (no config.json)`);
  const j = JSON.parse(readFileSync(file, 'utf8')) as { preset: string | null; config: unknown };
  return { preset: j.preset, config: parseConfig(j.config) };
}

export { listCheckpoints };

/**
 * A log record's losses: lossD and lossG (the phases named D and G; with several D phases, as
 * CycleGAN's D_A and D_B, lossD is their sum), and every other phase as loss_<name>.
 */
export function lossesOf(losses: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  const dPhases = Object.keys(losses).filter((k) => k.startsWith('D_'));
  if (losses.D !== undefined) out.lossD = losses.D;
  else if (dPhases.length) out.lossD = dPhases.reduce((a, k) => a + losses[k]!, 0);
  if (losses.G !== undefined) out.lossG = losses.G;
  for (const [k, v] of Object.entries(losses)) if (k !== 'D' && k !== 'G') out[`loss_${k}`] = v;
  return out;
}
