// Vanilla GAN: Goodfellow, Pouget-Abadie, Mirza, Xu, Warde-Farley, Ozair, Courville & Bengio,
// "Generative Adversarial Nets", NeurIPS 2014. Multi-layer perceptrons for G and D, on 2-D toy data
// (ring8, grid25, spiral) or flattened images.
// Reference defaults (the toy-mixture setups of Metz et al. 2017 and PacGAN, Lin et al. 2018):
// 2 hidden layers of 128 units, ReLU in G, LeakyReLU(0.2) in D (the paper used maxout and dropout
// in D; plain rectifiers are what later toy benchmarks use), linear output for points, tanh for
// images, latent N(0, I) of size 64, Adam. The paper's minimax loss is the config's `minimax`.
// Option `pack` turns D into a PacGAN discriminator (Lin et al. 2018), which sees m samples
// concatenated and so can penalize a generator that drops modes. Options `hiddenD`, `depthD` and
// `maxoutPieces` give D the PacGAN/VEEGAN toy shape (3 hidden LinearMaxout layers of 200 units, 5 pieces).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { z } from 'zod';

import { batchNormalization } from '../nn/batch_norm.js';
import { Maxout } from '../nn/maxout.js';
import { SNDense } from '../nn/spectral_norm.js';
import { AdversarialGAN, resolveOptions, type DiscriminatorOutput } from './adversarial_base.js';

export interface VanillaGANOptions {
  /** Shape of one sample: [2] for points, [H, W, C] for images (flattened inside the MLPs). */
  dataShape: number[];
  /** Latent size. */
  latentDim: number;
  /** Units per hidden layer (G and D). */
  hidden: number;
  /** Hidden layers per network. */
  depth: number;
  /** G's output activation: 'linear' (points) or 'tanh' (images in [-1, 1]); 'auto' picks by dataShape. */
  outputActivation: 'auto' | 'linear' | 'tanh';
  /** Spectral normalization on D's dense layers. */
  spectralNorm: boolean;
  /** BatchNorm after G's hidden layers (as in the PacGAN toy generator). */
  batchNormG: boolean;
  /**
   * D multiplies its input by this before the first layer (1 = off). Toy mixtures with tiny modes
   * (ring8: sigma 0.01) need D features at that scale; a gain lets D resolve them in far fewer steps.
   */
  inputGain: number;
  /** PacGAN packing (Lin, Khetan, Fanti & Oh 2018): D judges `pack` samples at once (1 = off). */
  pack: number;
  /** D's units per hidden layer (0 = hidden). */
  hiddenD: number;
  /** D's hidden layers (0 = depth). */
  depthD: number;
  /** D's hidden units: maxout of this many linear pieces (1 = dense + LeakyReLU(0.2)). */
  maxoutPieces: number;
  /** With packing: D's first layer sees each sample of a pack on its own (shared weights), the later layers the pack. */
  packPerSample: boolean;
}

/** The vanilla family's own options (the shared ones, hidden, depth, pack..., are in the config's model schema). */
export const VanillaOptionsSchema = z.object({
  /** D's units per hidden layer (0 = the shared `hidden`; PacGAN's toy D: 200). */
  hiddenD: z.number().int().nonnegative().default(0),
  /** D's hidden layers (0 = the shared `depth`; PacGAN's toy D: 3). */
  depthD: z.number().int().nonnegative().default(0),
  /** Maxout pieces per D unit (1 = LeakyReLU(0.2) units; PacGAN's toy D: 5). */
  maxoutPieces: z.number().int().min(1).default(1),
  /**
   * With pack > 1: D's first layer applies the same weights to each sample of the pack, the later
   * layers see the pack's features side by side (false: the paper's fully connected first layer).
   */
  packPerSample: z.boolean().default(false),
});

export const VANILLA_GAN_DEFAULTS: VanillaGANOptions = {
  dataShape: [2],
  latentDim: 64,
  hidden: 128,
  depth: 2,
  outputActivation: 'auto',
  spectralNorm: false,
  batchNormG: false,
  inputGain: 1,
  pack: 1,
  hiddenD: 0,
  depthD: 0,
  maxoutPieces: 1,
  packPerSample: false,
};

export class VanillaGAN extends AdversarialGAN {
  readonly family = 'vanilla';
  readonly paper = 'Goodfellow et al. 2014, Generative Adversarial Nets';
  readonly options: Record<string, unknown>;
  readonly opts: VanillaGANOptions;
  readonly latentDim: number;
  readonly numClasses = 0;
  readonly outputShape: number[];

  constructor(options: Partial<VanillaGANOptions> = {}) {
    super();
    this.opts = resolveOptions('vanilla', VANILLA_GAN_DEFAULTS, options);
    if (this.opts.depth < 1 || this.opts.hidden < 1) throw new Error('vanilla: depth and hidden must be >= 1');
    if (!(Number.isInteger(this.opts.pack) && this.opts.pack >= 1))
      throw new Error(`vanilla: pack must be an integer >= 1, got ${this.opts.pack}`);
    this.options = { ...this.opts };
    this.latentDim = this.opts.latentDim;
    this.outputShape = [...this.opts.dataShape];
    this.init();
  }

  private get outDim(): number {
    return this.opts.dataShape.reduce((a, b) => a * b, 1);
  }

  buildNetwork(name: string): tfl.LayersModel {
    const o = this.opts;
    if (name === 'G') {
      const z = tfl.input({ shape: [o.latentDim], name: 'z' });
      let h: tfl.SymbolicTensor = z;
      for (let i = 0; i < o.depth; i++) {
        h = tfl.layers.dense({ units: o.hidden, useBias: !o.batchNormG }).apply(h) as tfl.SymbolicTensor; // [N, hidden]
        if (o.batchNormG) h = batchNormalization({ momentum: 0.9 }).apply(h) as tfl.SymbolicTensor;
        h = tfl.layers.reLU().apply(h) as tfl.SymbolicTensor;
      }
      const act = o.outputActivation === 'auto' ? (o.dataShape.length === 1 ? 'linear' : 'tanh') : o.outputActivation;
      let out = tfl.layers.dense({ units: this.outDim, activation: act }).apply(h) as tfl.SymbolicTensor; // [N, D]
      if (o.dataShape.length > 1)
        out = tfl.layers.reshape({ targetShape: o.dataShape }).apply(out) as tfl.SymbolicTensor;
      return tfl.model({ inputs: z, outputs: out, name: 'G' });
    }
    if (name === 'D') {
      // With packing, D's input is `pack` flattened samples side by side: [N/pack, pack * D].
      const x = tfl.input({ shape: o.pack > 1 ? [o.pack * this.outDim] : o.dataShape, name: 'x' });
      let h: tfl.SymbolicTensor =
        o.dataShape.length > 1 && o.pack === 1 ? (tfl.layers.flatten().apply(x) as tfl.SymbolicTensor) : x;
      if (o.inputGain !== 1) h = tfl.layers.rescaling({ scale: o.inputGain }).apply(h) as tfl.SymbolicTensor;
      const dense = (units: number) => (o.spectralNorm ? new SNDense({ units }) : tfl.layers.dense({ units }));
      const k = o.maxoutPieces;
      const units = o.hiddenD || o.hidden;
      const perSample = o.pack > 1 && o.packPerSample;
      if (perSample) h = tfl.layers.reshape({ targetShape: [o.pack, this.outDim] }).apply(h) as tfl.SymbolicTensor; // [N/pack, pack, D]
      for (let i = 0; i < (o.depthD || o.depth); i++) {
        h = dense(units * k).apply(h) as tfl.SymbolicTensor; // [N, hiddenD * k] ([N/pack, pack, hiddenD * k] per sample)
        h = (k > 1 ? new Maxout({ pieces: k }) : tfl.layers.leakyReLU({ alpha: 0.2 })).apply(h) as tfl.SymbolicTensor; // [N, hiddenD]
        if (perSample && i === 0)
          h = tfl.layers.reshape({ targetShape: [o.pack * units] }).apply(h) as tfl.SymbolicTensor; // [N/pack, pack * hiddenD]
      }
      const logit = dense(1).apply(h) as tfl.SymbolicTensor; // [N, 1]
      return tfl.model({ inputs: x, outputs: logit, name: 'D' });
    }
    throw new Error(`vanilla: no network '${name}' (it has G and D)`);
  }

  override discriminate(x: tf.Tensor, labels: tf.Tensor1D | null, training: boolean): DiscriminatorOutput {
    const p = this.opts.pack;
    if (p === 1) return super.discriminate(x, labels, training);
    const n = x.shape[0];
    if (n % p !== 0) throw new Error(`vanilla: batch size ${n} is not a multiple of pack ${p}`);
    const packed = tf.reshape(x, [n / p, p * this.outDim]); // [N/pack, pack*D]
    return { logits: this.networks.D.apply(packed, { training }) as tf.Tensor };
  }
}
