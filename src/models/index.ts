// Model registry: build a GAN model from its family name and options (what configs and checkpoints store).
import { CGAN, type CGANOptions } from './cgan.js';
import { CycleGAN, type CycleGANOptions } from './cyclegan.js';
import { DCGAN, type DCGANOptions } from './dcgan.js';
import { Pix2Pix, type Pix2PixOptions } from './pix2pix.js';
import type { GANModel } from './types.js';
import { VanillaGAN, type VanillaGANOptions } from './vanilla_gan.js';

export const MODEL_FAMILIES = ['vanilla', 'dcgan', 'cgan', 'pix2pix', 'cyclegan'] as const;
/** Families that translate images (their generators take an image, not a latent). */
export const TRANSLATION_FAMILIES: readonly string[] = ['pix2pix', 'cyclegan'];
export type ModelFamily = (typeof MODEL_FAMILIES)[number];

/** Builds a model of `family` with `options` (unset options take the family's defaults). */
export function createModel(family: string, options: Record<string, unknown> = {}): GANModel {
  switch (family) {
    case 'vanilla':
      return new VanillaGAN(options as Partial<VanillaGANOptions>);
    case 'dcgan':
      return new DCGAN(options as Partial<DCGANOptions>);
    case 'cgan':
      return new CGAN(options as Partial<CGANOptions>);
    case 'pix2pix':
      return new Pix2Pix(options as Partial<Pix2PixOptions>);
    case 'cyclegan':
      return new CycleGAN(options as Partial<CycleGANOptions>);
    default:
      throw new Error(`unknown model family '${family}' (one of ${MODEL_FAMILIES.join(', ')})`);
  }
}

export { VanillaGAN, DCGAN, CGAN, Pix2Pix, CycleGAN };
export type { VanillaGANOptions, DCGANOptions, CGANOptions, Pix2PixOptions, CycleGANOptions };
export type * from './types.js';
