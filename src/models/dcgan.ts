// DCGAN: Radford, Metz & Chintala, "Unsupervised Representation Learning with Deep Convolutional
// Generative Adversarial Networks", ICLR 2016 (arXiv 2015).
// G: dense projection of z to a small feature map, then stride-2 4x4 transposed convolutions with
// BatchNorm + ReLU, tanh output. D: stride-2 4x4 convolutions with LeakyReLU(0.2), then a dense
// logit. Reference defaults: latent 100, N(0, 0.02) init, Adam lr 2e-4, beta1 0.5, batch 64.
// Resolutions: 28 (7 -> 14 -> 28), 32 (4 -> 8 -> 16 -> 32), 64 (4 -> 8 -> 16 -> 32 -> 64).
// At 28 with width 64 and the defaults below, the networks are exactly the `dcgan28` benchmark's
// (src/bench/dcgan28.ts): no BatchNorm on the dense layer nor in D (options turn them on).
// Option `infoCategories` (K > 0): InfoGAN's categorical code (Chen et al. 2016, "InfoGAN:
// Interpretable Representation Learning by Information Maximizing GANs"; reference: one 10-way code,
// lambda 1, Q sharing D's trunk). The code is read from the latent itself, c = one-hot(argmax z[:K])
// (uniform over K since the components are iid), by fixed layers inside G, so sampling, export and
// the browser use a plain N(0, I) latent; D gets a second head Q with K logits, and G and D both
// minimize Q's cross-entropy on the code of their fakes (the mutual-information lower bound).
import * as tfl from '@tensorflow/tfjs-layers';

import { batchNormalization } from '../nn/batch_norm.js';
import { infoCodeInput } from '../nn/info_code.js';
import { SNConv2D, SNDense } from '../nn/spectral_norm.js';
import { AdversarialGAN, resolveOptions } from './adversarial_base.js';

export interface DCGANOptions {
  /** Image side: 28, 32 or 64. */
  resolution: 28 | 32 | 64;
  /** Image channels: 1 (grayscale) or 3 (RGB). */
  channels: number;
  /** Base width: channels of the last hidden G layer and first D layer (the paper used 128 at 64x64). */
  width: number;
  /** G's base width when it differs from D's (0: width; resolved by resolveDcganWidths). */
  widthG: number;
  /** D's base width when it differs from G's (0: width). */
  widthD: number;
  /** Latent size. */
  latentDim: number;
  /** BatchNorm after G's transposed convolutions. */
  batchNormG: boolean;
  /** BatchNorm after G's dense projection too. */
  batchNormDense: boolean;
  /** BatchNorm in D's hidden convolutions (not with spectral norm). */
  batchNormD: boolean;
  /** Spectral normalization on all of D's layers (Miyato et al. 2018). */
  spectralNorm: boolean;
  /** InfoGAN categorical code: K categories from the first K latent components (0 = off). */
  infoCategories: number;
  /** G's last upsampling makes this many channels (BatchNorm, ReLU) and a 3x3 convolution maps them to the image (0 = off: the upsampling makes the image). */
  refineWidth: number;
}

export const DCGAN_DEFAULTS: DCGANOptions = {
  resolution: 28,
  channels: 1,
  width: 64,
  widthG: 0,
  widthD: 0,
  latentDim: 100,
  batchNormG: true,
  batchNormDense: false,
  batchNormD: false,
  spectralNorm: false,
  infoCategories: 0,
  refineWidth: 0,
};

/** Start side and number of 2x upsamplings for a resolution. */
export function dcganLayout(resolution: number): { base: number; ups: number } {
  if (resolution === 28) return { base: 7, ups: 2 };
  if (resolution === 32) return { base: 4, ups: 3 };
  if (resolution === 64) return { base: 4, ups: 4 };
  throw new Error(`dcgan: resolution must be 28, 32 or 64, got ${resolution}`);
}

/** Checks the widths (refineWidth too) and fills widthG/widthD from width when unset (0); for DCGAN and cGAN alike. */
export function resolveDcganWidths(family: string, o: DCGANOptions): void {
  for (const k of ['width', 'widthG', 'widthD'] as const) {
    const v = o[k];
    if (!Number.isInteger(v) || v < (k === 'width' ? 1 : 0))
      throw new Error(`${family}: ${k} must be a positive integer, got ${v}`);
  }
  if (!Number.isInteger(o.refineWidth) || o.refineWidth < 0)
    throw new Error(`${family}: refineWidth must be a non-negative integer, got ${o.refineWidth}`);
  o.widthG ||= o.width;
  o.widthD ||= o.width;
}

/** Builds a DCGAN-style generator body from a [N, Z] input (shared with the conditional GAN). */
export function dcganGenerator(h0: tfl.SymbolicTensor, o: DCGANOptions): tfl.SymbolicTensor {
  const { base, ups } = dcganLayout(o.resolution);
  const c0 = o.widthG * 2 ** (ups - 1);
  let h = tfl.layers.dense({ units: base * base * c0, useBias: !o.batchNormDense }).apply(h0) as tfl.SymbolicTensor; // [N, base*base*c0]
  if (o.batchNormDense) h = batchNormalization({ momentum: 0.9 }).apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.reLU().apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.reshape({ targetShape: [base, base, c0] }).apply(h) as tfl.SymbolicTensor; // [N, base, base, c0]
  for (let i = 1; i < ups; i++) {
    const c = o.widthG * 2 ** (ups - 1 - i);
    h = tfl.layers
      .conv2dTranspose({ filters: c, kernelSize: 4, strides: 2, padding: 'same', useBias: !o.batchNormG })
      .apply(h) as tfl.SymbolicTensor;
    if (o.batchNormG) h = batchNormalization({ momentum: 0.9 }).apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.reLU().apply(h) as tfl.SymbolicTensor;
  }
  if (o.refineWidth > 0) {
    h = tfl.layers
      .conv2dTranspose({ filters: o.refineWidth, kernelSize: 4, strides: 2, padding: 'same', useBias: !o.batchNormG })
      .apply(h) as tfl.SymbolicTensor; // [N, res, res, R]
    if (o.batchNormG) h = batchNormalization({ momentum: 0.9 }).apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.reLU().apply(h) as tfl.SymbolicTensor;
    // [N, res, res, C] in [-1, 1]
    return tfl.layers
      .conv2d({ filters: o.channels, kernelSize: 3, padding: 'same', activation: 'tanh' })
      .apply(h) as tfl.SymbolicTensor;
  }
  // [N, res, res, C] in [-1, 1]
  return tfl.layers
    .conv2dTranspose({ filters: o.channels, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh' })
    .apply(h) as tfl.SymbolicTensor;
}

/** Builds a DCGAN-style discriminator trunk: image [N, res, res, C] -> features [N, F] (flattened). */
export function dcganDiscriminatorTrunk(x: tfl.SymbolicTensor, o: DCGANOptions): tfl.SymbolicTensor {
  const { ups } = dcganLayout(o.resolution);
  let h = x;
  for (let i = 0; i < ups; i++) {
    const c = o.widthD * 2 ** i;
    const bn = o.batchNormD && !o.spectralNorm && i > 0;
    h = (
      o.spectralNorm
        ? new SNConv2D({ filters: c, kernelSize: 4, strides: 2, padding: 'same' })
        : tfl.layers.conv2d({ filters: c, kernelSize: 4, strides: 2, padding: 'same', useBias: !bn })
    ).apply(h) as tfl.SymbolicTensor;
    if (bn) h = batchNormalization({ momentum: 0.9 }).apply(h) as tfl.SymbolicTensor;
    h = tfl.layers.leakyReLU({ alpha: 0.2 }).apply(h) as tfl.SymbolicTensor;
  }
  return tfl.layers.flatten().apply(h) as tfl.SymbolicTensor; // [N, F]
}

/** A dense layer, spectrally normalized or not. */
export function denseLayer(units: number, spectralNorm: boolean, useBias = true): tfl.layers.Layer {
  return spectralNorm ? new SNDense({ units, useBias }) : tfl.layers.dense({ units, useBias });
}

export class DCGAN extends AdversarialGAN {
  readonly family = 'dcgan';
  readonly paper = 'Radford, Metz & Chintala 2015, Deep Convolutional GANs';
  readonly options: Record<string, unknown>;
  readonly opts: DCGANOptions;
  readonly latentDim: number;
  readonly numClasses = 0;
  readonly outputShape: number[];

  override get infoCategories(): number {
    return this.opts.infoCategories;
  }

  constructor(options: Partial<DCGANOptions> = {}) {
    super();
    this.opts = resolveOptions('dcgan', DCGAN_DEFAULTS, options);
    dcganLayout(this.opts.resolution);
    resolveDcganWidths('dcgan', this.opts);
    this.options = { ...this.opts };
    this.latentDim = this.opts.latentDim;
    this.outputShape = [this.opts.resolution, this.opts.resolution, this.opts.channels];
    this.init();
  }

  buildNetwork(name: string): tfl.LayersModel {
    const o = this.opts;
    if (name === 'G') {
      const z = tfl.input({ shape: [o.latentDim], name: 'z' });
      const h = o.infoCategories > 0 ? infoCodeInput(z, o.latentDim, o.infoCategories) : z; // [N, Z(+K)]
      return tfl.model({ inputs: z, outputs: dcganGenerator(h, o), name: 'G' });
    }
    if (name === 'D') {
      const x = tfl.input({ shape: this.outputShape, name: 'x' });
      const phi = dcganDiscriminatorTrunk(x, o); // [N, F]
      const logit = denseLayer(1, o.spectralNorm).apply(phi) as tfl.SymbolicTensor; // [N, 1]
      if (o.infoCategories > 0) {
        const q = denseLayer(o.infoCategories, o.spectralNorm).apply(phi) as tfl.SymbolicTensor; // [N, K]: InfoGAN's Q head
        return tfl.model({ inputs: x, outputs: [logit, q], name: 'D' });
      }
      return tfl.model({ inputs: x, outputs: logit, name: 'D' });
    }
    throw new Error(`dcgan: no network '${name}' (it has G and D)`);
  }
}
