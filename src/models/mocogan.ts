// MoCoGAN: Tulyakov, Liu, Yang & Kautz, "MoCoGAN: Decomposing Motion and Content for Video
// Generation", CVPR 2018.
// A clip is one content code z_C (fixed over the clip) and a sequence of motion codes z_M(1..T)
// that a recurrent network R_M (a GRU cell) produces from per-frame noise e(t): h(t) = GRU(e(t),
// h(t-1)), z_M(t) = h(t), h(0) drawn from N(0, I). One image generator G_I renders every frame from
// [z_C, z_M(t)]. Two discriminators: D_I judges single frames drawn at random from real and
// generated clips (image content), D_V judges whole clips (motion). Both use the non-saturating GAN
// loss; G's loss is the sum of both discriminators' terms.
// Reference defaults (the authors' code, 64x64): dim z_C 50, dim z_M 10 (= GRU input e and hidden
// size), 16 frames; G_I a DCGAN generator (ngf 64, BatchNorm, ReLU, tanh); D_I a DCGAN-like patch
// discriminator (ndf 64); D_V 3-D convolutions with 4x4x4 kernels, stride (1, 2, 2), no temporal
// padding, BatchNorm; Adam lr 2e-4, betas (0.5, 0.999), weight decay 1e-5; batches of 32 clips and 32
// single frames.
// tsgan's differences, for 32x32 (or 64x64) clips on a CPU:
// - D_V is (2+1)-D (Tran et al. 2018): each 4x4x4 convolution is factorized into a 4x4 stride-2
//   convolution of every frame, LeakyReLU, then a temporal convolution of kernel `temporalKernel`
//   (4, no padding, as the reference's kernel depth; 'same' padding once the clip is too short),
//   running on the native 2-D convolution kernels (src/nn/video_layers.ts); no BatchNorm (tfjs-layers
//   has no rank-5 inference BatchNorm); a dense logit per clip instead of a patch map. Its clip
//   convolutions draw He-normal kernels whatever the run's init scheme: DCGAN's N(0, 0.02) over six
//   unnormalized convolutions started its logits near 1e-4, and trained alone on moving against still
//   clips its loss stayed at ln 4 for ~90 steps (test/models/mocogan.test.ts checks both). D_I is the
//   DCGAN discriminator of src/models/dcgan.ts with BatchNorm in its second and third convolutions
//   (`batchNormD`, as the reference's D_I) and a dense logit.
// - The motion codes G sees are h(t) minus the clip's mean over its T frames (`centerMotion`). The
//   GRU's states share a clip-constant offset (its attractor, and h(0)'s trace in the first frames):
//   with the raw states every short run (widths 16, batches of 8 clips, 600-1,500 steps, with or
//   without D_V) collapsed to one static object that ignored z_C, while i.i.d. N(0, 1) codes in their
//   place or the centred states kept 8 different objects (BENCHMARKS.md, "Video generation").
// - Widths default to 32 (reference 64), batches to 16 clips, D_I sees `imageFrames` random frames of
//   each clip of the batch (reference: a separate batch of 32 frames); no weight decay.
// - One step: both discriminators' update on clips of the current G, then G's update on new clips
//   (the reference's order; the reference reuses the discriminators' fakes for G, tsgan draws again).
//   D_I and D_V share one Adam (the same update as two: Adam's moments are per weight).
// - The latent is one vector per clip, [z_C (C), h(0) (M), e(1..T) (T*E)], so sampling, EMA and
//   checkpoints treat G like any generator; `videoLatent` builds it from separate content and motion
//   seeds (the same object in new motion, or the same motion of a new object).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { z } from 'zod';

import { discriminatorLoss, generatorLoss } from '../losses/adversarial.js';
import { FrameConv2D, FramesToClips, MotionGRU, TimeConv } from '../nn/video_layers.js';
import { Rng } from '../train/rng.js';
import { DCGAN_DEFAULTS, dcganDiscriminatorTrunk, dcganGenerator, dcganLayout, type DCGANOptions } from './dcgan.js';
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

export const MoCoGANOptionsSchema = z
  .object({
    /** Frame side: 32 or 64. */
    resolution: z.number().int().default(32),
    /** Frame channels: 1 (grayscale) or 3 (RGB). */
    channels: z.number().int().min(1).max(4).default(3),
    /** Frames per clip (reference 16). */
    frames: z.number().int().min(2).max(64).default(16),
    /** Length of the content code z_C (reference 50). */
    contentDim: z.number().int().min(1).default(50),
    /** Length of the motion codes z_M: the GRU's hidden size (reference 10). */
    motionDim: z.number().int().min(1).default(10),
    /** Length of each frame's noise e(t), the GRU's input (reference 10, = motionDim). */
    noiseDim: z.number().int().min(1).default(10),
    /** Image generator's base width (reference ngf 64). */
    widthG: z.number().int().min(1).default(32),
    /** Image discriminator's base width (reference ndf 64). */
    widthDI: z.number().int().min(1).default(32),
    /** Video discriminator's base width (reference ndf 64). */
    widthDV: z.number().int().min(1).default(32),
    /** Temporal kernel of the video discriminator's (2+1)-D convolutions (reference depth 4). */
    temporalKernel: z.number().int().min(1).max(8).default(4),
    /** Random frames of each clip the image discriminator judges per step. */
    imageFrames: z.number().int().min(1).default(1),
    /** Weight of the video discriminator's terms against the image discriminator's (reference 1). */
    videoWeight: z.number().min(0).default(1),
    /** Motion codes minus each clip's mean over its frames (false: the reference's GRU states h(t)). */
    centerMotion: z.boolean().default(true),
    /** BatchNorm in the image discriminator's convolutions after the first (as the reference's D_I). */
    batchNormD: z.boolean().default(true),
  })
  .strict();
export type MoCoGANOptions = z.infer<typeof MoCoGANOptionsSchema>;

export class MoCoGAN implements GANModel {
  readonly family = 'mocogan';
  readonly paper = 'Tulyakov et al. 2018, MoCoGAN: Decomposing Motion and Content for Video Generation';
  readonly options: MoCoGANOptions;
  readonly networks: Networks;
  readonly generatorName = 'G';
  readonly latentDim: number;
  readonly numClasses = 0;
  /** One clip: [T, H, W, C]. */
  readonly outputShape: number[];
  readonly valueRange: [number, number] = [-1, 1];
  readonly supportsTruncation = false;
  /** The batch field the phases read: clips [N, T, H, W, C]. */
  readonly batchFields = ['clip'];

  constructor(options: Partial<MoCoGANOptions> = {}) {
    const o = parseModelOptions('mocogan', MoCoGANOptionsSchema, options);
    if (o.resolution !== 32 && o.resolution !== 64)
      throw new Error(`mocogan: resolution must be 32 or 64, got ${o.resolution}`);
    this.options = o;
    this.latentDim = o.contentDim + o.motionDim + o.frames * o.noiseDim;
    this.outputShape = [o.frames, o.resolution, o.resolution, o.channels];
    this.networks = { G: this.buildNetwork('G'), DI: this.buildNetwork('DI'), DV: this.buildNetwork('DV') };
  }

  private dcganOptions(width: number): DCGANOptions {
    const o = this.options;
    return {
      ...DCGAN_DEFAULTS,
      resolution: o.resolution as 32 | 64,
      channels: o.channels,
      width,
      widthG: width,
      widthD: width,
      latentDim: o.contentDim + o.motionDim,
      batchNormD: o.batchNormD,
    };
  }

  buildNetwork(name: string): tfl.LayersModel {
    const o = this.options;
    if (name === 'G') {
      const zIn = tfl.input({ shape: [this.latentDim], name: 'z' }); // [N, C + M + T*E]
      const codes = apply(
        new MotionGRU({
          contentDim: o.contentDim,
          motionDim: o.motionDim,
          noiseDim: o.noiseDim,
          frames: o.frames,
          centerMotion: o.centerMotion,
        }),
        zIn,
      ); // [N*T, C + M]
      const frames = dcganGenerator(codes, this.dcganOptions(o.widthG)); // [N*T, H, W, C]
      const clips = apply(new FramesToClips({ frames: o.frames }), frames); // [N, T, H, W, C]
      return tfl.model({ inputs: zIn, outputs: clips, name: 'G' });
    }
    if (name === 'DI') {
      const x = tfl.input({ shape: this.outputShape.slice(1), name: 'frame' }); // [N, H, W, C]
      const phi = dcganDiscriminatorTrunk(x, this.dcganOptions(o.widthDI)); // [N, F]
      return tfl.model({ inputs: x, outputs: apply(tfl.layers.dense({ units: 1 }), phi), name: 'DI' }); // [N, 1]
    }
    if (name === 'DV') {
      const x = tfl.input({ shape: this.outputShape, name: 'clip' }); // [N, T, H, W, C]
      const { ups } = dcganLayout(o.resolution);
      let h = x;
      let t = o.frames;
      for (let i = 0; i < ups; i++) {
        const c = o.widthDV * 2 ** i;
        h = apply(new FrameConv2D({ filters: c, kernelSize: 4, strides: 2, padding: 'same' }), h); // [N, t, S/2^(i+1), ., c]
        h = apply(tfl.layers.leakyReLU({ alpha: 0.2 }), h);
        const valid = t - (o.temporalKernel - 1) >= 2; // the reference's unpadded kernel, while the clip is long enough
        h = apply(new TimeConv({ filters: c, kernelSize: o.temporalKernel, padding: valid ? 'valid' : 'same' }), h);
        if (valid) t -= o.temporalKernel - 1; // [N, t, ., ., c]
        h = apply(tfl.layers.leakyReLU({ alpha: 0.2 }), h);
      }
      const flat = apply(tfl.layers.flatten(), h); // [N, t*4*4*c]
      return tfl.model({ inputs: x, outputs: apply(tfl.layers.dense({ units: 1 }), flat), name: 'DV' }); // [N, 1]
    }
    throw new Error(`mocogan has networks G, DI and DV, not '${name}'`);
  }

  /** Clips [N, T, H, W, C] in [-1, 1] from latents [N, latentDim]. */
  generate(z: tf.Tensor2D, _labels?: tf.Tensor1D | null, opts: GenerateOptions = {}): tf.Tensor {
    if (z.shape[1] !== this.latentDim)
      throw new Error(`mocogan: latents have ${z.shape[1]} components, the model takes ${this.latentDim}`);
    const g = opts.generator ?? this.networks.G!;
    return g.apply(z, { training: opts.training ?? false }) as tf.Tensor;
  }

  sampleLatent(n: number, rng: Rng): tf.Tensor2D {
    return tf.tensor2d(rng.normals(n * this.latentDim), [n, this.latentDim]);
  }

  /** Components of the latent that are content (z_C) and motion (h(0) and the noise e(1..T)). */
  get latentParts(): { content: number; motion: number } {
    const o = this.options;
    return { content: o.contentDim, motion: o.motionDim + o.frames * o.noiseDim };
  }

  /**
   * N latents whose content codes come from `contentSeed` and motion (h(0), e(t)) from `motionSeed`:
   * clip i's content depends on (contentSeed, i) only and its motion on (motionSeed, i) only.
   */
  videoLatent(n: number, contentSeed: number, motionSeed: number): tf.Tensor2D {
    const { content, motion } = this.latentParts;
    const c = new Rng(contentSeed).normals(n * content);
    const m = new Rng(motionSeed ^ 0x6d0c0de).normals(n * motion);
    const out = new Float32Array(n * this.latentDim);
    for (let i = 0; i < n; i++) {
      out.set(c.subarray(i * content, (i + 1) * content), i * this.latentDim);
      out.set(m.subarray(i * motion, (i + 1) * motion), i * this.latentDim + content);
    }
    return tf.tensor2d(out, [n, this.latentDim]);
  }

  /** `k` random frames of each clip of [N, T, H, W, C] as [N*k, H, W, C], indices from the run's RNG. */
  private randomFrames(clips: tf.Tensor, ctx: StepContext): tf.Tensor4D {
    const [n, t, h, w, c] = clips.shape as [number, number, number, number, number];
    const k = this.options.imageFrames;
    const u = ctx.rng.uniforms(n * k);
    const idx = Int32Array.from(u, (v, j) => Math.floor(j / k) * t + Math.min(t - 1, Math.floor(v * t)));
    return tf.gather(tf.reshape(clips, [n * t, h, w, c]), tf.tensor1d(idx, 'int32')) as tf.Tensor4D; // [N*k, H, W, C]
  }

  phases(spec: LossSpec): LossPhase[] {
    if (spec.gpWeight > 0 || spec.r1Gamma > 0)
      throw new Error('mocogan has no gradient penalties: set gpWeight and r1Gamma to 0');
    const o = this.options;
    const { DI, DV } = this.networks as { DI: tfl.LayersModel; DV: tfl.LayersModel };
    const clipsOf = (ctx: StepContext) => {
      const t = ctx.batch?.clip;
      if (!t) throw new Error("mocogan reads the batch field 'clip'; the dataset does not provide it");
      return t;
    };
    const reads = ['clip'];
    const gPhase: LossPhase = {
      name: 'G',
      updates: ['G'],
      optimizer: 'G',
      reads,
      batch: 'step',
      loss: (ctx) => {
        const fake = this.generate(this.sampleLatent(ctx.batchSize, ctx.rng), null, { training: true }); // [N, T, H, W, C]
        const gImage = generatorLoss(
          spec.loss,
          DI.apply(this.randomFrames(fake, ctx), { training: true }) as tf.Tensor,
        );
        const gVideo = generatorLoss(spec.loss, DV.apply(fake, { training: true }) as tf.Tensor);
        const loss = tf.add(gImage, tf.mul(o.videoWeight, gVideo)) as tf.Scalar;
        return { loss, logs: { G_image: gImage, G_video: gVideo } };
      },
    };
    const dPhase: LossPhase = {
      name: 'D',
      updates: ['DI', 'DV'],
      optimizer: 'D',
      reads,
      batch: 'step',
      loss: (ctx) => {
        // Fresh clips of the current G (a constant here: the phase differentiates DI and DV only).
        const fake = this.generate(this.sampleLatent(ctx.batchSize, ctx.rng), null, { training: true }); // [N, T, H, W, C]
        const real = clipsOf(ctx); // [N, T, H, W, C]
        const iReal = DI.apply(this.randomFrames(real, ctx), { training: true }) as tf.Tensor; // [N*k, 1]
        const iFake = DI.apply(this.randomFrames(fake, ctx), { training: true }) as tf.Tensor;
        const vReal = DV.apply(real, { training: true }) as tf.Tensor; // [N, 1]
        const vFake = DV.apply(fake, { training: true }) as tf.Tensor;
        const dImage = discriminatorLoss(spec.loss, iReal, iFake, { realTarget: spec.realTarget });
        const dVideo = discriminatorLoss(spec.loss, vReal, vFake, { realTarget: spec.realTarget });
        return {
          loss: tf.add(dImage, tf.mul(o.videoWeight, dVideo)) as tf.Scalar,
          logs: {
            D_image: dImage,
            D_video: dVideo,
            dImageReal: tf.mean(iReal) as tf.Scalar,
            dImageFake: tf.mean(iFake) as tf.Scalar,
            dVideoReal: tf.mean(vReal) as tf.Scalar,
            dVideoFake: tf.mean(vFake) as tf.Scalar,
          },
        };
      },
    };
    return [dPhase, gPhase]; // the reference's order: the discriminators first
  }

  describe(): ModelDescription {
    return describeModel(this);
  }

  dispose(): void {
    disposeNetworks(this.networks);
  }
}
