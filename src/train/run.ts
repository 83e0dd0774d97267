// `train()`: the library entry the CLI calls. Builds the config (preset + overrides, or the config
// of a run being resumed), the data and the Trainer, then runs it in a run folder:
//   RUN/config.json      the resolved config, preset, model description
//   RUN/metrics.jsonl    one JSON line per log step (losses, D outputs, gradient norms, img/s, lrs)
//   RUN/health.jsonl     health events, one per line (when the monitor is on)
//   RUN/samples/         a fixed-latent grid every sampleEvery steps (step-0000250.png ...)
//   RUN/checkpoints/     the last keepCheckpoints full checkpoints (atomic writes)
// Ctrl-C (SIGINT) finishes the current step, saves a checkpoint and returns (reason 'interrupted').
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import * as tf from '@tensorflow/tfjs-core';

import type { Dataset } from '../data/types.js';
import { modelSha256 } from '../export/generator_io.js';
import { createHealthFeatureSource, type HealthFeatureSource } from '../health/image_features.js';
import { HealthMonitor } from '../health/monitor.js';
import { onHostBackend } from '../backend/select.js';
import type { HealthEvent, StepRecord, TrainingControl } from '../health/types.js';
import { FmnistEvaluator, flattenResults, parseMetricList } from '../metrics/evaluate.js';
import type { GANModel } from '../models/types.js';
import {
  checkpointName,
  CheckpointError,
  listCheckpoints,
  loadLatestCheckpoint,
  pruneCheckpoints,
  readCheckpointFile,
  writeCheckpointFile,
  type Checkpoint,
} from './checkpoint.js';
import { ConfigError, mergeConfig, parseConfig, type TrainConfig, type TrainConfigInput } from './config.js';
import { loadDatasetFromConfig } from './data_source.js';
import type { DoneEvent, LogRecord } from './events.js';
import { getPreset } from './presets.js';
import { attachProgress, type ProgressMode } from './progress.js';
import { writeSamples } from './samples.js';
import { Rng } from './rng.js';
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
  dataset?: Dataset;
  /** A model to train instead of building one from the config. */
  model?: GANModel;
  /** Extra callbacks. */
  monitors?: TrainMonitor[];
  /** Progress display (default 'auto': a bar on a TTY, lines otherwise). */
  progress?: ProgressMode;
  /** Save and stop on SIGINT (default true). */
  handleSignals?: boolean;
  /** Called with the trainer before the first step (subscribe to trainer.events here). */
  onStart?: (trainer: Trainer, runDir: string) => void;
  /** Where warnings go (default stderr). */
  warn?: (msg: string) => void;
}

export interface TrainResult {
  runDir: string;
  step: number;
  reason: DoneEvent['reason'];
  message?: string;
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

/** Resolves preset + overrides into a validated config. */
export function resolveConfig(preset: string | undefined, overrides: Record<string, unknown> = {}): TrainConfig {
  const base = preset ? (getPreset(preset).config as Record<string, unknown>) : {};
  return parseConfig(mergeConfig(base, overrides));
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
  let config: TrainConfig;
  let resumeFrom: { file: string; checkpoint: Checkpoint } | null = null;
  let runDir: string;
  let presetName = opts.preset;
  if (opts.resume) {
    runDir = path.resolve(opts.resume);
    const ckDir = path.join(runDir, 'checkpoints');
    if (!existsSync(ckDir)) throw new CheckpointError(`${runDir} is not a tsgan run folder (no checkpoints/)`);
    resumeFrom = loadLatestCheckpoint(ckDir, warn);
    const saved = resumeFrom.checkpoint.header.state.config as Record<string, unknown>;
    const bad = Object.keys(overrides).filter((k) => !RESUME_OVERRIDABLE.has(k));
    if (bad.length) {
      throw new ConfigError(
        `cannot change ${bad.map((k) => `'${k}'`).join(', ')} when resuming (only ${[...RESUME_OVERRIDABLE].join(', ')})`,
      );
    }
    config = parseConfig(mergeConfig(saved, overrides));
    presetName = (resumeFrom.checkpoint.header.state.preset as string | undefined) ?? presetName;
  } else {
    config = resolveConfig(opts.preset, overrides);
    const name = config.name ?? `${opts.preset ?? config.model.family}-${timestamp()}`;
    runDir = path.resolve(opts.runDir ?? path.join(config.runsDir, name));
  }
  const dataset = opts.dataset ?? (await loadDatasetFromConfig(config.data, config.seed, warn));
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

  const monitors = [...(opts.monitors ?? [])];
  // The collapse detector's features of the first min(256, sampleCount) fixed latents: the points
  // themselves, the fmnist classifier's features (28x28x1) or 8x8-pooled pixels (src/health/image_features.ts).
  // (Point features also go to callers' own monitors, as before; images only with the health monitor.)
  const healthOn = config.health?.enabled === true;
  const featureCount = Math.min(256, config.sampleCount);
  if (healthOn && featureCount < 2)
    warn(`health: sampleCount ${config.sampleCount} < 2: no mode-collapse check (it needs a batch)`);
  const healthFeatures: HealthFeatureSource | null =
    featureCount >= 2 && (healthOn || (dataset.kind === 'points' && monitors.length > 0))
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

  const fixed = trainer.fixedSampleInputs();
  const evaluator = config.evalEvery > 0 ? periodicEvaluator(config, dataset, warn) : null;
  const modes = dataset.kind === 'points' ? dataset.modes : undefined;
  const modeRadius = dataset.kind === 'points' ? 3 * dataset.sigma : undefined;
  const cols = trainer.model.numClasses > 0 ? trainer.model.numClasses : undefined;
  const writeSampleGrid = async (step: number) => {
    const file = path.join(samplesDir, `step-${String(step).padStart(7, '0')}.png`);
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
  const saveCheckpoint = async () => {
    const file = path.join(ckDir, checkpointName(trainer.step));
    writeCheckpointFile(file, await trainer.toCheckpointAsync({ preset: presetName ?? null }));
    pruneCheckpoints(ckDir, config.keepCheckpoints);
    lastCheckpoint = file;
    trainer.events.emit('checkpoint', { step: trainer.step, file });
    for (const m of monitors) m.onCheckpoint?.(trainer.step, file, trainer);
  };

  const onSigint = () => {
    if (stopReason === 'interrupted') {
      process.stderr.write('\ntsgan: second Ctrl-C, exiting without saving\n');
      process.exit(130);
    }
    stopReason = 'interrupted';
    stopMessage = 'interrupted (Ctrl-C): checkpoint saved';
  };
  const handleSignals = opts.handleSignals ?? true;
  if (handleSignals) process.on('SIGINT', onSigint);
  const detach = attachProgress(trainer.events, {
    mode: opts.progress ?? 'auto',
    totalSteps: config.steps,
    startStep: trainer.step,
  });
  opts.onStart?.(trainer, runDir);

  const startStep = trainer.step;
  const t0 = performance.now();
  let win = { n: 0, t: performance.now() };
  try {
    while (trainer.step < config.steps && stopReason == null) {
      const next = trainer.step + 1;
      const isLog = next % config.logEvery === 0 || next === config.steps;
      const r = trainer.trainStep(isLog);
      win.n += 1;
      // losses are empty here on webgpu: they stay on the device until the log step reads them all.
      trainer.events.emit('step', { step: r.step, totalSteps: config.steps, losses: r.losses, ms: r.ms });
      if (isLog) {
        // The window's scalars, in one readback (a GPU-to-CPU copy waits for the queued work).
        const steps = await trainer.readScalars();
        const last = steps[steps.length - 1];
        const sums: Record<string, number> = {};
        for (const st of steps) {
          for (const [k, v] of Object.entries({ lossD: st.losses.D ?? NaN, lossG: st.losses.G ?? NaN, ...st.logs }))
            sums[k] = (sums[k] ?? 0) + v;
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
        if (evaluator != null && config.evalEvery > 0 && (r.step % config.evalEvery === 0 || r.step === config.steps)) {
          Object.assign(record, await evaluator.run(trainer));
        }
        appendFileSync(metricsFile, `${JSON.stringify(record)}\n`);
        if (healthFeatures) {
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
      if (r.step % config.checkpointEvery === 0 || r.step === config.steps) await saveCheckpoint();
      // Let signal handlers and event listeners run between steps.
      await new Promise((res) => setImmediate(res));
    }
    if (stopReason != null && lastCheckpoint !== path.join(ckDir, checkpointName(trainer.step))) {
      if (trainer.step > startStep || !lastCheckpoint) await saveCheckpoint();
    }
  } finally {
    if (handleSignals) process.off('SIGINT', onSigint);
    tf.dispose([fixed.z, ...(fixed.labels ? [fixed.labels] : [])]);
    healthFeatures?.dispose();
  }
  const reason: DoneEvent['reason'] = stopReason ?? 'completed';
  trainer.events.emit('done', { step: trainer.step, reason, message: stopMessage, runDir });
  detach();
  return { runDir, step: trainer.step, reason, message: stopMessage, checkpoint: lastCheckpoint, trainer };
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
 * Metrics every config.evalEvery steps (issue 4: "training computes chosen metrics every K steps"):
 * evalN images from fixed latents (same every time, independent of training's RNG) through the
 * Fashion-MNIST classifier, flattened into the metrics.jsonl record (e.g. "fid-fmnist").
 */
function periodicEvaluator(
  config: TrainConfig,
  dataset: Dataset,
  warn: (m: string) => void,
): { run(t: Trainer): Promise<Record<string, number>> } | null {
  if (dataset.kind !== 'image' || dataset.height !== 28 || dataset.width !== 28 || dataset.channels !== 1) {
    warn(`evalEvery: the -fmnist metrics need 28x28 grayscale images; this run's data is not: no periodic evaluation`);
    return null;
  }
  const metrics = parseMetricList(config.evalMetrics);
  let evaluator: FmnistEvaluator | null = null;
  return {
    async run(trainer: Trainer) {
      // The classifier runs on the CPU backend whatever the training backend (synchronous reads).
      evaluator ??= await onHostBackend(() => FmnistEvaluator.create());
      const n = config.evalN;
      const r = new Rng((config.seed ^ 0xe7a1) >>> 0);
      const z = trainer.model.sampleLatent(n, r);
      const k = trainer.model.numClasses;
      const labels = k > 0 ? Array.from({ length: n }, (_, i) => i % k) : undefined;
      const lt = labels ? tf.tensor1d(labels, 'int32') : null;
      const images = tf.tidy(() => trainer.generate(z, lt)); // [n, 28, 28, 1] in [-1, 1]
      const values = Float32Array.from((await images.data()) as Float32Array);
      tf.dispose([z, images, ...(lt ? [lt] : [])]);
      const ev = evaluator;
      return flattenResults(await onHostBackend(() => ev.evaluate(values, n, metrics, labels)));
    },
  };
}
