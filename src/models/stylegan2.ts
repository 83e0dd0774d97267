// StyleGAN2: Karras, Laine, Aittala, Hellsten, Lehtinen & Aila, "Analyzing and Improving the Image
// Quality of StyleGAN", CVPR 2020 (config F; the official StyleGAN2-ADA code's layout).
// G = mapping network (z -> w: input normalization, 8 equalized-lr dense layers with lr multiplier
// 0.01, leaky ReLU) + synthesis network (learned 4x4 constant; per resolution two 3x3 modulated and
// demodulated convolutions with per-pixel noise, the first after 2x upsampling; skip architecture: a
// 1x1 toRGB per resolution summed into the upsampled image). D = residual network (1x1 fromRGB, two
// 3x3 convolutions and a 1x1 skip per resolution, both branches times sqrt(1/2)) ending in minibatch
// standard deviation (group 4), a 3x3 convolution, a dense layer and the logit.
// Training (reference defaults): non-saturating logistic loss; R1 gamma 10 applied lazily every 16
// D steps (scaled by 16), Adam lr 0.002, betas (0, 0.99), with the lazy-regularization c/(c+1)
// correction of lr and betas (the presets compute it); path-length regularization weight 2 every 4
// G steps (batch halved, mean decay 0.01); style-mixing regularization with probability 0.9; EMA of
// G (half-life 10k images); w_avg tracked with decay 0.995 for truncation.
// Scaled down for the CPU here (options): z and w 128-d instead of 512, channels min(2048/res, 128)
// instead of min(32768/res, 512), path length off by default (plWeight 0), nearest-neighbour
// upsampling and 2x2 box downsampling instead of the [1,3,3,1] FIR filters.
// Noise: random from the run's seeded RNG while training; at inference G's fixed noise images
// (non-trainable weights drawn from the seed: 'const'), so network G maps z to an image on its own.
// Optional class-conditional mapping (numClasses > 0): an embedded label, normalized, concatenated
// with the normalized z; D then ends in a projection onto the label's embedding.
// Optional ADA (ada: true; Karras et al. 2020, "Training Generative Adversarial Networks with Limited
// Data", src/nn/ada.ts): every image D sees (after any DiffAugment) goes through the adaptive
// pipeline; p follows r_t = E[sign(D(real))] towards adaTarget 0.6 and is model state (checkpointed).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { z } from 'zod';

import { discriminatorLoss, generatorLoss } from '../losses/adversarial.js';
import { r1Penalty } from '../losses/penalties.js';
import { AdaController, type AdaState } from '../nn/ada.js';
import { GraphRunner } from '../nn/graph_runner.js';
import { ensureSecondOrderGradients } from '../nn/second_order.js';
import { untaped } from '../nn/stylegan_fused_batch.js';
import {
  ConstInput,
  ConstNoise,
  EqConv2D,
  EqDense,
  MinibatchStd,
  ModConv2D,
  PixelNorm,
  Resample2x,
} from '../nn/stylegan_layers.js';
import type { FieldDataset } from '../data/fields.js';
import type { Dataset } from '../data/types.js';
import type { TrainConfig } from '../train/config.js';
import type { Rng } from '../train/rng.js';
import type {
  GANModel,
  GenerateOptions,
  LossPhase,
  LossSpec,
  ModelDescription,
  ModelState,
  Networks,
  StepContext,
} from './types.js';
import { describeModel, disposeNetworks } from './describe.js';

export const StyleGAN2OptionsSchema = z
  .object({
    /** Image side: a power of two from 8 to 256. */
    resolution: z.number().int().default(32),
    /** Image channels (1 grayscale, 3 RGB). */
    channels: z.number().int().min(1).max(4).default(1),
    /** Length of z (the paper: 512). */
    latentDim: z.number().int().min(1).default(128),
    /** Length of w (the paper: 512). */
    wDim: z.number().int().min(1).default(128),
    /** Dense layers of the mapping network (the paper: 8). */
    mappingLayers: z.number().int().min(1).default(8),
    /** Learning-rate multiplier of the mapping network (the paper: 0.01). */
    mappingLrMul: z.number().positive().default(0.01),
    /** Channels at resolution r: min(channelBase / r, channelMax) (the paper: 32768). */
    channelBase: z.number().int().min(1).default(2048),
    /** Largest channel count (the paper: 512). */
    channelMax: z.number().int().min(1).default(128),
    /** Probability of style-mixing regularization per batch (the paper: 0.9). */
    styleMixing: z.number().min(0).max(1).default(0.9),
    /** Minibatch-stddev group size (the paper: 4). */
    mbstdGroup: z.number().int().min(1).default(4),
    /** Decay of the running mean of w (the paper: 0.995). */
    wAvgBeta: z.number().min(0).max(1).default(0.995),
    /** Path-length regularization weight (the paper: 2; 0 = off). */
    plWeight: z.number().min(0).default(0),
    /** Apply path-length regularization every k steps, scaled by k (the paper: 4). */
    plEvery: z.number().int().min(1).default(4),
    /** Decay of the path-length running mean (the paper: 0.01). */
    plDecay: z.number().min(0).max(1).default(0.01),
    /** Divide the batch by this for the path-length term (the paper: 2). */
    plBatchShrink: z.number().int().min(1).default(2),
    /** Classes of a class-conditional mapping (0 = unconditional). */
    numClasses: z.number().int().min(0).default(0),
    /** Adaptive discriminator augmentation (ADA, Karras et al. 2020) on every image D sees. */
    ada: z.boolean().default(false),
    /** ADA's transform groups: letters of b (pixel blitting), g (geometric), c (colour) (the paper: bgc). */
    adaGroups: z
      .string()
      .regex(/^[bgc]+$/, 'use letters of b, g, c')
      .default('bgc'),
    /** ADA's target for r_t = E[sign(D(real))] (the paper: 0.6); 0 keeps p fixed at adaP. */
    adaTarget: z.number().min(0).max(1).default(0.6),
    /** D steps between adjustments of p (the paper: 4). */
    adaInterval: z.number().int().min(1).default(4),
    /** Thousands of images for p to go from 0 to 1 (the paper: 500; short CPU runs: 20). */
    adaKimg: z.number().positive().default(20),
    /** ADA's initial p. */
    adaP: z.number().min(0).max(1).default(0),
  })
  .strict();
export type StyleGAN2Options = z.infer<typeof StyleGAN2OptionsSchema>;

const isPow2 = (n: number) => n >= 8 && n <= 256 && (n & (n - 1)) === 0;
const ap = (layer: tfl.layers.Layer, x: tfl.SymbolicTensor | tfl.SymbolicTensor[]) =>
  layer.apply(x) as tfl.SymbolicTensor;

/** A generator's two halves (the nested models inside network G and its EMA copy). */
export interface StyleGenerator {
  mapping: tfl.LayersModel;
  synthesis: tfl.LayersModel;
}

export interface SynthesisOptions {
  /** 'random' draws fresh noise from `rng` (training); 'const' uses one fixed draw (inference, default). */
  noise?: 'random' | 'const' | 'none';
  rng?: Rng;
  generator?: tfl.LayersModel;
}

export class StyleGAN2 implements GANModel {
  readonly family = 'stylegan2';
  readonly paper = 'Karras et al. 2020, Analyzing and Improving the Image Quality of StyleGAN';
  readonly options: StyleGAN2Options;
  readonly networks: Networks;
  readonly generatorName = 'G';
  readonly latentDim: number;
  readonly numClasses: number;
  readonly outputShape: number[];
  readonly valueRange: [number, number] = [-1, 1];
  readonly supportsTruncation = true;
  /** How many w vectors the synthesis network takes (two per resolution, the last toRGB's included). */
  readonly numWs: number;
  /** Side of each noise input, in order. */
  readonly noiseSides: number[];
  /** Running mean of w (truncation's centre): model state. */
  wAvg: Float32Array;
  /** Running mean of path lengths: model state. */
  plMean = 0;
  /** ADA's adaptive augmentation (its p is model state), or null. */
  readonly ada: AdaController | null;
  /** Runs the mapping, synthesis and D on tensors without tfjs-layers' executor (the same layers' call()). */
  private readonly graphs = new GraphRunner();

  constructor(options: Partial<StyleGAN2Options> = {}) {
    const parsed = StyleGAN2OptionsSchema.safeParse(options);
    if (!parsed.success)
      throw new Error(
        `stylegan2: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ')}`,
      );
    const o = parsed.data;
    if (!isPow2(o.resolution))
      throw new Error(`stylegan2: resolution must be a power of two from 8 to 256, got ${o.resolution}`);
    this.options = o;
    this.latentDim = o.latentDim;
    this.numClasses = o.numClasses;
    this.outputShape = [o.resolution, o.resolution, o.channels];
    const levels = Math.log2(o.resolution);
    this.numWs = 2 * levels - 2;
    this.noiseSides = [4];
    for (let r = 8; r <= o.resolution; r *= 2) this.noiseSides.push(r, r);
    this.wAvg = new Float32Array(o.wDim);
    this.ada = o.ada
      ? new AdaController({
          target: o.adaTarget,
          interval: o.adaInterval,
          kimg: o.adaKimg,
          p: o.adaP,
          groups: o.adaGroups,
        })
      : null;
    this.networks = { G: this.buildNetwork('G'), D: this.buildNetwork('D') };
  }

  /** Channels at resolution r. */
  channelsAt(r: number): number {
    return Math.min(Math.floor(this.options.channelBase / r), this.options.channelMax);
  }

  buildNetwork(name: string): tfl.LayersModel {
    if (name === 'G') return this.buildGenerator();
    if (name === 'D') return this.buildDiscriminator();
    throw new Error(`stylegan2: no network '${name}' (it has G and D)`);
  }

  private buildMapping(): tfl.LayersModel {
    const o = this.options;
    const zIn = tfl.input({ shape: [o.latentDim], name: 'z' });
    let h = ap(new PixelNorm({}), zIn); // [N, Z]
    const inputs = [zIn];
    if (o.numClasses > 0) {
      const label = tfl.input({ shape: [1], name: 'label' });
      inputs.push(label);
      let e = ap(tfl.layers.embedding({ inputDim: o.numClasses, outputDim: o.wDim }), label); // [N, 1, Wd]
      e = ap(new PixelNorm({}), ap(tfl.layers.flatten(), e)); // [N, Wd]
      h = ap(tfl.layers.concatenate(), [h, e]); // [N, Z + Wd]
    }
    for (let i = 0; i < o.mappingLayers; i++)
      h = ap(new EqDense({ units: o.wDim, lrMul: o.mappingLrMul, activation: 'lrelu' }), h); // [N, Wd]
    return tfl.model({ inputs, outputs: h, name: 'mapping' });
  }

  private buildSynthesis(): tfl.LayersModel {
    const o = this.options;
    const ws = Array.from({ length: this.numWs }, (_, i) => tfl.input({ shape: [o.wDim], name: `w${i}` }));
    const noises = this.noiseSides.map((s, i) => tfl.input({ shape: [s, s, 1], name: `noise${i}` }));
    const rgb = (x: tfl.SymbolicTensor, w: tfl.SymbolicTensor) =>
      ap(new ModConv2D({ filters: o.channels, kernelSize: 1, demodulate: false, noise: false, activation: 'linear' }), [
        x,
        w,
      ]); // [N, r, r, C]
    let x = ap(new ConstInput({ channels: this.channelsAt(4), size: 4 }), ws[0]!); // [N, 4, 4, c4]
    x = ap(new ModConv2D({ filters: this.channelsAt(4), kernelSize: 3 }), [x, ws[0]!, noises[0]!]);
    let img = rgb(x, ws[1]!);
    let wi = 1;
    let ni = 1;
    for (let r = 8; r <= o.resolution; r *= 2) {
      const c = this.channelsAt(r);
      x = ap(new Resample2x({ direction: 'up' }), x); // [N, r, r, c_prev]
      x = ap(new ModConv2D({ filters: c, kernelSize: 3 }), [x, ws[wi++]!, noises[ni++]!]); // [N, r, r, c]
      x = ap(new ModConv2D({ filters: c, kernelSize: 3 }), [x, ws[wi++]!, noises[ni++]!]);
      img = ap(tfl.layers.add(), [ap(new Resample2x({ direction: 'up' }), img), rgb(x, ws[wi]!)]); // [N, r, r, C]
    }
    return tfl.model({ inputs: [...ws, ...noises], outputs: img, name: 'synthesis' });
  }

  private buildGenerator(): tfl.LayersModel {
    const o = this.options;
    const mapping = this.buildMapping();
    const synthesis = this.buildSynthesis();
    const zIn = tfl.input({ shape: [o.latentDim], name: 'z' });
    const inputs = [zIn];
    if (o.numClasses > 0) inputs.push(tfl.input({ shape: [1], name: 'label' }));
    // Fixed noise images (the reference's noise_mode 'const'): G takes z (and a label) only.
    const noises = this.noiseSides.map((s, i) => ap(new ConstNoise({ size: s, name: `const_noise${i}` }), zIn));
    const w = ap(mapping, inputs.length > 1 ? inputs : zIn); // [N, Wd]
    const img = ap(synthesis, [...Array.from({ length: this.numWs }, () => w), ...noises]); // [N, R, R, C]
    return tfl.model({ inputs, outputs: img, name: 'G' });
  }

  private buildDiscriminator(): tfl.LayersModel {
    const o = this.options;
    const xIn = tfl.input({ shape: this.outputShape, name: 'x' });
    let x = ap(new EqConv2D({ filters: this.channelsAt(o.resolution), kernelSize: 1, activation: 'lrelu' }), xIn);
    const half = Math.SQRT1_2;
    for (let r = o.resolution; r > 4; r /= 2) {
      const c0 = this.channelsAt(r);
      const c1 = this.channelsAt(r / 2);
      const skip = ap(
        new EqConv2D({ filters: c1, kernelSize: 1, useBias: false, gain: half }),
        ap(new Resample2x({ direction: 'down' }), x),
      ); // [N, r/2, r/2, c1]
      let y = ap(new EqConv2D({ filters: c0, kernelSize: 3, activation: 'lrelu' }), x); // [N, r, r, c0]
      y = ap(new Resample2x({ direction: 'down' }), y);
      y = ap(new EqConv2D({ filters: c1, kernelSize: 3, activation: 'lrelu', gain: half }), y); // [N, r/2, r/2, c1]
      x = ap(tfl.layers.add(), [skip, y]);
    }
    const c4 = this.channelsAt(4);
    x = ap(new MinibatchStd({ groupSize: o.mbstdGroup }), x); // [N, 4, 4, c4 + 1]
    x = ap(new EqConv2D({ filters: c4, kernelSize: 3, activation: 'lrelu' }), x); // [N, 4, 4, c4]
    let h = ap(tfl.layers.flatten(), x); // [N, 16 c4]
    h = ap(new EqDense({ units: c4, activation: 'lrelu' }), h); // [N, c4]
    if (o.numClasses > 0) {
      const label = tfl.input({ shape: [1], name: 'label' });
      const proj = ap(new EqDense({ units: c4 }), h); // [N, c4]
      let e = ap(tfl.layers.embedding({ inputDim: o.numClasses, outputDim: c4 }), label); // [N, 1, c4]
      e = ap(new PixelNorm({}), ap(tfl.layers.flatten(), e));
      const out = ap(tfl.layers.dot({ axes: 1 }), [proj, e]); // [N, 1]
      return tfl.model({ inputs: [xIn, label], outputs: out, name: 'D' });
    }
    const out = ap(new EqDense({ units: 1 }), h); // [N, 1]
    return tfl.model({ inputs: xIn, outputs: out, name: 'D' });
  }

  /** The mapping and synthesis models inside a generator network (default: the model's own G). */
  parts(generator?: tfl.LayersModel): StyleGenerator {
    const g = generator ?? this.networks.G;
    return {
      mapping: g.getLayer('mapping') as unknown as tfl.LayersModel,
      synthesis: g.getLayer('synthesis') as unknown as tfl.LayersModel,
    };
  }

  /** z [N, Z] (and labels [N]) -> w [N, Wd]; `psi` < 1 pulls w towards w_avg (truncation in W). */
  mapLatents(
    z: tf.Tensor2D,
    labels: tf.Tensor1D | null = null,
    opts: { generator?: tfl.LayersModel; psi?: number; training?: boolean } = {},
  ): tf.Tensor2D {
    const { mapping } = this.parts(opts.generator);
    let inputs: tf.Tensor | tf.Tensor[] = z;
    if (this.numClasses > 0) {
      if (!labels) throw new Error('stylegan2: a class-conditional model needs class labels to generate');
      if (labels.shape[0] !== z.shape[0])
        throw new Error(`generate: ${labels.shape[0]} labels for ${z.shape[0]} latents`);
      inputs = [z, tf.reshape(tf.cast(labels, 'float32'), [-1, 1])];
    }
    const w = this.applyNet(mapping, inputs, { training: opts.training ?? false }) as tf.Tensor2D; // [N, Wd]
    const psi = opts.psi ?? 1;
    return psi === 1 ? w : this.truncate(w, psi);
  }

  /** net.apply(x, kwargs) by the graph runner (the same layer calls, in the same order). */
  private applyNet(
    net: tfl.LayersModel,
    x: tf.Tensor | tf.Tensor[],
    kwargs: Record<string, unknown>,
  ): tf.Tensor | tf.Tensor[] {
    return this.graphs.apply(net, x, kwargs);
  }

  /** w_avg + psi (w - w_avg): w [N, Wd]. */
  truncate(w: tf.Tensor2D, psi: number): tf.Tensor2D {
    return tf.tidy(() => {
      const avg = tf.tensor2d(this.wAvg, [1, this.options.wDim]);
      return tf.add(avg, tf.mul(tf.sub(w, avg), psi)) as tf.Tensor2D;
    });
  }

  /** The noise inputs for a batch of n: fresh normals from `rng`, the generator's fixed noise images, or zeros. */
  noiseInputs(n: number, mode: 'random' | 'const' | 'none', rng?: Rng, generator?: tfl.LayersModel): tf.Tensor4D[] {
    const g = generator ?? this.networks.G;
    return this.noiseSides.map((s, i) => {
      if (mode === 'none') return tf.zeros([n, s, s, 1]);
      if (mode === 'random') {
        if (!rng) throw new Error('stylegan2: random noise needs the run RNG');
        return tf.tensor4d(rng.gaussians(n * s * s), [n, s, s, 1]); // the polar method: ~2x faster than normals()
      }
      const fixed = (g.getLayer(`const_noise${i}`) as unknown as ConstNoise).noise(); // [1, s, s, 1]
      return tf.mul(fixed, tf.ones([n, 1, 1, 1])) as tf.Tensor4D;
    });
  }

  /** Images from per-layer ws: a list of numWs tensors [N, Wd] (W+), or one w [N, Wd] for every layer. */
  synthesize(ws: tf.Tensor2D | tf.Tensor2D[], opts: SynthesisOptions & { training?: boolean } = {}): tf.Tensor4D {
    const list = Array.isArray(ws) ? ws : Array.from({ length: this.numWs }, () => ws);
    if (list.length !== this.numWs)
      throw new Error(`stylegan2: ${list.length} ws given, the synthesis takes ${this.numWs}`);
    const n = list[0]!.shape[0];
    const { synthesis } = this.parts(opts.generator);
    const noise = this.noiseInputs(n, opts.noise ?? 'const', opts.rng, opts.generator);
    return this.applyNet(synthesis, [...list, ...noise], { training: opts.training ?? false }) as tf.Tensor4D; // [N, R, R, C]
  }

  generate(z: tf.Tensor2D, labels?: tf.Tensor1D | null, opts: GenerateOptions = {}): tf.Tensor {
    return tf.tidy(() => this.synthesize(this.mapLatents(z, labels ?? null, opts), { generator: opts.generator }));
  }

  sampleLatent(n: number, rng: Rng, truncation = 0): tf.Tensor2D {
    return tf.tensor2d(rng.normals(n * this.latentDim, truncation), [n, this.latentDim]);
  }

  /**
   * A training batch of fakes: w from z, style mixing (with probability styleMixing, the layers from
   * a random cutoff on take the w of a second z), fresh noise. Returns the images and the ws.
   */
  trainingFakes(
    n: number,
    labels: tf.Tensor1D | null,
    rng: Rng,
  ): { images: tf.Tensor4D; ws: tf.Tensor2D[]; w: tf.Tensor2D } {
    const z1 = this.sampleLatent(n, rng); // [N, Z]
    if (!(this.options.styleMixing > 0 && rng.uniform() < this.options.styleMixing)) {
      const w = this.mapLatents(z1, labels, { training: true }); // [N, Wd]
      const ws = Array.from({ length: this.numWs }, () => w);
      return { images: this.synthesize(ws, { noise: 'random', rng, training: true }), ws, w };
    }
    const cutoff = 1 + Math.floor(rng.uniform() * (this.numWs - 1)); // in [1, numWs - 1]
    const z2 = this.sampleLatent(n, rng); // [N, Z]
    // Both latents through the mapping in one call: its layers act on each row alone.
    const both = tf.concat([z1, z2]); // [2N, Z]
    const twice = labels ? tf.concat([labels, labels]) : null; // [2N]
    const [w, w2] = tf.split(this.mapLatents(both, twice, { training: true }), 2) as [tf.Tensor2D, tf.Tensor2D]; // [N, Wd] each
    const ws = Array.from({ length: this.numWs }, (_, i) => (i < cutoff ? w : w2));
    const images = this.synthesize(ws, { noise: 'random', rng, training: true });
    return { images, ws, w };
  }

  /** D's logits [N, 1] on images (and labels for a conditional model). */
  discriminate(x: tf.Tensor, labels: tf.Tensor1D | null): tf.Tensor {
    const d = this.networks.D;
    if (this.numClasses > 0) {
      if (!labels) throw new Error('stylegan2: the conditional discriminator needs class labels');
      return this.applyNet(d, [x, tf.reshape(tf.cast(labels, 'float32'), [-1, 1])], { training: true }) as tf.Tensor;
    }
    return this.applyNet(d, x, { training: true }) as tf.Tensor;
  }

  private updateWAvg(w: tf.Tensor2D): void {
    const m = tf.tidy(() => tf.mean(w, 0).dataSync() as Float32Array); // [Wd]
    const b = this.options.wAvgBeta;
    for (let i = 0; i < m.length; i++) this.wAvg[i] = m[i]! + (this.wAvg[i]! - m[i]!) * b;
  }

  /** What D sees of x: the trainer's augmentation (DiffAugment or the identity), then ADA's when on. */
  private augmentFor(ctx: StepContext): (x: tf.Tensor) => tf.Tensor {
    const ada = this.ada;
    if (!ada) return ctx.augment;
    return (x) => ada.augment(ctx.augment(x) as tf.Tensor4D, ctx.rng); // [N, R, R, C]
  }

  phases(spec: LossSpec): LossPhase[] {
    const o = this.options;
    const phases: LossPhase[] = [
      {
        name: 'D',
        updates: ['D'],
        optimizer: 'D',
        loss: (ctx: StepContext) => {
          const augment = this.augmentFor(ctx);
          // No gradient reaches G in D's step: its forward is not recorded (torch.no_grad() in the reference).
          const fake = untaped(() => this.trainingFakes(ctx.batchSize, ctx.labels, ctx.rng).images); // [N, R, R, C]
          const dr = this.discriminate(augment(ctx.real), ctx.labels); // [N, 1]
          const df = this.discriminate(augment(fake), ctx.labels);
          const loss = discriminatorLoss(spec.loss, dr, df, { realTarget: spec.realTarget });
          const logs: Record<string, tf.Scalar> = { dReal: tf.mean(dr) as tf.Scalar, dFake: tf.mean(df) as tf.Scalar };
          if (this.ada) {
            this.ada.observeLogits(dr);
            logs.adaP = tf.scalar(this.ada.p);
            logs.adaRt = tf.scalar(this.ada.state.rt);
          }
          return { loss, logs };
        },
      },
    ];
    if (spec.r1Gamma > 0) {
      const every = Math.max(1, spec.r1Every);
      phases.push({
        name: 'R1',
        updates: ['D'],
        optimizer: 'D',
        every,
        loss: (ctx: StepContext) => {
          const augment = this.augmentFor(ctx);
          const r1 = r1Penalty((x) => this.discriminate(augment(x), ctx.labels), ctx.real, spec.r1Gamma);
          return { loss: tf.mul(r1, every) as tf.Scalar, logs: { r1 } };
        },
      });
    }
    phases.push({
      name: 'G',
      updates: ['G'],
      optimizer: 'G',
      loss: (ctx: StepContext) => {
        const { images, w } = this.trainingFakes(ctx.batchSize, ctx.labels, ctx.rng);
        this.updateWAvg(w);
        const df = this.discriminate(this.augmentFor(ctx)(images), ctx.labels);
        return { loss: generatorLoss(spec.loss, df) };
      },
    });
    if (o.plWeight > 0) {
      phases.push({
        name: 'PL',
        updates: ['G'],
        optimizer: 'G',
        every: o.plEvery,
        loss: (ctx: StepContext) => this.pathLengthLoss(ctx),
      });
    }
    return phases;
  }

  /** Path-length regularization: (|J_w^T y| - a)^2 with y ~ N(0, I)/sqrt(HW), a the running mean. */
  private pathLengthLoss(ctx: StepContext): { loss: tf.Scalar; logs: Record<string, tf.Scalar> } {
    ensureSecondOrderGradients();
    const o = this.options;
    const n = Math.max(1, Math.floor(ctx.batchSize / o.plBatchShrink));
    const labels = ctx.labels ? tf.slice(ctx.labels, [0], [n]) : null;
    const z = this.sampleLatent(n, ctx.rng);
    const w = this.mapLatents(z, labels, { training: true }); // [n, Wd]
    const ws = Array.from({ length: this.numWs }, () => tf.clone(w));
    const noise = this.noiseInputs(n, 'random', ctx.rng);
    const [r, , c] = this.outputShape as [number, number, number];
    const y = tf.div(tf.tensor4d(ctx.rng.normals(n * r * r * c), [n, r, r, c]), r); // [n, R, R, C] / sqrt(HW)
    const { synthesis } = this.parts();
    const grads = tf.grads((...wl: tf.Tensor[]) =>
      tf.sum(tf.mul(this.applyNet(synthesis, [...wl, ...noise], { training: true }) as tf.Tensor, y)),
    )(ws); // numWs x [n, Wd]
    const sq = tf.div(tf.addN(grads.map((g) => tf.sum(tf.square(g), 1))), this.numWs); // [n]
    const lengths = tf.sqrt(sq); // [n]
    const mean = tf.mean(lengths).dataSync()[0]!;
    this.plMean += (mean - this.plMean) * o.plDecay;
    const penalty = tf.mean(tf.square(tf.sub(lengths, this.plMean))) as tf.Scalar;
    return {
      loss: tf.mul(penalty, o.plWeight * o.plEvery) as tf.Scalar,
      logs: { plPenalty: penalty, plMean: tf.scalar(this.plMean) },
    };
  }

  getState(): ModelState {
    return {
      json: { plMean: this.plMean, ...(this.ada ? { ada: this.ada.getState() } : {}) },
      arrays: { w_avg: { shape: [this.options.wDim], data: Float32Array.from(this.wAvg) } },
    };
  }

  setState(state: ModelState): void {
    const a = state.arrays.w_avg;
    if (!a || a.data.length !== this.options.wDim)
      throw new Error(`stylegan2: the checkpoint has no w_avg of length ${this.options.wDim}`);
    this.wAvg = Float32Array.from(a.data);
    const json = state.json as { plMean?: number; ada?: AdaState } | null;
    this.plMean = json?.plMean ?? 0;
    if (this.ada && json?.ada) this.ada.setState(json.ada);
  }

  describe(): ModelDescription {
    return describeModel(this);
  }

  dispose(): void {
    disposeNetworks(this.networks);
  }
}

/** Whether a model is a StyleGAN2 (has a W space and w_avg). */
export function isStyleGAN2(model: GANModel): model is StyleGAN2 {
  return model instanceof StyleGAN2;
}

/** The model options from a run's config and its data (the data decides the image side and channels). */
export function styleganOptionsFor(config: TrainConfig, ds: Dataset | FieldDataset | null): Record<string, unknown> {
  const { family, init: _init, ...rest } = config.model;
  void _init;
  const opts: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) opts[k] = v;
  if (ds && ds.kind !== 'image')
    throw new Error(
      `the ${family} model trains on images; ${ds.name} is ${ds.kind === 'points' ? '2-D points' : 'not an image dataset'}`,
    );
  if (ds) {
    if (ds.height !== ds.width)
      throw new Error(`${family}: images must be square, ${ds.name} is ${ds.height}x${ds.width}`);
    if (!isPow2(ds.height))
      throw new Error(
        `${family}: the image side must be a power of two from 8 to 256, ${ds.name} is ${ds.height}x${ds.width} (set data.size${ds.name.startsWith('fashion-mnist') ? ' 32 to pad Fashion-MNIST' : ''})`,
      );
    if (opts.resolution != null && opts.resolution !== ds.height)
      throw new Error(
        `model.resolution ${String(opts.resolution)} does not match the data (${ds.height}x${ds.width}); set data.size to resize`,
      );
    opts.resolution ??= ds.height;
    opts.channels ??= ds.channels;
    if (opts.numClasses && ds.numClasses < 2)
      throw new Error(`${family}: model.numClasses needs labelled data; ${ds.name} has no class labels`);
    if (opts.numClasses && opts.numClasses !== ds.numClasses)
      throw new Error(
        `${family}: model.numClasses is ${String(opts.numClasses)}, ${ds.name} has ${ds.numClasses} classes`,
      );
  }
  return opts;
}
