// Shared machinery of the single-generator, single-discriminator GANs (Vanilla, DCGAN, cGAN):
// networks {G, D}, latent sampling, generation, and the standard loss phases
//   D: adversarial loss on (real, G(z)) [+ WGAN-GP] [+ ACGAN class loss], repeated dSteps times;
//   R1: (gamma/2) ||grad D(real)||^2 every r1Every steps (scaled by r1Every), when gamma > 0;
//   G: adversarial loss on G(z) [+ ACGAN class loss].
// Conditional models feed the real batch's labels to both G and D, so classes stay balanced.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

import { classCrossEntropy, discriminatorLoss, generatorLoss } from '../losses/adversarial.js';
import { gradientPenalty, r1Penalty } from '../losses/penalties.js';
import { infoCodes } from '../nn/info_code.js';
import type { Rng } from '../train/rng.js';
import type {
  GANModel,
  GenerateOptions,
  LossPhase,
  LossSpec,
  ModelDescription,
  Networks,
  StepContext,
} from './types.js';
import { describeModel, disposeNetworks } from './describe.js';

/** D's outputs: adversarial logits [N, 1], and class logits [N, K] for ACGAN. */
export interface DiscriminatorOutput {
  logits: tf.Tensor;
  classLogits?: tf.Tensor2D;
}

export abstract class AdversarialGAN implements GANModel {
  abstract readonly family: string;
  abstract readonly paper: string;
  abstract readonly options: Record<string, unknown>;
  abstract readonly latentDim: number;
  abstract readonly numClasses: number;
  abstract readonly outputShape: number[];
  readonly valueRange: [number, number] = [-1, 1];
  readonly supportsTruncation = true;
  readonly generatorName = 'G';
  networks!: Networks;

  /** Builds network 'G' or 'D' with fresh weights. */
  abstract buildNetwork(name: string): tfl.LayersModel;

  /** Call from the subclass constructor once its options are set. */
  protected init(): void {
    this.networks = { G: this.buildNetwork('G'), D: this.buildNetwork('D') };
  }

  get conditional(): boolean {
    return this.numClasses > 0;
  }

  /** Whether D has an auxiliary classifier head (ACGAN). */
  get hasAuxClassifier(): boolean {
    return false;
  }

  /** Categories of an InfoGAN code read from the latent (0: none); D's second output is then Q. */
  get infoCategories(): number {
    return 0;
  }

  generate(z: tf.Tensor2D, labels?: tf.Tensor1D | null, opts: GenerateOptions = {}): tf.Tensor {
    const g = opts.generator ?? this.networks.G;
    const training = opts.training ?? false;
    if (this.conditional) {
      if (!labels) throw new Error(`${this.family}: a conditional model needs class labels to generate`);
      if (labels.shape[0] !== z.shape[0])
        throw new Error(`generate: ${labels.shape[0]} labels for ${z.shape[0]} latents`);
      const y = tf.reshape(tf.cast(labels, 'float32'), [-1, 1]); // [N, 1]
      return g.apply([z, y], { training }) as tf.Tensor;
    }
    return g.apply(z, { training }) as tf.Tensor;
  }

  /** D on a batch (labels for conditional models). */
  discriminate(x: tf.Tensor, labels: tf.Tensor1D | null, training: boolean): DiscriminatorOutput {
    const d = this.networks.D;
    let out: tf.Tensor | tf.Tensor[];
    if (this.conditional && !this.hasAuxClassifier) {
      if (!labels) throw new Error(`${this.family}: the projection discriminator needs class labels`);
      out = d.apply([x, tf.reshape(tf.cast(labels, 'float32'), [-1, 1])], { training }) as tf.Tensor;
    } else {
      out = d.apply(x, { training }) as tf.Tensor | tf.Tensor[];
    }
    if (Array.isArray(out)) return { logits: out[0], classLogits: out[1] as tf.Tensor2D };
    return { logits: out };
  }

  sampleLatent(n: number, rng: Rng, truncation = 0): tf.Tensor2D {
    return tf.tensor2d(rng.normals(n * this.latentDim, truncation), [n, this.latentDim]);
  }

  /** A training batch of latents [N, Z] (same draws as sampleLatent) and, with an InfoGAN code, each row's category [N]. */
  latentBatch(n: number, rng: Rng): { z: tf.Tensor2D; codes: tf.Tensor1D | null } {
    const v = rng.normals(n * this.latentDim);
    const z = tf.tensor2d(v, [n, this.latentDim]);
    const k = this.infoCategories;
    return { z, codes: k > 0 ? tf.tensor1d(infoCodes(v, this.latentDim, k), 'int32') : null };
  }

  phases(spec: LossSpec): LossPhase[] {
    const aux = this.hasAuxClassifier && spec.auxWeight > 0;
    const info = this.infoCategories > 0 && spec.infoWeight > 0;
    const phases: LossPhase[] = [];
    phases.push({
      name: 'D',
      updates: ['D'],
      optimizer: 'D',
      repeat: Math.max(1, spec.dSteps),
      loss: (ctx: StepContext) => {
        const { z, codes } = this.latentBatch(ctx.batchSize, ctx.rng); // [N, Z], [N] | null
        const fake = this.generate(z, ctx.labels, { training: true }); // [N, ...]
        const dr = this.discriminate(ctx.augment(ctx.real), ctx.labels, true);
        const df = this.discriminate(ctx.augment(fake), ctx.labels, true);
        let loss = discriminatorLoss(spec.loss, dr.logits, df.logits, { realTarget: spec.realTarget });
        const logs: Record<string, tf.Scalar> = {
          dReal: tf.mean(dr.logits) as tf.Scalar,
          dFake: tf.mean(df.logits) as tf.Scalar,
          // Fraction of real logits > 0 and fake logits < 0.
          dAccuracy: tf.div(
            tf.add(
              tf.sum(tf.cast(tf.greater(dr.logits, 0), 'float32')),
              tf.sum(tf.cast(tf.less(df.logits, 0), 'float32')),
            ),
            2 * ctx.batchSize,
          ) as tf.Scalar,
        };
        if (spec.gpWeight > 0) {
          const alphas = ctx.rng.uniforms(ctx.batchSize);
          const gp = gradientPenalty(
            (x) => this.discriminate(ctx.augment(x), ctx.labels, true).logits,
            ctx.real,
            fake,
            alphas,
          );
          logs.gp = gp;
          loss = tf.add(loss, tf.mul(spec.gpWeight, gp)) as tf.Scalar;
        }
        if (aux && ctx.labels) {
          const ce = tf.add(
            classCrossEntropy(dr.classLogits!, ctx.labels),
            classCrossEntropy(df.classLogits!, ctx.labels),
          );
          logs.auxD = ce as tf.Scalar;
          loss = tf.add(loss, tf.mul(spec.auxWeight, ce)) as tf.Scalar;
        }
        if (info && codes) {
          const mi = classCrossEntropy(df.classLogits!, codes); // Q's cross-entropy on the fakes' codes
          logs.infoD = mi;
          loss = tf.add(loss, tf.mul(spec.infoWeight, mi)) as tf.Scalar;
        }
        return { loss, logs };
      },
    });
    if (spec.r1Gamma > 0) {
      const every = Math.max(1, spec.r1Every);
      phases.push({
        name: 'R1',
        updates: ['D'],
        optimizer: 'D',
        every,
        loss: (ctx: StepContext) => {
          const r1 = r1Penalty(
            (x) => this.discriminate(ctx.augment(x), ctx.labels, true).logits,
            ctx.real,
            spec.r1Gamma,
          );
          return { loss: tf.mul(r1, every) as tf.Scalar, logs: { r1 } };
        },
      });
    }
    phases.push({
      name: 'G',
      updates: ['G'],
      optimizer: 'G',
      loss: (ctx: StepContext) => {
        const { z, codes } = this.latentBatch(ctx.batchSize, ctx.rng); // [N, Z], [N] | null
        const fake = this.generate(z, ctx.labels, { training: true });
        const df = this.discriminate(ctx.augment(fake), ctx.labels, true);
        const k = Math.max(1, Math.round(spec.topK * ctx.batchSize));
        let loss = generatorLoss(spec.loss, k < ctx.batchSize ? topKRows(df.logits, k) : df.logits);
        const logs: Record<string, tf.Scalar> = {};
        if (aux && ctx.labels) {
          const ce = classCrossEntropy(df.classLogits!, ctx.labels);
          logs.auxG = ce;
          loss = tf.add(loss, tf.mul(spec.auxWeight, ce)) as tf.Scalar;
        }
        if (info && codes) {
          const mi = classCrossEntropy(df.classLogits!, codes);
          logs.infoG = mi;
          loss = tf.add(loss, tf.mul(spec.infoWeight, mi)) as tf.Scalar;
        }
        return { loss, logs };
      },
    });
    return phases;
  }

  describe(): ModelDescription {
    return describeModel(this);
  }

  dispose(): void {
    disposeNetworks(this.networks);
  }
}

/**
 * The k rows of logits [N, 1] with the highest values, as a differentiable gather (the selection
 * itself is a constant): top-k training (Sinha et al. 2020, "Top-k Training of GANs: Improving GAN
 * Performance by Throwing Away Bad Samples") updates G only through the fakes D finds most realistic.
 */
export function topKRows(logits: tf.Tensor, k: number): tf.Tensor {
  const v = logits.dataSync();
  const order = Array.from(v.keys()).sort((a, b) => v[b]! - v[a]! || a - b);
  return tf.gather(logits, tf.tensor1d(order.slice(0, k), 'int32')); // [k, 1]
}

/** Fills unset options from defaults and rejects unknown ones with the list of valid names. */
export function resolveOptions<T extends object>(family: string, defaults: T, given: Partial<T> | undefined): T {
  const out = { ...defaults };
  for (const [k, v] of Object.entries(given ?? {})) {
    if (!(k in defaults))
      throw new Error(`${family}: unknown option '${k}' (valid: ${Object.keys(defaults).join(', ')})`);
    if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}
