// Text-to-image GAN after GAN-INT-CLS: Reed, Akata, Yan, Logeswaran, Schiele & Lee, "Generative
// Adversarial Text to Image Synthesis", ICML 2016.
// Paper: a char-CNN-RNN text encoder pre-trained with a structured joint embedding of images and
// captions, then frozen; its 1,024-d sentence embedding is compressed to 128 by a dense layer with
// LeakyReLU and concatenated with z (100-d, N(0, 1)) at G's input; DCGAN G and D at 64x64; in D the
// compressed embedding is replicated over the 4x4 feature map, concatenated along channels,
// followed by a 1x1 convolution (LeakyReLU) and the 4x4 logit. GAN-CLS (matching-aware D): D's
// loss is log D(real, right) + [log(1 - D(real, wrong)) + log(1 - D(fake, right))] / 2.
// GAN-INT: G also learns from interpolated embeddings 0.5 t1 + 0.5 t2 (D has no real image for
// them). Adam lr 2e-4, beta1 0.5, batch 64, 600 epochs.
// Differences here, for small captioned data on a CPU:
// - the text encoder is tsgan's own (src/text/encoder.ts: word embeddings, masked mean, MLP, unit
//   length) and an image encoder I beside it, trained JOINTLY with the GAN from scratch by a
//   contrastive (CLIP-style) phase every step on the same batches; G and D read T's embeddings as
//   constants (T is updated by the contrastive phase only, as the paper's encoder was trained by
//   its own objective only);
// - 32x32 by default (28, 32 and 64 are supported), widths 64, sentence embedding 64, compressed to 64;
// - options: StackGAN's conditioning augmentation (Zhang et al. 2017: c ~ N(mu(t), sigma(t)^2) with
//   a KL weight 1; at inference c = mu), and the projection discriminator (Miyato & Koyama 2018,
//   as in cgan.ts: D(x, t) = w^T phi(x) + (W t)^T phi(x)) instead of the concatenation;
// - G and D read the unit-length sentence embedding times sqrt(embedDim) (option embedScale), so its
//   components have z's unit scale: at unit length (components ~0.12) the text was ~1% of the
//   variance of G's input beside z (at 1,000 steps of 32 with the projection D: shape 27% -> 64%,
//   colour 72% -> 90% with the scale; BENCHMARKS.md, "Text to image");
// - the t2i-shapes presets use the projection D with spectral norm and the hinge loss: with D's
//   'concat' (the paper's), with or without them, G learned position and size but not colour or shape;
// - GAN-INT's interpolation pairs each caption with the next one of the batch;
// - D's 1x1 convolution over the concatenation [features; replicated embedding] is computed as the
//   sum of its two halves (the same function; no concatenation, whose gradient slices channels).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { z } from 'zod';

import { discriminatorLoss, generatorLoss } from '../losses/adversarial.js';
import { buildImageEncoder, buildTextEncoder, contrastiveLoss, duplicateMask } from '../text/encoder.js';
import { CondAugment, klToStandardNormal } from '../text/layers.js';
import { Tokenizer } from '../text/tokenizer.js';
import type { Rng } from '../train/rng.js';
import { type DCGANOptions, dcganDiscriminatorTrunk, dcganGenerator, dcganLayout, denseLayer } from './dcgan.js';
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
import { applyLayer as apply, parseModelOptions } from './model_options.js';

export const Text2ImageOptionsSchema = z
  .object({
    /** Image side: 28, 32 or 64. */
    resolution: z.union([z.literal(28), z.literal(32), z.literal(64)]).default(32),
    /** Image channels. */
    channels: z.number().int().min(1).max(4).default(3),
    /** Base width of G and D (DCGAN's). */
    width: z.number().int().min(1).default(64),
    /** Latent size. */
    latentDim: z.number().int().min(1).default(100),
    /** Vocabulary: '<pad>', '<unk>', then the training captions' words (filled from the data). */
    vocab: z.array(z.string()).default([]),
    /** Word ids per caption: the longest training caption (filled from the data). */
    maxLen: z.number().int().min(0).default(0),
    /** Word embedding size of the text encoder. */
    wordDim: z.number().int().min(1).default(64),
    /** Hidden units of the text encoder's MLP. */
    textHidden: z.number().int().min(1).default(128),
    /** Sentence (and image) embedding size of the contrastive encoders. */
    embedDim: z.number().int().min(1).default(64),
    /** Size the sentence embedding is compressed to in G and D (the paper's 128). */
    condDim: z.number().int().min(1).default(64),
    /** Factor on the unit sentence embedding where G and D read it; 0: sqrt(embedDim) (components of z's scale). */
    embedScale: z.number().min(0).default(0),
    /** Base width of the contrastive image encoder. */
    imageEncoderWidth: z.number().int().min(1).default(32),
    /** StackGAN's conditioning augmentation in G. */
    condAugment: z.boolean().default(false),
    /** Weight of the conditioning augmentation's KL term in G's loss. */
    klWeight: z.number().min(0).default(1),
    /** D: 'concat' (GAN-CLS: embedding replicated over D's 4x4 map) or 'projection' (Miyato & Koyama). */
    discriminator: z.enum(['concat', 'projection']).default('concat'),
    /** GAN-CLS: a real image with a wrong caption counts as fake for D. */
    matchingAware: z.boolean().default(true),
    /** GAN-INT: G also learns from embeddings halfway between two captions. */
    interpolate: z.boolean().default(true),
    /** Weight of the contrastive (CLIP-style) loss of the text and image encoders. */
    clipWeight: z.number().min(0).default(1),
    /** Scale of the contrastive logits (1 / temperature). */
    clipScale: z.number().positive().default(10),
    /** Spectral normalization on D's layers. */
    spectralNorm: z.boolean().default(false),
  })
  .strict();
export type Text2ImageOptions = z.infer<typeof Text2ImageOptionsSchema>;

/** A batch's rows shifted by one (row i gets row i + 1's): the "wrong" captions and interpolation partners. */
function roll(x: tf.Tensor2D): tf.Tensor2D {
  const n = x.shape[0];
  if (n < 2) return x;
  return tf.concat([tf.slice(x, [1, 0], [n - 1, -1]), tf.slice(x, [0, 0], [1, -1])], 0) as tf.Tensor2D; // [N, E]
}

export class Text2Image implements GANModel {
  readonly family = 'text2image';
  readonly paper = 'Reed et al. 2016, Generative Adversarial Text to Image Synthesis (GAN-INT-CLS)';
  readonly options: Text2ImageOptions;
  readonly networks: Networks;
  readonly generatorName = 'G';
  readonly latentDim: number;
  readonly numClasses = 0;
  readonly outputShape: number[];
  readonly valueRange: [number, number] = [-1, 1];
  readonly supportsTruncation = true;
  readonly batchFields = ['image', 'text'];
  readonly tokenizer: Tokenizer;
  private readonly dcgan: DCGANOptions;

  constructor(options: Partial<Text2ImageOptions> = {}) {
    const o = parseModelOptions('text2image', Text2ImageOptionsSchema, options);
    if (o.vocab.length < 3 || o.maxLen < 1)
      throw new Error('text2image needs a vocabulary and maxLen (built from the training captions by the data loader)');
    this.tokenizer = new Tokenizer({ vocab: o.vocab, maxLen: o.maxLen });
    dcganLayout(o.resolution);
    this.options = o;
    this.latentDim = o.latentDim;
    this.outputShape = [o.resolution, o.resolution, o.channels];
    this.dcgan = {
      resolution: o.resolution,
      channels: o.channels,
      width: o.width,
      widthG: o.width,
      widthD: o.width,
      latentDim: o.latentDim,
      batchNormG: true,
      batchNormDense: false,
      batchNormD: false,
      spectralNorm: o.spectralNorm,
      infoCategories: 0,
      refineWidth: 0,
    };
    this.networks = {};
    for (const name of ['G', 'D', 'T', 'I']) this.networks[name] = this.buildNetwork(name);
  }

  buildNetwork(name: string): tfl.LayersModel {
    const o = this.options;
    if (name === 'T')
      return buildTextEncoder({
        vocabSize: o.vocab.length,
        maxLen: o.maxLen,
        wordDim: o.wordDim,
        hidden: o.textHidden,
        embedDim: o.embedDim,
      });
    if (name === 'I')
      return buildImageEncoder({
        resolution: o.resolution,
        channels: o.channels,
        width: o.imageEncoderWidth,
        embedDim: o.embedDim,
      });
    if (name === 'G') {
      const zIn = tfl.input({ shape: [o.latentDim], name: 'z' });
      const sentence = tfl.input({ shape: [o.embedDim], name: 'sentence' });
      const inputs = [zIn, sentence];
      const e = this.scaleEmbedding(sentence); // [N, E]
      let c: tfl.SymbolicTensor;
      if (o.condAugment) {
        const eps = tfl.input({ shape: [o.condDim], name: 'eps' });
        inputs.push(eps);
        const h = apply(tfl.layers.dense({ units: 2 * o.condDim }), e); // [N, 2C]: mu, log sigma^2
        c = apply(new CondAugment(), [h, eps]); // [N, C]
        const img = dcganGenerator(apply(tfl.layers.concatenate(), [zIn, c]), this.dcgan); // [N, H, W, C]
        return tfl.model({ inputs, outputs: [img, h], name: 'G' });
      }
      c = apply(tfl.layers.leakyReLU({ alpha: 0.2 }), apply(tfl.layers.dense({ units: o.condDim }), e)); // [N, C]
      const img = dcganGenerator(apply(tfl.layers.concatenate(), [zIn, c]), this.dcgan); // [N, H, W, C]
      return tfl.model({ inputs, outputs: img, name: 'G' });
    }
    if (name === 'D') {
      const x = tfl.input({ shape: this.outputShape, name: 'x' });
      const sentence = tfl.input({ shape: [o.embedDim], name: 'sentence' });
      const e = this.scaleEmbedding(sentence); // [N, E]
      const phi = dcganDiscriminatorTrunk(x, this.dcgan); // [N, 4*4*Cd]
      if (o.discriminator === 'projection') {
        const f = phi.shape[1] as number;
        const logit = apply(denseLayer(1, o.spectralNorm), phi); // [N, 1]
        const we = apply(denseLayer(f, o.spectralNorm, false), e); // [N, F]
        const proj = apply(tfl.layers.dot({ axes: 1 }), [we, phi]); // [N, 1]
        return tfl.model({ inputs: [x, sentence], outputs: apply(tfl.layers.add(), [logit, proj]), name: 'D' });
      }
      // The paper's 1x1 convolution over [map; replicated t] is written as the sum of its two parts,
      // conv1x1(map) + W t, W t broadcast over the map (the same function without the concatenation
      // and the replication, whose gradients slice: tfjs's Slice has no native kernel).
      const cd = (phi.shape[1] as number) / 16;
      const map = apply(tfl.layers.reshape({ targetShape: [4, 4, cd] }), phi); // [N, 4, 4, Cd]
      const t = apply(tfl.layers.leakyReLU({ alpha: 0.2 }), apply(denseLayer(o.condDim, o.spectralNorm), e)); // [N, C]
      const wt = apply(denseLayer(cd, o.spectralNorm, false), t); // [N, Cd]: the 1x1 conv's weights on t
      const tMap = apply(tfl.layers.reshape({ targetShape: [1, 1, cd] }), wt); // [N, 1, 1, Cd], broadcast over the 4x4 map
      let h = apply(tfl.layers.conv2d({ filters: cd, kernelSize: 1 }), map); // [N, 4, 4, Cd]
      h = apply(tfl.layers.leakyReLU({ alpha: 0.2 }), apply(tfl.layers.add(), [h, tMap]));
      const logit = apply(denseLayer(1, o.spectralNorm), apply(tfl.layers.flatten(), h)); // [N, 1]
      return tfl.model({ inputs: [x, sentence], outputs: logit, name: 'D' });
    }
    throw new Error(`text2image: no network '${name}' (it has G, D, T and I)`);
  }

  /** The unit sentence embedding times embedScale (sqrt(embedDim) when 0), as G and D read it. */
  private scaleEmbedding(e: tfl.SymbolicTensor): tfl.SymbolicTensor {
    const s = this.options.embedScale || Math.sqrt(this.options.embedDim);
    return s === 1 ? e : apply(tfl.layers.rescaling({ scale: s }), e); // [N, E]
  }

  /** Sentence embeddings [N, embedDim] of word ids [N, maxLen]. */
  embedText(ids: tf.Tensor2D): tf.Tensor2D {
    return this.networks.T!.apply(tf.cast(ids, 'int32'), { training: false }) as tf.Tensor2D;
  }

  /** Word ids [N, maxLen] of prompts (tokenizer policies: see src/text/tokenizer.ts). */
  encodePrompts(prompts: string[]): tf.Tensor2D {
    const ids = new Int32Array(prompts.length * this.tokenizer.maxLen);
    prompts.forEach((p, i) => {
      ids.set(this.tokenizer.encode(p).ids, i * this.tokenizer.maxLen);
    });
    return tf.tensor2d(ids, [prompts.length, this.tokenizer.maxLen], 'int32');
  }

  /** G's image (and, with conditioning augmentation, its [mu, logvar]) for latents and sentence embeddings. */
  private runG(
    z: tf.Tensor2D,
    e: tf.Tensor2D,
    training: boolean,
    eps: tf.Tensor2D | null,
    g?: tfl.LayersModel,
  ): { image: tf.Tensor4D; h: tf.Tensor2D | null } {
    const net = g ?? this.networks.G!;
    if (this.options.condAugment) {
      const noise = eps ?? tf.zeros([z.shape[0], this.options.condDim]);
      const [image, h] = net.apply([z, e, noise], { training }) as tf.Tensor[];
      return { image: image as tf.Tensor4D, h: h as tf.Tensor2D };
    }
    return { image: net.apply([z, e], { training }) as tf.Tensor4D, h: null };
  }

  /** Images for latents z [N, Z] and sentence embeddings e [N, embedDim] (conditioning augmentation: c = mu). */
  generateFromEmbedding(z: tf.Tensor2D, e: tf.Tensor2D, opts: GenerateOptions = {}): tf.Tensor4D {
    if (e.shape[0] !== z.shape[0]) throw new Error(`generate: ${e.shape[0]} sentences for ${z.shape[0]} latents`);
    return this.runG(z, e, opts.training ?? false, null, opts.generator).image;
  }

  /** Images for latents z [N, Z] and word ids [N, maxLen]. */
  generateFromIds(z: tf.Tensor2D, ids: tf.Tensor2D, opts: GenerateOptions = {}): tf.Tensor4D {
    return tf.tidy(() => this.generateFromEmbedding(z, this.embedText(ids), opts));
  }

  generate(z: tf.Tensor2D, _labels?: tf.Tensor1D | null, _opts?: GenerateOptions): tf.Tensor {
    void z;
    throw new Error(
      'a text-to-image model draws from prompts: use tsgan generate RUN --prompt "a large blue square" (or generateFromPrompts)',
    );
  }

  sampleLatent(n: number, rng: Rng, truncation = 0): tf.Tensor2D {
    return tf.tensor2d(rng.normals(n * this.latentDim, truncation), [n, this.latentDim]);
  }

  private discriminate(x: tf.Tensor, e: tf.Tensor2D): tf.Tensor {
    return this.networks.D!.apply([x, e], { training: true }) as tf.Tensor; // [N, 1]
  }

  phases(spec: LossSpec): LossPhase[] {
    const o = this.options;
    if (spec.gpWeight > 0 || spec.r1Gamma > 0)
      throw new Error(
        'text2image: gradient penalties (wgan-gp, r1Gamma) are not implemented for it; use hinge or nonsaturating',
      );
    if (spec.dSteps !== 1) throw new Error('text2image: dSteps must be 1');
    const reads = ['image', 'text'];
    const eps = (ctx: StepContext) =>
      o.condAugment ? tf.tensor2d(ctx.rng.normals(ctx.batchSize * o.condDim), [ctx.batchSize, o.condDim]) : null;
    const phases: LossPhase[] = [];
    if (o.clipWeight > 0)
      phases.push({
        name: 'CLIP',
        updates: ['I', 'T'],
        optimizer: 'text',
        reads,
        loss: (ctx) => {
          const ids = ctx.batch.text as tf.Tensor2D; // [N, L]
          const img = this.networks.I!.apply(ctx.batch.image!, { training: true }) as tf.Tensor2D; // [N, E]
          const txt = this.networks.T!.apply(ids, { training: true }) as tf.Tensor2D; // [N, E]
          const n = ids.shape[0];
          const mask = tf.tensor2d(duplicateMask(ids.dataSync() as Int32Array, n, ids.shape[1]), [n, n]);
          const { loss, accuracy } = contrastiveLoss(img, txt, o.clipScale, mask);
          return { loss: tf.mul(loss, o.clipWeight) as tf.Scalar, logs: { clip: loss, clipAcc: accuracy } };
        },
      });
    phases.push({
      name: 'D',
      updates: ['D'],
      optimizer: 'D',
      reads,
      loss: (ctx) => {
        const e = this.embedText(ctx.batch.text as tf.Tensor2D); // [N, E], a constant here
        const real = ctx.batch.image!; // [N, H, W, C]
        const fake = this.runG(this.sampleLatent(ctx.batchSize, ctx.rng), e, true, eps(ctx)).image;
        const dr = this.discriminate(ctx.augment(real), e);
        const df = this.discriminate(ctx.augment(fake), e);
        let loss = discriminatorLoss(spec.loss, dr, df, { realTarget: spec.realTarget });
        const logs: Record<string, tf.Scalar> = { dReal: tf.mean(dr) as tf.Scalar, dFake: tf.mean(df) as tf.Scalar };
        if (o.matchingAware) {
          const dw = this.discriminate(ctx.augment(real), roll(e)); // real image, wrong caption
          const wrong = discriminatorLoss(spec.loss, dr, dw, { realTarget: spec.realTarget });
          loss = tf.mul(0.5, tf.add(loss, wrong)) as tf.Scalar; // real + (fake + wrong) / 2
          logs.dWrong = tf.mean(dw) as tf.Scalar;
        }
        return { loss, logs };
      },
    });
    phases.push({
      name: 'G',
      updates: ['G'],
      optimizer: 'G',
      reads,
      loss: (ctx) => {
        const e = this.embedText(ctx.batch.text as tf.Tensor2D); // [N, E]
        const { image, h } = this.runG(this.sampleLatent(ctx.batchSize, ctx.rng), e, true, eps(ctx));
        let loss = generatorLoss(spec.loss, this.discriminate(ctx.augment(image), e));
        const logs: Record<string, tf.Scalar> = {};
        if (o.interpolate) {
          const ei = tf.mul(0.5, tf.add(e, roll(e))) as tf.Tensor2D; // GAN-INT, beta = 0.5
          const gi = this.runG(this.sampleLatent(ctx.batchSize, ctx.rng), ei, true, eps(ctx)).image;
          const li = generatorLoss(spec.loss, this.discriminate(ctx.augment(gi), ei));
          logs.gInt = li;
          loss = tf.add(loss, li) as tf.Scalar;
        }
        if (h && o.klWeight > 0) {
          const kl = klToStandardNormal(h);
          logs.kl = kl;
          loss = tf.add(loss, tf.mul(o.klWeight, kl)) as tf.Scalar;
        }
        return { loss, logs };
      },
    });
    return phases;
  }

  describe(): ModelDescription {
    const { vocab, ...rest } = this.options;
    return describeModel(this, { ...rest, vocab: `${vocab.length - 2} words` });
  }

  dispose(): void {
    disposeNetworks(this.networks);
  }
}
