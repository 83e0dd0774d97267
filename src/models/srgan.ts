// Super-resolution: SRResNet and SRGAN (Ledig et al., "Photo-Realistic Single Image Super-Resolution
// Using a Generative Adversarial Network", CVPR 2017), with ESRGAN's generator and discriminator as
// options (Wang et al., "ESRGAN: Enhanced Super-Resolution Generative Adversarial Networks", ECCV
// Workshops 2018).
// G (SRResNet): conv 9x9 (64) + PReLU; B residual blocks [conv 3x3, BN, PReLU, conv 3x3, BN, + skip];
// conv 3x3 + BN + the long skip from the head; log2(scale) upsampling stages [conv 3x3 (256),
// pixel shuffle x2, PReLU]; conv 9x9 to the image channels (linear output; values in [-1, 1]).
// G (ESRGAN, arch 'rrdb'): the same head, tail and upsampling without BN; the trunk is B residual-in-
// residual dense blocks (3 dense blocks of 5 convs, growth 32, LeakyReLU 0.2, residuals scaled 0.2).
// D (SRGAN): conv 3x3 (64) LReLU; 2x4 convs 3x3 (64, 64 s2, 128, 128 s2, 256, 256 s2, 512, 512 s2)
// with BN and LeakyReLU 0.2; dense 1024, LeakyReLU, dense 1 (a logit).
// Losses: SRResNet mode (adversarial off) trains G on the content loss only, no D phase. SRGAN mode:
// G minimizes content + advWeight * BCE(D(G(x)), 1) (advWeight 1e-3), D the usual BCE; ESRGAN's
// relativistic average D (relativistic: true) scores D(real) - mean D(fake) and vice versa.
// Reference defaults: 16 blocks, 64 channels, PReLU, BN, x4 (two x2 pixel-shuffle stages), 96x96
// high-resolution crops (24x24 inputs), Adam lr 1e-4, beta1 0.9, batch 16, adversarial weight 1e-3.
// tsgan's differences: the content loss is L1 on pixels (ESRGAN's choice; SRGAN's paper used MSE,
// then VGG54) plus, with featureWeight > 0, the squared distance of the project's own classifier
// features (src/metrics/classifier_features.ts) where no VGG weights are available; small presets
// narrow D (the paper's D has 8M weights in its dense layer at 64x64).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { z } from 'zod';

import { bceWithLogits } from '../losses/adversarial.js';
import { buildFeatureNet, featureDistance } from '../metrics/classifier_features.js';
import { batchNormalization } from '../nn/batch_norm.js';
import { PixelShuffle } from '../nn/pixel_shuffle.js';
import { TranslationModel } from './translation_base.js';
import type { GANModel, LossPhase, LossSpec, Networks, StepContext } from './types.js';
import { applyLayer as apply, parseModelOptions } from './model_options.js';

export const SRGANOptionsSchema = z
  .object({
    /** Upscale factor: 2 (one pixel-shuffle stage) or 4 (two). */
    scale: z.union([z.literal(2), z.literal(4)]).default(4),
    /** Side of the low-resolution training input; the output side is scale times larger. */
    inputSize: z.number().int().min(2).default(24),
    /** Image channels (1 grayscale, 3 RGB). */
    channels: z.number().int().min(1).max(4).default(3),
    /** G's trunk: SRResNet residual blocks, or ESRGAN's residual-in-residual dense blocks. */
    arch: z.enum(['srresnet', 'rrdb']).default('srresnet'),
    /** Residual blocks (SRResNet 16) or RRDBs (ESRGAN 23). */
    blocks: z.number().int().min(1).default(16),
    /** Trunk channels. */
    width: z.number().int().min(1).default(64),
    /** RRDB: channels each dense-block conv adds. */
    growth: z.number().int().min(1).default(32),
    /** RRDB: scaling of every residual branch. */
    residualScale: z.number().min(0).max(1).default(0.2),
    /** BatchNorm in SRResNet's blocks (the paper's; ESRGAN removes it, and arch rrdb never has it). */
    batchNorm: z.boolean().default(true),
    /** Train with a discriminator (SRGAN) or on the content loss alone (SRResNet). */
    adversarial: z.boolean().default(true),
    /** ESRGAN's relativistic average discriminator instead of the standard one. */
    relativistic: z.boolean().default(false),
    /** D's first width; doubles every stage up to 8x. */
    widthD: z.number().int().min(1).default(64),
    /** D's stages of [conv s1, conv s2] after the first conv (the paper: 4). */
    dStages: z.number().int().min(1).max(6).default(4),
    /** Units of D's hidden dense layer. */
    denseD: z.number().int().min(1).default(1024),
    /** Weight of the L1 pixel loss. */
    l1Weight: z.number().min(0).default(1),
    /** Weight of the classifier-feature loss (the VGG loss's stand-in); 0 = off. */
    featureWeight: z.number().min(0).default(0),
    /** Weight of G's adversarial term. */
    advWeight: z.number().min(0).default(1e-3),
  })
  .strict();
export type SRGANOptions = z.infer<typeof SRGANOptionsSchema>;

const conv = (filters: number, k: number, strides = 1, useBias = true) =>
  tfl.layers.conv2d({ filters, kernelSize: k, strides, padding: 'same', useBias });

const prelu = () => tfl.layers.prelu({ sharedAxes: [1, 2] }); // one slope per channel, as PyTorch's PReLU(64)

/** Radius of G's receptive field in input pixels (how far one output pixel reads), rounded up. */
export function srReceptiveRadius(o: Pick<SRGANOptions, 'arch' | 'blocks' | 'scale'>): number {
  const trunk = o.arch === 'rrdb' ? o.blocks * 15 : o.blocks * 2; // 3x3 convs in the trunk
  const stages = Math.log2(o.scale);
  let up = 0;
  for (let i = 0; i < stages; i++) up += 1 / 2 ** i; // a 3x3 conv at 2^i times the input's resolution
  return Math.ceil(4 + trunk + 1 + up + 4 / o.scale); // head 9x9, trunk, trunk-end 3x3, stages, tail 9x9
}

export class SRGAN extends TranslationModel implements GANModel {
  readonly family = 'srgan';
  readonly paper = 'Ledig et al. 2017, Photo-Realistic Single Image Super-Resolution Using a GAN (SRResNet/SRGAN)';
  readonly options: SRGANOptions;
  readonly networks: Networks;
  readonly generatorName = 'G';
  readonly outputShape: number[];
  readonly inputShape: number[];
  /** A paired dataset's low-resolution input and high-resolution target. */
  readonly batchFields = ['input', 'target'];
  /** Any input size works (the network is fully convolutional). */
  readonly sizeMultiple = 1;
  /** The classifier's conv stack for the feature loss (not trained, not checkpointed). */
  private featureNet: tfl.LayersModel | null = null;

  constructor(options: Partial<SRGANOptions> = {}) {
    super();
    const o = parseModelOptions('srgan', SRGANOptionsSchema, options);
    if (o.arch === 'rrdb') o.batchNorm = false;
    this.options = o;
    this.inputShape = [o.inputSize, o.inputSize, o.channels];
    const out = o.inputSize * o.scale;
    this.outputShape = [out, out, o.channels];
    this.networks = { G: this.buildNetwork('G') };
    if (o.adversarial) this.networks.D = this.buildNetwork('D');
  }

  /** Radius of G's receptive field in input pixels: tiles padded by this much upscale seamlessly. */
  get receptiveRadius(): number {
    return srReceptiveRadius(this.options);
  }

  buildNetwork(name: string): tfl.LayersModel {
    if (name === 'G') return this.buildGenerator(false);
    if (name === 'D') return this.buildDiscriminator();
    throw new Error(`srgan has networks G and D, not '${name}'`);
  }

  generatorForAnySize(name: string): tfl.LayersModel {
    if (name !== 'G') throw new Error(`srgan's generator is G, not '${name}'`);
    return this.buildGenerator(true);
  }

  private bn(h: tfl.SymbolicTensor): tfl.SymbolicTensor {
    return this.options.batchNorm ? apply(batchNormalization({ momentum: 0.9 }), h) : h;
  }

  private residualBlock(x: tfl.SymbolicTensor): tfl.SymbolicTensor {
    const w = this.options.width;
    let h = this.bn(apply(conv(w, 3, 1, !this.options.batchNorm), x)); // [N, h, w, 64]
    h = apply(prelu(), h);
    h = this.bn(apply(conv(w, 3, 1, !this.options.batchNorm), h));
    return apply(tfl.layers.add(), [x, h]);
  }

  /** ESRGAN's dense block: 5 convs, each reading every earlier map; the last back to `width`, scaled. */
  private denseBlock(x: tfl.SymbolicTensor): tfl.SymbolicTensor {
    const o = this.options;
    const maps = [x];
    for (let i = 0; i < 4; i++) {
      const inp = maps.length === 1 ? x : apply(tfl.layers.concatenate({ axis: -1 }), [...maps]); // [N, h, w, width + i*growth]
      maps.push(apply(tfl.layers.leakyReLU({ alpha: 0.2 }), apply(conv(o.growth, 3), inp)));
    }
    const last = apply(conv(o.width, 3), apply(tfl.layers.concatenate({ axis: -1 }), [...maps])); // [N, h, w, width]
    return apply(tfl.layers.add(), [x, apply(scaleLayer(o.residualScale), last)]);
  }

  private rrdb(x: tfl.SymbolicTensor): tfl.SymbolicTensor {
    let h = x;
    for (let i = 0; i < 3; i++) h = this.denseBlock(h);
    return apply(tfl.layers.add(), [x, apply(scaleLayer(this.options.residualScale), h)]);
  }

  private buildGenerator(anySize: boolean): tfl.LayersModel {
    const o = this.options;
    const x = tfl.input({ shape: anySize ? [null, null, o.channels] : this.inputShape }); // [N, h, w, C]
    let head = apply(conv(o.width, 9), x); // [N, h, w, 64]
    if (o.arch === 'srresnet') head = apply(prelu(), head);
    let h = head;
    for (let i = 0; i < o.blocks; i++) h = o.arch === 'rrdb' ? this.rrdb(h) : this.residualBlock(h);
    h = this.bn(apply(conv(o.width, 3, 1, !o.batchNorm), h));
    h = apply(tfl.layers.add(), [head, h]); // [N, h, w, 64]
    for (let s = 1; s < o.scale; s *= 2) {
      h = apply(conv(o.width * 4, 3), h); // [N, h*s, w*s, 256]
      h = apply(new PixelShuffle({ factor: 2 }), h); // [N, 2h*s, 2w*s, 64]
      h = apply(o.arch === 'rrdb' ? tfl.layers.leakyReLU({ alpha: 0.2 }) : prelu(), h);
    }
    const y = apply(conv(o.channels, 9), h); // [N, h*scale, w*scale, C], linear
    return tfl.model({ inputs: x, outputs: y, name: anySize ? 'srgan_G_any' : 'srgan_G' });
  }

  private buildDiscriminator(): tfl.LayersModel {
    const o = this.options;
    const x = tfl.input({ shape: this.outputShape }); // [N, H, W, C]
    const lrelu = () => tfl.layers.leakyReLU({ alpha: 0.2 });
    let h = apply(lrelu(), apply(conv(o.widthD, 3), x)); // [N, H, W, 64]
    for (let s = 0; s < o.dStages; s++) {
      const w = o.widthD * Math.min(2 ** s, 8);
      if (s > 0) h = apply(lrelu(), apply(batchNormalization({ momentum: 0.9 }), apply(conv(w, 3, 1, false), h)));
      h = apply(lrelu(), apply(batchNormalization({ momentum: 0.9 }), apply(conv(w, 3, 2, false), h))); // [N, H/2^(s+1), ...]
    }
    h = apply(tfl.layers.flatten(), h);
    h = apply(lrelu(), apply(tfl.layers.dense({ units: o.denseD }), h)); // [N, 1024]
    const logit = apply(tfl.layers.dense({ units: 1 }), h); // [N, 1]
    return tfl.model({ inputs: x, outputs: logit, name: 'srgan_D' });
  }

  /** Upscales low-resolution images [N, h, w, C] in [-1, 1] to [N, h*scale, w*scale, C]. */
  translate(x: tf.Tensor4D, opts: { training?: boolean; generator?: tfl.LayersModel } = {}): tf.Tensor4D {
    const g = opts.generator ?? this.networks.G!;
    return g.apply(x, { training: opts.training ?? false }) as tf.Tensor4D;
  }

  private features(): tfl.LayersModel {
    this.featureNet ??= buildFeatureNet();
    return this.featureNet;
  }

  /** The content loss of G's output against the target, with its parts to log. */
  private content(fake: tf.Tensor4D, target: tf.Tensor4D): { loss: tf.Scalar; logs: Record<string, tf.Scalar> } {
    const o = this.options;
    const l1 = tf.mean(tf.abs(tf.sub(fake, target))) as tf.Scalar;
    if (o.featureWeight === 0) return { loss: tf.mul(o.l1Weight, l1) as tf.Scalar, logs: { L1: l1 } };
    const feat = featureDistance(this.features(), fake, target);
    return {
      loss: tf.add(tf.mul(o.l1Weight, l1), tf.mul(o.featureWeight, feat)) as tf.Scalar,
      logs: { L1: l1, feat },
    };
  }

  phases(_spec: LossSpec): LossPhase[] {
    const o = this.options;
    const G = this.networks.G!;
    const reads = ['input', 'target'];
    const field = (ctx: StepContext, name: string) => {
      const t = ctx.batch?.[name];
      if (!t) throw new Error(`srgan reads the batch field '${name}'; the dataset does not provide it`);
      return t as tf.Tensor4D;
    };
    if (!o.adversarial)
      return [
        {
          name: 'G',
          updates: ['G'],
          optimizer: 'G',
          reads,
          loss: (ctx) => {
            const fake = G.apply(field(ctx, 'input'), { training: true }) as tf.Tensor4D; // [N, H, W, C]
            return this.content(fake, field(ctx, 'target'));
          },
        },
      ];
    const D = this.networks.D!;
    // Relativistic average: each side's logits measured against the other side's mean.
    const rel = (a: tf.Tensor, b: tf.Tensor) => tf.sub(a, tf.mean(b));
    return [
      {
        name: 'G',
        updates: ['G'],
        optimizer: 'G',
        reads,
        batch: 'step',
        loss: (ctx) => {
          const target = field(ctx, 'target');
          const fake = G.apply(field(ctx, 'input'), { training: true }) as tf.Tensor4D; // [N, H, W, C]
          const dFake = D.apply(fake, { training: true }) as tf.Tensor; // [N, 1]
          let adv: tf.Scalar;
          if (o.relativistic) {
            const dReal = D.apply(target, { training: true }) as tf.Tensor;
            adv = tf.add(bceWithLogits(rel(dReal, dFake), 0), bceWithLogits(rel(dFake, dReal), 1)) as tf.Scalar;
          } else adv = bceWithLogits(dFake, 1);
          const c = this.content(fake, target);
          ctx.stepCache.fake = tf.keep(fake); // D's phase judges the same fakes (a constant there)
          return { loss: tf.add(c.loss, tf.mul(o.advWeight, adv)) as tf.Scalar, logs: { ...c.logs, G_adv: adv } };
        },
      },
      {
        name: 'D',
        updates: ['D'],
        optimizer: 'D',
        reads,
        batch: 'step',
        loss: (ctx) => {
          const fake = ctx.stepCache.fake;
          if (!fake) throw new Error('srgan: the G phase must run before the D phase');
          const real = D.apply(field(ctx, 'target'), { training: true }) as tf.Tensor; // [N, 1]
          const fakeLogits = D.apply(fake, { training: true }) as tf.Tensor;
          const loss = o.relativistic
            ? tf.add(bceWithLogits(rel(real, fakeLogits), 1), bceWithLogits(rel(fakeLogits, real), 0))
            : tf.add(bceWithLogits(real, 1), bceWithLogits(fakeLogits, 0));
          return {
            loss: tf.mul(0.5, loss) as tf.Scalar,
            logs: { dReal: tf.mean(tf.sigmoid(real)), dFake: tf.mean(tf.sigmoid(fakeLogits)) },
          };
        },
      },
    ];
  }

  override dispose(): void {
    super.dispose();
    this.featureNet?.dispose();
    this.featureNet = null;
  }
}

/** A constant scaling layer (RRDB's residual scaling), serializable. */
class ScaleLayer extends tfl.layers.Layer {
  static readonly className = 'TsganScale';
  readonly factor: number;
  constructor(args: { factor: number; name?: string }) {
    super({ name: args.name });
    this.factor = args.factor;
  }
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0]! : inputs;
    return tf.mul(x, this.factor);
  }
  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), factor: this.factor };
  }
}
tf.serialization.registerClass(
  ScaleLayer as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>,
);

function scaleLayer(factor: number): tfl.layers.Layer {
  return new ScaleLayer({ factor });
}
