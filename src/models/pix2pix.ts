// pix2pix: Isola, Zhu, Zhou & Efros, "Image-to-Image Translation with Conditional Adversarial
// Networks", CVPR 2017.
// G: a U-Net. The encoder halves the image with 4x4 stride-2 convolutions (LeakyReLU 0.2, norm on
// all but the first and the innermost) down to 1x1; the decoder doubles it back with 4x4 stride-2
// transposed convolutions (ReLU, norm), each concatenated with the encoder map of the same size
// (the skips); dropout 0.5 in the decoder's innermost blocks; tanh output.
// D: a conditional PatchGAN: the input image and a (real or generated) output, concatenated along
// channels, go through 4x4 convolutions (stride 2, then 1) to a map of per-patch logits.
// Loss: D minimizes 0.5 * [BCE(D(x, y), 1) + BCE(D(x, G(x)), 0)]; G minimizes BCE(D(x, G(x)), 1)
// + lambda * |G(x) - y|_1 with lambda = 100.
// Reference defaults (256x256): widths 64 (ngf, ndf) growing x2 to at most 512, 8 downsamplings,
// 3 PatchGAN layers (70x70 receptive field), batch norm, dropout in the 3 innermost decoder blocks,
// Adam lr 2e-4, beta1 0.5, batch 1, N(0, 0.02) init.
// One step: G's update on a batch, then D's on the same batch and the fakes G made (the reference
// updates D first; this order, CycleGAN's, computes the fakes once per step).
// tsgan's differences, for small images on a CPU: the depth follows the image (log2 of its side, so
// 64x64 has 6 downsamplings), the PatchGAN has 2 layers at 64 (34x34 field) and 1 below (16x16),
// instance norm is the default (the reference's batch norm at batch 1 is instance norm at training
// but moving averages at inference), and dropout is off at inference: the same input always gives
// the same output, in Node and in an exported page alike (the paper also kept it on at test time).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { z } from 'zod';

import { bceWithLogits } from '../losses/adversarial.js';
import { batchNormalization } from '../nn/batch_norm.js';
import { InstanceNorm } from '../nn/instance_norm.js';
import { SeededDropout } from '../nn/seeded_dropout.js';
import { TranslationModel } from './translation_base.js';
import type { GANModel, LossPhase, LossSpec, Networks, StepContext } from './types.js';
import { applyLayer as apply, parseModelOptions } from './model_options.js';

export const Pix2PixOptionsSchema = z
  .object({
    /** Image side (square, a power of two from 8 to 256). */
    resolution: z.number().int().default(64),
    /** Channels of the input image (1 grayscale, 3 RGB). */
    inputChannels: z.number().int().min(1).max(4).default(3),
    /** Channels of the output image. */
    outputChannels: z.number().int().min(1).max(4).default(3),
    /** G's first width (ngf); doubles per level up to 8x. */
    widthG: z.number().int().min(1).default(64),
    /** D's first width (ndf); doubles per layer up to 8x. */
    widthD: z.number().int().min(1).default(64),
    /** Strided PatchGAN layers (0: per-resolution default: 3 at >= 128, 2 at 64, 1 below). */
    dLayers: z.number().int().min(0).max(5).default(0),
    /** Normalization in G and D. */
    norm: z.enum(['instance', 'batch']).default('instance'),
    /** Decoder blocks (innermost first) with dropout 0.5 during training. */
    dropoutBlocks: z.number().int().min(0).default(3),
    /** Weight of the L1 term in G's loss (lambda). */
    l1Weight: z.number().min(0).default(100),
    /** Train G with the L1 term only (no D, no adversarial loss): the baseline pix2pix is compared with. */
    l1Only: z.boolean().default(false),
  })
  .strict();
export type Pix2PixOptions = z.infer<typeof Pix2PixOptionsSchema>;

const isPow2 = (n: number) => n >= 8 && n <= 256 && (n & (n - 1)) === 0;

function norm(kind: Pix2PixOptions['norm']): tfl.layers.Layer {
  return kind === 'batch' ? batchNormalization({ momentum: 0.9 }) : new InstanceNorm();
}

export class Pix2Pix extends TranslationModel implements GANModel {
  readonly family = 'pix2pix';
  readonly paper = 'Isola et al. 2017, Image-to-Image Translation with Conditional Adversarial Networks';
  readonly options: Pix2PixOptions;
  readonly networks: Networks;
  readonly generatorName = 'G';
  readonly outputShape: number[];
  readonly inputShape: number[];
  /** The batch fields the phases read: a paired dataset's input and target images. */
  readonly batchFields = ['input', 'target'];
  /** Image sides inference pads to (the U-Net halves the image log2(resolution) times). */
  readonly sizeMultiple: number;

  constructor(options: Partial<Pix2PixOptions> = {}) {
    super();
    const o = parseModelOptions('pix2pix', Pix2PixOptionsSchema, options);
    if (!isPow2(o.resolution))
      throw new Error(`pix2pix: resolution must be a power of two from 8 to 256, got ${o.resolution}`);
    if (o.dLayers === 0) o.dLayers = o.resolution >= 128 ? 3 : o.resolution >= 64 ? 2 : 1;
    this.options = o;
    this.sizeMultiple = o.resolution;
    this.inputShape = [o.resolution, o.resolution, o.inputChannels];
    this.outputShape = [o.resolution, o.resolution, o.outputChannels];
    this.networks = { G: this.buildNetwork('G') };
    if (!o.l1Only) this.networks.D = this.buildNetwork('D');
  }

  buildNetwork(name: string): tfl.LayersModel {
    if (name === 'G') return this.buildGenerator();
    if (name === 'D') return this.buildDiscriminator();
    throw new Error(`pix2pix has networks G and D, not '${name}'`);
  }

  /** A generator with the trained one's layers for images of any size (a multiple of sizeMultiple). */
  generatorForAnySize(name: string): tfl.LayersModel {
    if (name !== 'G') throw new Error(`pix2pix's generator is G, not '${name}'`);
    return this.buildGenerator(true);
  }

  private buildGenerator(anySize = false): tfl.LayersModel {
    const o = this.options;
    const levels = Math.log2(o.resolution); // downsamplings to 1x1
    const width = (i: number) => o.widthG * Math.min(2 ** i, 8);
    const x = tfl.input({ shape: anySize ? [null, null, o.inputChannels] : this.inputShape }); // [N, S, S, Cin]
    const skips: tfl.SymbolicTensor[] = [];
    let h = x;
    for (let i = 0; i < levels; i++) {
      if (i > 0) h = apply(tfl.layers.leakyReLU({ alpha: 0.2 }), h);
      const innermost = i === levels - 1;
      h = apply(
        tfl.layers.conv2d({
          filters: width(i),
          kernelSize: 4,
          strides: 2,
          padding: 'same',
          useBias: i === 0 || innermost,
        }),
        h,
      ); // [N, S/2^(i+1), S/2^(i+1), width(i)]
      if (i > 0 && !innermost) h = apply(norm(o.norm), h);
      skips.push(h);
    }
    // Decoder: level i upsamples to the size of skips[i - 1] and joins it.
    for (let i = levels - 1; i >= 1; i--) {
      h = apply(tfl.layers.reLU(), h);
      h = apply(
        tfl.layers.conv2dTranspose({
          filters: width(i - 1),
          kernelSize: 4,
          strides: 2,
          padding: 'same',
          useBias: false,
        }),
        h,
      ); // [N, S/2^i, S/2^i, width(i-1)]
      h = apply(norm(o.norm), h);
      // As the reference: the blocks just outside the innermost one get dropout (it is active in training only).
      const fromInnermost = levels - 1 - i;
      if (fromInnermost >= 1 && fromInnermost <= o.dropoutBlocks) h = apply(new SeededDropout({ rate: 0.5 }), h);
      h = apply(tfl.layers.concatenate({ axis: -1 }), [h, skips[i - 1]!]); // [N, S/2^i, S/2^i, 2*width(i-1)]
    }
    h = apply(tfl.layers.reLU(), h);
    const y = apply(
      tfl.layers.conv2dTranspose({
        filters: o.outputChannels,
        kernelSize: 4,
        strides: 2,
        padding: 'same',
        activation: 'tanh',
      }),
      h,
    ); // [N, S, S, Cout] in [-1, 1]
    return tfl.model({ inputs: x, outputs: y, name: 'pix2pix_G' });
  }

  private buildDiscriminator(): tfl.LayersModel {
    const o = this.options;
    const x = tfl.input({ shape: this.inputShape }); // [N, S, S, Cin]
    const y = tfl.input({ shape: this.outputShape }); // [N, S, S, Cout]
    let h = apply(tfl.layers.concatenate({ axis: -1 }), [x, y]); // [N, S, S, Cin + Cout]
    const width = (i: number) => o.widthD * Math.min(2 ** i, 8);
    for (let i = 0; i < o.dLayers; i++) {
      h = apply(
        tfl.layers.conv2d({ filters: width(i), kernelSize: 4, strides: 2, padding: 'same', useBias: i === 0 }),
        h,
      );
      if (i > 0) h = apply(norm(o.norm), h);
      h = apply(tfl.layers.leakyReLU({ alpha: 0.2 }), h);
    }
    h = apply(
      tfl.layers.conv2d({ filters: width(o.dLayers), kernelSize: 4, strides: 1, padding: 'same', useBias: false }),
      h,
    );
    h = apply(norm(o.norm), h);
    h = apply(tfl.layers.leakyReLU({ alpha: 0.2 }), h);
    const logits = apply(tfl.layers.conv2d({ filters: 1, kernelSize: 4, strides: 1, padding: 'same' }), h); // [N, P, P, 1]
    return tfl.model({ inputs: [x, y], outputs: logits, name: 'pix2pix_D' });
  }

  /** Translates input images [N, S, S, Cin] in [-1, 1] to [N, S, S, Cout]; `training` turns dropout and batch statistics on. */
  translate(x: tf.Tensor4D, opts: { training?: boolean; generator?: tfl.LayersModel } = {}): tf.Tensor4D {
    const g = opts.generator ?? this.networks.G!;
    return g.apply(x, { training: opts.training ?? false }) as tf.Tensor4D;
  }

  phases(_spec: LossSpec): LossPhase[] {
    const o = this.options;
    const G = this.networks.G!;
    const reads = ['input', 'target'];
    const field = (ctx: StepContext, name: string) => {
      const t = ctx.batch?.[name];
      if (!t) throw new Error(`pix2pix reads the batch field '${name}'; the dataset does not provide it`);
      return t as tf.Tensor4D;
    };
    const l1 = (a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.abs(tf.sub(a, b))) as tf.Scalar;
    if (o.l1Only)
      return [
        {
          name: 'G',
          updates: ['G'],
          optimizer: 'G',
          reads,
          loss: (ctx) => {
            const fake = G.apply(field(ctx, 'input'), { training: true }) as tf.Tensor;
            const rec = l1(fake, field(ctx, 'target'));
            return { loss: rec, logs: { L1: rec } };
          },
        },
      ];
    const D = this.networks.D!;
    return [
      {
        name: 'G',
        updates: ['G'],
        optimizer: 'G',
        reads,
        batch: 'step',
        loss: (ctx) => {
          const x = field(ctx, 'input'); // [N, S, S, Cin]
          const fake = G.apply(x, { training: true }) as tf.Tensor; // [N, S, S, Cout]
          const adv = bceWithLogits(D.apply([x, fake], { training: true }) as tf.Tensor, 1);
          const rec = l1(fake, field(ctx, 'target'));
          ctx.stepCache.fake = tf.keep(fake); // D's phase of this step judges the same fakes (a constant there)
          return { loss: tf.add(adv, tf.mul(o.l1Weight, rec)) as tf.Scalar, logs: { G_adv: adv, L1: rec } };
        },
      },
      {
        name: 'D',
        updates: ['D'],
        optimizer: 'D',
        reads,
        batch: 'step',
        loss: (ctx) => {
          const x = field(ctx, 'input');
          const fake = ctx.stepCache.fake;
          if (!fake) throw new Error('pix2pix: the G phase must run before the D phase');
          const real = D.apply([x, field(ctx, 'target')], { training: true }) as tf.Tensor; // [N, P, P, 1]
          const fakeLogits = D.apply([x, fake], { training: true }) as tf.Tensor;
          const loss = tf.mul(0.5, tf.add(bceWithLogits(real, 1), bceWithLogits(fakeLogits, 0))) as tf.Scalar;
          return { loss, logs: { dReal: tf.mean(tf.sigmoid(real)), dFake: tf.mean(tf.sigmoid(fakeLogits)) } };
        },
      },
    ];
  }
}
