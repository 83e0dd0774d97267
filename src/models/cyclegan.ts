// CycleGAN: Zhu, Park, Isola & Efros, "Unpaired Image-to-Image Translation using Cycle-Consistent
// Adversarial Networks", ICCV 2017.
// Two generators, G_AB: A -> B and G_BA: B -> A, and two discriminators, D_A (real A vs G_BA(B))
// and D_B (real B vs G_AB(A)), trained on unpaired batches of A and B.
// G (ResNet, Johnson et al. 2016): reflection pad 3, 7x7 conv; two 3x3 stride-2 downsamplings;
// n residual blocks (reflection pad 1, 3x3 conv, norm, ReLU, pad, conv, norm, plus the input); two
// 3x3 stride-2 transposed convolutions; reflection pad 3, 7x7 conv, tanh. Instance norm throughout.
// D: a 70x70 PatchGAN (4x4 convolutions, LeakyReLU 0.2, instance norm), scaled down for small images.
// Losses: least squares (D: 0.5 [(D(real) - 1)^2 + D(fake)^2]; G: (D(G(x)) - 1)^2), cycle
// consistency lambda |G_BA(G_AB(a)) - a|_1 + lambda |G_AB(G_BA(b)) - b|_1 with lambda = 10, identity
// 0.5 lambda (|G_AB(b) - b|_1 + |G_BA(a) - a|_1). D sees fakes through a history pool of 50 images
// per domain (Shrivastava et al. 2017): half the time an older fake replaces the new one.
// Reference defaults: ngf = ndf = 64, 9 blocks at 256x256 (6 at 128), batch 1, Adam lr 2e-4,
// beta1 0.5, lr constant for 100 epochs then linearly to 0 over 100 more.
// tsgan's differences: the PatchGAN has 2 strided layers at 64x64 and 1 below (as pix2pix here);
// the presets' `lrSchedule: 'linear'` with `lrDecayStart: 0.5` is the reference's constant half
// then linear decay, over the run's steps instead of epochs.
// Each discriminator has its own Adam (the reference steps one Adam over both: the same update,
// since Adam's moments are per weight).
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { z } from 'zod';

import { InstanceNorm } from '../nn/instance_norm.js';
import { ReflectionPad2D } from '../nn/reflection_pad.js';
import type { Rng } from '../train/rng.js';
import { TranslationModel } from './translation_base.js';
import type { GANModel, LossPhase, LossSpec, ModelState, Networks, StepContext } from './types.js';
import { applyLayer as apply, parseModelOptions } from './model_options.js';

export const CycleGANOptionsSchema = z
  .object({
    /** Image side (square; a multiple of 4, at least 16). */
    resolution: z.number().int().default(64),
    /** Channels of domain A's images. */
    channelsA: z.number().int().min(1).max(4).default(3),
    /** Channels of domain B's images. */
    channelsB: z.number().int().min(1).max(4).default(3),
    /** Generators' first width (ngf). */
    widthG: z.number().int().min(1).default(64),
    /** Discriminators' first width (ndf). */
    widthD: z.number().int().min(1).default(64),
    /** Residual blocks in each generator (reference: 6 at 128x128, 9 at 256x256). */
    blocks: z.number().int().min(0).default(6),
    /** Strided PatchGAN layers (0: 3 at >= 128, 2 at 64, 1 below). */
    dLayers: z.number().int().min(0).max(5).default(0),
    /** Cycle-consistency weight (lambda). */
    cycleWeight: z.number().min(0).default(10),
    /** Identity weight, as a fraction of lambda (reference 0.5). */
    identityWeight: z.number().min(0).default(0.5),
    /** Images kept per domain in the history pool D trains on (0: D sees only the newest fakes). */
    poolSize: z.number().int().min(0).default(50),
  })
  .strict();
export type CycleGANOptions = z.infer<typeof CycleGANOptionsSchema>;

/**
 * The history pool: up to `size` earlier fakes. For each new fake, while the pool fills, the fake is
 * stored and used; afterwards, with probability 1/2 a stored fake is used in its place (and the new
 * one stored there), otherwise the new fake is used. Host memory; checkpointed with the model.
 */
export class ImagePool {
  images: Float32Array[] = [];
  constructor(
    readonly size: number,
    readonly shape: number[],
  ) {}

  /** The batch D trains on, from a batch of new fakes [N, ...shape]. */
  query(fakes: tf.Tensor, rng: Rng): tf.Tensor {
    if (this.size === 0) return fakes.clone();
    const n = fakes.shape[0]!;
    const per = this.shape.reduce((a, b) => a * b, 1);
    const data = fakes.dataSync() as Float32Array;
    const out = new Float32Array(n * per);
    for (let i = 0; i < n; i++) {
      const img = data.slice(i * per, (i + 1) * per);
      if (this.images.length < this.size) {
        this.images.push(img);
        out.set(img, i * per);
      } else if (rng.uniform() < 0.5) {
        const j = Math.min(this.size - 1, Math.floor(rng.uniform() * this.size));
        out.set(this.images[j]!, i * per);
        this.images[j] = img;
      } else out.set(img, i * per);
    }
    return tf.tensor(out, fakes.shape);
  }
}

export class CycleGAN extends TranslationModel implements GANModel {
  readonly family = 'cyclegan';
  readonly paper = 'Zhu et al. 2017, Unpaired Image-to-Image Translation using Cycle-Consistent Adversarial Networks';
  readonly options: CycleGANOptions;
  readonly networks: Networks;
  readonly generatorName = 'G_AB';
  readonly generatorNames = ['G_AB', 'G_BA'];
  readonly outputShape: number[];
  /** The batch fields: one image of each domain, drawn independently (unpaired). */
  readonly batchFields = ['A', 'B'];
  /** Image sides inference pads to (two stride-2 downsamplings). */
  readonly sizeMultiple = 4;
  readonly pools: { A: ImagePool; B: ImagePool };

  constructor(options: Partial<CycleGANOptions> = {}) {
    super();
    const o = parseModelOptions('cyclegan', CycleGANOptionsSchema, options);
    if (o.resolution < 16 || o.resolution % 4 !== 0)
      throw new Error(`cyclegan: resolution must be a multiple of 4 from 16 up, got ${o.resolution}`);
    if (o.dLayers === 0) o.dLayers = o.resolution >= 128 ? 3 : o.resolution >= 64 ? 2 : 1;
    this.options = o;
    this.outputShape = [o.resolution, o.resolution, o.channelsB];
    this.pools = {
      A: new ImagePool(o.poolSize, [o.resolution, o.resolution, o.channelsA]),
      B: new ImagePool(o.poolSize, [o.resolution, o.resolution, o.channelsB]),
    };
    this.networks = {};
    for (const n of ['G_AB', 'G_BA', 'D_A', 'D_B']) this.networks[n] = this.buildNetwork(n);
  }

  buildNetwork(name: string): tfl.LayersModel {
    const o = this.options;
    if (name === 'G_AB') return this.buildGenerator(o.channelsA, o.channelsB, name);
    if (name === 'G_BA') return this.buildGenerator(o.channelsB, o.channelsA, name);
    if (name === 'D_A') return this.buildDiscriminator(o.channelsA, name);
    if (name === 'D_B') return this.buildDiscriminator(o.channelsB, name);
    throw new Error(`cyclegan has networks G_AB, G_BA, D_A and D_B, not '${name}'`);
  }

  /** A generator with the trained one's layers for images of any size (a multiple of 4). */
  generatorForAnySize(name: string): tfl.LayersModel {
    const o = this.options;
    if (name === 'G_AB') return this.buildGenerator(o.channelsA, o.channelsB, name, true);
    if (name === 'G_BA') return this.buildGenerator(o.channelsB, o.channelsA, name, true);
    throw new Error(`cyclegan's generators are G_AB and G_BA, not '${name}'`);
  }

  private buildGenerator(cin: number, cout: number, name: string, anySize = false): tfl.LayersModel {
    const o = this.options;
    const s = o.resolution;
    const x = tfl.input({ shape: anySize ? [null, null, cin] : [s, s, cin] }); // [N, S, S, Cin]
    const convNormRelu = (
      h: tfl.SymbolicTensor,
      filters: number,
      k: number,
      strides = 1,
      pad: 'same' | 'valid' = 'same',
    ) => {
      h = apply(tfl.layers.conv2d({ filters, kernelSize: k, strides, padding: pad, useBias: true }), h);
      h = apply(new InstanceNorm(), h);
      return apply(tfl.layers.reLU(), h);
    };
    let h = apply(new ReflectionPad2D({ padding: 3 }), x); // [N, S+6, S+6, Cin]
    h = convNormRelu(h, o.widthG, 7, 1, 'valid'); // [N, S, S, ngf]
    h = convNormRelu(h, o.widthG * 2, 3, 2); // [N, S/2, S/2, 2 ngf]
    h = convNormRelu(h, o.widthG * 4, 3, 2); // [N, S/4, S/4, 4 ngf]
    for (let b = 0; b < o.blocks; b++) {
      let r = apply(new ReflectionPad2D({ padding: 1 }), h);
      r = convNormRelu(r, o.widthG * 4, 3, 1, 'valid');
      r = apply(new ReflectionPad2D({ padding: 1 }), r);
      r = apply(tfl.layers.conv2d({ filters: o.widthG * 4, kernelSize: 3, padding: 'valid' }), r);
      r = apply(new InstanceNorm(), r);
      h = apply(tfl.layers.add(), [h, r]); // [N, S/4, S/4, 4 ngf]
    }
    for (const f of [o.widthG * 2, o.widthG]) {
      h = apply(tfl.layers.conv2dTranspose({ filters: f, kernelSize: 3, strides: 2, padding: 'same' }), h);
      h = apply(new InstanceNorm(), h);
      h = apply(tfl.layers.reLU(), h);
    } // [N, S, S, ngf]
    h = apply(new ReflectionPad2D({ padding: 3 }), h);
    const y = apply(tfl.layers.conv2d({ filters: cout, kernelSize: 7, padding: 'valid', activation: 'tanh' }), h); // [N, S, S, Cout]
    return tfl.model({ inputs: x, outputs: y, name });
  }

  private buildDiscriminator(c: number, name: string): tfl.LayersModel {
    const o = this.options;
    const x = tfl.input({ shape: [o.resolution, o.resolution, c] }); // [N, S, S, C]
    const width = (i: number) => o.widthD * Math.min(2 ** i, 8);
    let h = x;
    for (let i = 0; i < o.dLayers; i++) {
      h = apply(tfl.layers.conv2d({ filters: width(i), kernelSize: 4, strides: 2, padding: 'same' }), h);
      if (i > 0) h = apply(new InstanceNorm(), h);
      h = apply(tfl.layers.leakyReLU({ alpha: 0.2 }), h);
    }
    h = apply(tfl.layers.conv2d({ filters: width(o.dLayers), kernelSize: 4, padding: 'same' }), h);
    h = apply(new InstanceNorm(), h);
    h = apply(tfl.layers.leakyReLU({ alpha: 0.2 }), h);
    const logits = apply(tfl.layers.conv2d({ filters: 1, kernelSize: 4, padding: 'same' }), h); // [N, P, P, 1]
    return tfl.model({ inputs: x, outputs: logits, name });
  }

  /** Translates A -> B ('AtoB', default) or B -> A. */
  translate(
    x: tf.Tensor4D,
    opts: { training?: boolean; generator?: tfl.LayersModel; direction?: string } = {},
  ): tf.Tensor4D {
    const g = opts.generator ?? this.networks[opts.direction === 'BtoA' ? 'G_BA' : 'G_AB']!;
    return g.apply(x, { training: opts.training ?? false }) as tf.Tensor4D;
  }

  phases(_spec: LossSpec): LossPhase[] {
    const o = this.options;
    if (o.identityWeight > 0 && o.channelsA !== o.channelsB)
      throw new Error(
        `cyclegan: the identity loss feeds B's images to G_AB, so both domains need the same channels (A has ${o.channelsA}, B has ${o.channelsB}); set the model option identityWeight to 0`,
      );
    const n = this.networks;
    const field = (ctx: StepContext, name: string) => {
      const t = ctx.batch[name];
      if (!t) throw new Error(`cyclegan reads the batch field '${name}'; the dataset does not provide it`);
      return t as tf.Tensor4D;
    };
    const l1 = (a: tf.Tensor, b: tf.Tensor) => tf.mean(tf.abs(tf.sub(a, b))) as tf.Scalar;
    const mse = (a: tf.Tensor, target: number) => tf.mean(tf.square(tf.sub(a, target))) as tf.Scalar;
    const run = (net: string, x: tf.Tensor) => n[net]!.apply(x, { training: true }) as tf.Tensor;
    const dPhase = (d: 'D_A' | 'D_B'): LossPhase => ({
      name: d,
      updates: [d],
      optimizer: d,
      batch: 'step',
      reads: ['A', 'B'],
      loss: (ctx) => {
        const domain = d === 'D_A' ? 'A' : 'B';
        const fake = ctx.stepCache[`pooled_${domain}`];
        if (!fake) throw new Error('cyclegan: the G phase must run before the D phases');
        const real = field(ctx, domain); // [N, S, S, C]
        // One call on the real and the pooled images together (instance norm is per image).
        const out = run(d, tf.concat([real, fake], 0)); // [2N, P, P, 1]
        const n0 = real.shape[0];
        const realOut = tf.slice(out, 0, n0);
        const fakeOut = tf.slice(out, n0);
        const loss = tf.mul(0.5, tf.add(mse(realOut, 1), mse(fakeOut, 0))) as tf.Scalar;
        return { loss };
      },
    });
    return [
      {
        name: 'G',
        updates: ['G_AB', 'G_BA'],
        optimizer: 'G',
        batch: 'step',
        reads: ['A', 'B'],
        loss: (ctx) => {
          const a = field(ctx, 'A'); // [N, S, S, CA]
          const b = field(ctx, 'B'); // [N, S, S, CB]
          const identity = o.identityWeight > 0;
          // Each generator call takes every image it must translate at once (instance norm is per
          // image, so each slice is exactly that image's translation): three calls instead of six,
          // and one call at batch 3N costs much less than three at N.
          const nA = a.shape[0];
          const nB = b.shape[0];
          const ba = run('G_BA', identity ? tf.concat([b, a], 0) : b); // [nB (+ nA), S, S, CA]
          const fakeA = identity ? tf.slice(ba, 0, nB) : ba; // G_BA(b)
          const ab = run('G_AB', tf.concat(identity ? [a, b, fakeA] : [a, fakeA], 0)); // [nA (+ nB) + nB, S, S, CB]
          const fakeB = tf.slice(ab, 0, nA); // G_AB(a)
          const recB = tf.slice(ab, identity ? nA + nB : nA); // G_AB(G_BA(b))
          const recA = run('G_BA', fakeB); // G_BA(G_AB(a)), [nA, S, S, CA]
          const advAB = mse(run('D_B', fakeB), 1);
          const advBA = mse(run('D_A', fakeA), 1);
          const cycA = l1(recA, a);
          const cycB = l1(recB, b);
          let loss = tf.addN([advAB, advBA, tf.mul(o.cycleWeight, tf.add(cycA, cycB))]);
          const logs: Record<string, tf.Scalar> = { G_adv: tf.add(advAB, advBA), G_cycle: tf.add(cycA, cycB) };
          if (identity) {
            const idtA = tf.slice(ba, nB); // G_BA(a)
            const idtB = tf.slice(ab, nA, nB); // G_AB(b)
            const idt = tf.add(l1(idtB, b), l1(idtA, a)) as tf.Scalar;
            loss = tf.add(loss, tf.mul(o.cycleWeight * o.identityWeight, idt));
            logs.G_identity = idt;
          }
          // The D phases of this step train on these fakes (through the pools), as the reference does.
          ctx.stepCache.pooled_B = tf.keep(this.pools.B.query(fakeB, ctx.rng));
          ctx.stepCache.pooled_A = tf.keep(this.pools.A.query(fakeA, ctx.rng));
          return { loss: loss as tf.Scalar, logs };
        },
      },
      dPhase('D_A'),
      dPhase('D_B'),
    ];
  }

  getState(): ModelState {
    const arrays: ModelState['arrays'] = {};
    for (const d of ['A', 'B'] as const) {
      const p = this.pools[d];
      if (p.images.length) {
        const per = p.shape.reduce((x, y) => x * y, 1);
        const data = new Float32Array(p.images.length * per);
        p.images.forEach((img, i) => {
          data.set(img, i * per);
        });
        arrays[`pool_${d}`] = { shape: [p.images.length, ...p.shape], data };
      }
    }
    return { json: { poolA: this.pools.A.images.length, poolB: this.pools.B.images.length }, arrays };
  }

  setState(state: ModelState): void {
    for (const d of ['A', 'B'] as const) {
      const p = this.pools[d];
      const a = state.arrays[`pool_${d}`];
      const per = p.shape.reduce((x, y) => x * y, 1);
      p.images = [];
      if (!a) continue;
      if (a.shape.slice(1).join(',') !== p.shape.join(','))
        throw new Error(
          `the checkpoint's image pool ${d} holds [${a.shape.slice(1)}] images, this model makes [${p.shape}]`,
        );
      for (let i = 0; i < a.shape[0]!; i++) p.images.push(a.data.slice(i * per, (i + 1) * per));
    }
  }
}
