// The one registration list of model families. A GAN family is its model file
// (src/models/<family>.ts, a GANModel: networks, phases, state), its layers (src/nn/), and one entry
// here. Everything else reads the entry:
// - the config (src/train/config.ts): `model.family` is one of these names; the model section accepts
//   the keys of a family's `options` schema for that family only (unknown keys get "did you mean");
//   `data.source` accepts the names in `dataSources`;
// - the trainer: `optionsFor` turns the config's model section and the data into the model's options
//   (the data decides image side, channels, classes; a sentence when the data does not fit), and
//   `create` builds the model (also from a checkpoint's stored family and options);
// - the run (src/train/family_run.ts): a family with `hooks` loads its own data sources and writes its
//   own sample grid and periodic evaluation; without hooks the run is the image/points loop (fixed
//   latents, grids, FID);
// - inference: `input` says what a generator takes ('latent': z, plus a class label for conditional
//   models; 'image': image-to-image, run by `tsgan translate`), so `sample`, `translate`, `export`
//   and `eval` refuse what does not fit with a sentence.
import type { z } from 'zod';

import type { FieldDataset } from '../data/fields.js';
import { TRANSLATION_SOURCES } from '../data/translation_sources.js';
import type { Dataset } from '../data/types.js';
import type { TrainConfig } from '../train/config.js';
import type { FamilyHooks } from '../train/family_run.js';
import { adversarialOptionsFor } from './adversarial_options.js';
import { CGAN, type CGANOptions } from './cgan.js';
import { CycleGAN, type CycleGANOptions, CycleGANOptionsSchema } from './cyclegan.js';
import { DCGAN, type DCGANOptions } from './dcgan.js';
import { MoCoGAN, type MoCoGANOptions, MoCoGANOptionsSchema } from './mocogan.js';
import { mocoganOptionsFor, VIDEO_SOURCES } from './mocogan_options.js';
import { Pix2Pix, type Pix2PixOptions, Pix2PixOptionsSchema } from './pix2pix.js';
import { StyleGAN2, type StyleGAN2Options, StyleGAN2OptionsSchema, styleganOptionsFor } from './stylegan2.js';
import { translationOptionsFor } from './translation_options.js';
import type { GANModel } from './types.js';
import { SR_SOURCES, srOptionsFor } from './sr_options.js';
import { SRGAN, type SRGANOptions, SRGANOptionsSchema } from './srgan.js';
import { Text2Image, type Text2ImageOptions, Text2ImageOptionsSchema } from './text2image.js';
import { T2I_SOURCES, t2iOptionsFor } from './text2image_options.js';
import { VanillaGAN, type VanillaGANOptions, VanillaOptionsSchema } from './vanilla_gan.js';

/** One model family: what the config, the trainer, the run and inference need to know about it. */
export interface ModelFamily {
  /** The config's `model.family`, stored in checkpoints. */
  readonly name: string;
  /** One line: the paper and what the family does (`tsgan info`, errors). */
  readonly summary: string;
  /** What the generator takes: 'latent' (z, and a label for conditional models) or 'image' (image-to-image). */
  readonly input: 'latent' | 'image' | (string & {});
  /** The family's own model options (zod object, defaults and a comment per key); accepted for this family only. */
  readonly options?: z.ZodObject;
  /** Data sources (`data.source` values) this family brings and loads through its hooks. */
  readonly dataSources?: readonly string[];
  /** What to train with a source of this family, in the sentence "train it with model.family NAME (USE)". */
  readonly useFor?: string;
  /** The kind of task its sources are, for sentences ("an image-to-image task"). */
  readonly task?: string;
  /**
   * How a trained model of a family that does not map latents to images is used: `does` completes
   * "RUN holds a NAME model, which ...", `command` is what to run instead (sample, export and eval say both).
   */
  readonly usage?: { does: string; command: string };
  /** The model's options from the config's model section and the data (null: from a config alone). */
  optionsFor(config: TrainConfig, ds: Dataset | FieldDataset | null): Record<string, unknown>;
  /** Builds the model from resolved options (unset ones take the family's defaults). */
  create(options: Record<string, unknown>): GANModel;
  /** The family's run hooks (its data, sample grid, periodic evaluation), loaded when a run needs them. */
  hooks?: () => Promise<FamilyHooks>;
}

const srHooks = async (): Promise<FamilyHooks> => (await import('../train/sr_loop.js')).hooks;
const translationHooks = async (): Promise<FamilyHooks> => (await import('../train/translation_loop.js')).hooks;
const t2iHooks = async (): Promise<FamilyHooks> => (await import('../train/text2image_loop.js')).hooks;
const videoHooks = async (): Promise<FamilyHooks> => (await import('../train/video_loop.js')).hooks;

/** The families, in the order `tsgan info` lists them. */
export const FAMILIES: readonly ModelFamily[] = [
  {
    name: 'vanilla',
    summary: 'Goodfellow et al. 2014: MLP generator and discriminator, for 2-D toys and small images',
    input: 'latent',
    options: VanillaOptionsSchema,
    optionsFor: adversarialOptionsFor,
    create: (o) => new VanillaGAN(o as Partial<VanillaGANOptions>),
  },
  {
    name: 'dcgan',
    summary: 'Radford et al. 2015: convolutional generator and discriminator (InfoGAN code optional)',
    input: 'latent',
    optionsFor: adversarialOptionsFor,
    create: (o) => new DCGAN(o as Partial<DCGANOptions>),
  },
  {
    name: 'cgan',
    summary: 'Mirza & Osindero 2014 / Miyato & Koyama 2018: class-conditional DCGAN (projection or ACGAN)',
    input: 'latent',
    optionsFor: adversarialOptionsFor,
    create: (o) => new CGAN(o as Partial<CGANOptions>),
  },
  {
    name: 'pix2pix',
    summary: 'Isola et al. 2017: paired image-to-image translation (U-Net G, PatchGAN D, L1)',
    input: 'image',
    options: Pix2PixOptionsSchema,
    dataSources: TRANSLATION_SOURCES,
    useFor: 'pairs',
    task: 'image-to-image',
    usage: {
      does: 'translates images instead of generating them from latents',
      command: 'tsgan translate RUN INPUT... -o DIR (and tsgan bench translation-quality RUN to score it)',
    },
    optionsFor: translationOptionsFor,
    create: (o) => new Pix2Pix(o as Partial<Pix2PixOptions>),
    hooks: translationHooks,
  },
  {
    name: 'cyclegan',
    summary: 'Zhu et al. 2017: unpaired image-to-image translation (two generators, cycle consistency)',
    input: 'image',
    options: CycleGANOptionsSchema,
    dataSources: TRANSLATION_SOURCES,
    useFor: 'two domains',
    task: 'image-to-image',
    usage: {
      does: 'translates images instead of generating them from latents',
      command: 'tsgan translate RUN INPUT... -o DIR (and tsgan bench translation-quality RUN to score it)',
    },
    optionsFor: translationOptionsFor,
    create: (o) => new CycleGAN(o as Partial<CycleGANOptions>),
    hooks: translationHooks,
  },
  {
    name: 'mocogan',
    summary:
      'Tulyakov et al. 2018: video clips from a content code and GRU motion codes, image and (2+1)-D video discriminators',
    input: 'video', // latents to clips [N, T, H, W, C]: tsgan sample RUN --video
    options: MoCoGANOptionsSchema,
    dataSources: VIDEO_SOURCES,
    useFor: 'video clips',
    task: 'video',
    usage: {
      does: 'generates video clips, not images',
      command: 'tsgan sample RUN --video -o clips.gif, and tsgan bench video-quality RUN to score it',
    },
    optionsFor: mocoganOptionsFor,
    create: (o) => new MoCoGAN(o as Partial<MoCoGANOptions>),
    hooks: videoHooks,
  },
  {
    name: 'stylegan2',
    summary: 'Karras et al. 2020: mapping network, modulated convolutions, noise, skip G, residual D, lazy R1',
    input: 'latent',
    options: StyleGAN2OptionsSchema,
    optionsFor: styleganOptionsFor,
    create: (o) => new StyleGAN2(o as Partial<StyleGAN2Options>),
  },
  {
    name: 'srgan',
    summary: 'Ledig et al. 2017: super-resolution x2/x4, SRResNet (content loss) or SRGAN; ESRGAN options (Wang 2018)',
    input: 'low-resolution image', // run by tsgan upscale (not translate: its output is larger than its input)
    options: SRGANOptionsSchema,
    dataSources: SR_SOURCES,
    useFor: 'super-resolution',
    task: 'super-resolution',
    usage: {
      does: 'upscales images instead of generating them from latents',
      command: 'tsgan upscale RUN INPUT... -o DIR (and tsgan eval RUN to score it)',
    },
    optionsFor: srOptionsFor,
    create: (o) => new SRGAN(o as Partial<SRGANOptions>),
    hooks: srHooks,
  },
  {
    name: 'text2image',
    summary: 'Reed et al. 2016 (GAN-INT-CLS): images from captions, matching-aware D, own contrastive text encoder',
    input: 'text', // run by tsgan generate RUN --prompt "..."
    options: Text2ImageOptionsSchema,
    dataSources: T2I_SOURCES,
    useFor: 'captioned images',
    task: 'text-to-image',
    usage: { does: 'draws from prompts', command: 'tsgan generate RUN --prompt "a large blue square" -o grid.png' },
    optionsFor: t2iOptionsFor,
    create: (o) => new Text2Image(o as Partial<Text2ImageOptions>),
    hooks: t2iHooks,
  },
];

/** The sentence for a model of `family` used where a latent-to-image generator is needed (null: it is one). */
export function notALatentGenerator(where: string, family: string): string | null {
  const f = FAMILIES.find((x) => x.name === family);
  if (!f?.usage) return null;
  const what = f.task && f.task !== f.name ? `${f.task} (${f.name})` : f.name;
  return `${where} holds a${/^[aeiou]/i.test(what) ? 'n' : ''} ${what} model, which ${f.usage.does}: use ${f.usage.command.replace(/\bRUN\b/, where)}`;
}

/** Every family's name. */
export const FAMILY_NAMES: readonly string[] = FAMILIES.map((f) => f.name);

/** The family named `name`; a sentence listing the known ones otherwise. */
export function familyOf(name: string): ModelFamily {
  const f = FAMILIES.find((x) => x.name === name);
  if (!f) throw new Error(`unknown model family '${name}' (one of ${FAMILY_NAMES.join(', ')})`);
  return f;
}

/** Names of the families whose generator takes `input` ('latent', 'image', ...). */
export function familiesTaking(input: string): string[] {
  return FAMILIES.filter((f) => f.input === input).map((f) => f.name);
}

/** The families that bring data source `source` (empty for the shared sources: fashion-mnist, folder...). */
export function familiesOwningSource(source: string): ModelFamily[] {
  return FAMILIES.filter((f) => f.dataSources?.includes(source));
}

/** The families whose options schema has `key` (empty for keys of the shared model section). */
export function familiesWithOption(key: string): string[] {
  return FAMILIES.filter((f) => f.options && key in f.options.shape).map((f) => f.name);
}
