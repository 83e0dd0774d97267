// Metrics every config.evalEvery steps (and at the last step) into metrics.jsonl: evalN images from
// fixed latents (the same every time, independent of training's RNG) through the Fashion-MNIST
// classifier, flattened into the record (e.g. "fid-fmnist"). A metric that cannot be computed (a
// diverged model's NaN images make FID's eigen-solver fail) is reported with its reason, never thrown:
// the run goes on.
import * as tf from '@tensorflow/tfjs-core';

import { onHostBackend } from '../backend/select.js';
import type { Dataset } from '../data/types.js';
import { FmnistEvaluator, flattenResults, type MetricName, parseMetricList } from '../metrics/evaluate.js';
import { asFmnist28 } from '../metrics/fmnist_crop.js';
import type { TrainConfig } from './config.js';
import { Rng } from './rng.js';
import type { Trainer } from './trainer.js';

/** One evaluation's figures, and the reason of each metric that failed. */
export interface EvalOutcome {
  values: Record<string, number>;
  errors: Record<string, string>;
}

export interface PeriodicEvaluator {
  run(trainer: Trainer): Promise<EvalOutcome>;
}

const reasonOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** The evaluator of a run, or null (with a warning) when its data is not 28x28 grayscale. */
export function periodicEvaluator(
  config: TrainConfig,
  dataset: Dataset,
  warn: (m: string) => void,
): PeriodicEvaluator | null {
  const side = dataset.kind === 'image' ? dataset.height : 0;
  if (dataset.kind !== 'image' || (side !== 28 && side !== 32) || dataset.width !== side || dataset.channels !== 1) {
    warn(
      `evalEvery: the -fmnist metrics need 28x28 (or padded 32x32) grayscale images; this run's data is not: no periodic evaluation`,
    );
    return null;
  }
  const metrics = parseMetricList(config.evalMetrics);
  let evaluator: FmnistEvaluator | null = null;
  return {
    async run(trainer: Trainer): Promise<EvalOutcome> {
      let values: Float32Array;
      let labels: number[] | undefined;
      const n = config.evalN;
      try {
        // The classifier runs on the CPU backend whatever the training backend (synchronous reads).
        evaluator ??= await onHostBackend(() => FmnistEvaluator.create());
        const r = new Rng((config.seed ^ 0xe7a1) >>> 0);
        const z = trainer.model.sampleLatent(n, r);
        const k = trainer.model.numClasses;
        labels = k > 0 ? Array.from({ length: n }, (_, i) => i % k) : undefined;
        const lt = labels ? tf.tensor1d(labels, 'int32') : null;
        const images = tf.tidy(() => trainer.generate(z, lt)); // [n, 28, 28, 1] in [-1, 1]
        try {
          values = Float32Array.from((await images.data()) as Float32Array);
          values = asFmnist28(values, n, images.shape.slice(1)) ?? values; // padded 32x32: the centre 28x28
        } finally {
          tf.dispose([z, images, ...(lt ? [lt] : [])]);
        }
      } catch (e) {
        const why = reasonOf(e);
        return { values: {}, errors: Object.fromEntries(metrics.map((m) => [m, why])) };
      }
      const ev = evaluator;
      const evaluate = (ms: MetricName[]) => onHostBackend(() => ev.evaluate(values, n, ms, labels));
      try {
        return { values: flattenResults(await evaluate(metrics)), errors: {} };
      } catch {
        // One metric failed: compute each alone, to keep the ones that can be computed.
        const out: EvalOutcome = { values: {}, errors: {} };
        for (const m of metrics) {
          try {
            Object.assign(out.values, flattenResults(await evaluate([m])));
          } catch (e) {
            out.errors[m] = reasonOf(e);
          }
        }
        return out;
      }
    },
  };
}
