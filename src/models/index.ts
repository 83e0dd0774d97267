// Models: build a GAN model from its family name and options (what configs and checkpoints store),
// through the one list of families in ./registry.ts.
import { CGAN, type CGANOptions } from './cgan.js';
import { CycleGAN, type CycleGANOptions } from './cyclegan.js';
import { DCGAN, type DCGANOptions } from './dcgan.js';
import { Pix2Pix, type Pix2PixOptions } from './pix2pix.js';
import { FAMILY_NAMES, familiesTaking, familyOf } from './registry.js';
import type { GANModel } from './types.js';
import { VanillaGAN, type VanillaGANOptions } from './vanilla_gan.js';

/** Every model family's name (src/models/registry.ts). */
export const MODEL_FAMILIES: readonly string[] = FAMILY_NAMES;
/** Families that translate images (their generators take an image, not a latent). */
export const TRANSLATION_FAMILIES: readonly string[] = familiesTaking('image');

/** Builds a model of `family` with `options` (unset options take the family's defaults). */
export function createModel(family: string, options: Record<string, unknown> = {}): GANModel {
  return familyOf(family).create(options);
}

export { FAMILIES, familyOf, type ModelFamily } from './registry.js';
export { VanillaGAN, DCGAN, CGAN, Pix2Pix, CycleGAN };
export type { VanillaGANOptions, DCGANOptions, CGANOptions, Pix2PixOptions, CycleGANOptions };
export type * from './types.js';
