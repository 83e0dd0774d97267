// Model registry: build a GAN model from its family name and options (what configs and checkpoints store).
import { CGAN, type CGANOptions } from './cgan.js';
import { DCGAN, type DCGANOptions } from './dcgan.js';
import type { GANModel } from './types.js';
import { VanillaGAN, type VanillaGANOptions } from './vanilla_gan.js';

export const MODEL_FAMILIES = ['vanilla', 'dcgan', 'cgan'] as const;
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
    default:
      throw new Error(`unknown model family '${family}' (one of ${MODEL_FAMILIES.join(', ')})`);
  }
}

export { VanillaGAN, DCGAN, CGAN };
export type { VanillaGANOptions, DCGANOptions, CGANOptions };
export type * from './types.js';
