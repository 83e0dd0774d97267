// `tsgan export` of a text-to-image run (text2image, GAN-INT-CLS): the text encoder T and the
// generator G joined into one TF.js layers model, prompt generator: [z [N, Z], word ids [N, maxLen]
// (int32)] -> images [N, H, W, C] (T's sentence embedding feeds G inside; with StackGAN's
// conditioning augmentation, c = mu as at inference: its noise input is an exact zero made from z by
// a zero-weight dense layer). The manifest carries the tokenizer (vocabulary, ids per prompt and the
// policies of src/text/tokenizer.ts), and the web page (web_text2image.ts) tokenizes a prompt with
// that same code (bundled in tsgan-layers.js) and draws its images, the latents of seeds as
// `tsgan generate` draws them. The ONNX export (onnx/text2image.ts) writes the same joined model.
import * as tfl from '@tensorflow/tfjs-layers';

import { checkExportTarget, type ExportOptions, exportGenerator } from './generator_io.js';
import type { GeneratorManifest } from './manifest.js';
import type { Text2Image } from '../models/text2image.js';
import { openPromptGenerator } from '../text/generate.js';
import { copyWeights } from '../train/trainer.js';

/** The role of the word-id input in the manifest. */
export const TOKEN_IDS_ROLE = 'token ids';

/** The tokenizer's policies, as the manifest states them (src/text/tokenizer.ts implements them). */
export const TOKENIZER_POLICY: Record<string, string> = {
  words:
    "lowercased (NFKC), split on anything that is not a letter, a digit, an apostrophe or a hyphen; apostrophes and hyphens at a word's ends dropped",
  ids: '0 is padding (<pad>), 1 is <unk> (never produced), words from 2 in vocab order; a prompt is exactly maxLen ids: its known words in order, then 0',
  empty: 'a prompt with no words is an error: the prompt is empty',
  unknownWords: 'words outside the vocabulary are dropped, with a warning naming the closest known word',
  onlyUnknownWords: 'a prompt of only unknown words is an error naming them',
  tooLong: 'a prompt with more known words than maxLen is an error (shorten it)',
};

/**
 * T and G joined: inputs z [N, Z] and ids [N, maxLen] (int32), output images [N, H, W, C]. Fresh
 * copies of both networks (each layer applied once, as the ONNX walk needs) with `g`'s and T's weights.
 */
export function promptGeneratorModel(model: Text2Image, g: tfl.LayersModel): tfl.LayersModel {
  const o = model.options;
  const T = model.buildNetwork('T');
  copyWeights(model.networks.T!, T);
  const G = model.buildNetwork('G');
  copyWeights(g, G);
  const z = tfl.input({ shape: [o.latentDim], name: 'z' }); // [N, Z]
  const ids = tfl.input({ shape: [o.maxLen], dtype: 'int32', name: 'ids' }); // [N, L]
  const e = T.apply(ids) as tfl.SymbolicTensor; // [N, E], unit length
  let img: tfl.SymbolicTensor;
  if (o.condAugment) {
    // c = mu + sigma * eps at training; at inference eps = 0 (c = mu): a zero-weight dense of z gives
    // an exact [N, condDim] zero, and G's image output alone is kept.
    const eps = tfl.layers
      .dense({ units: o.condDim, useBias: false, kernelInitializer: 'zeros', trainable: false, name: 'eps_zero' })
      .apply(z) as tfl.SymbolicTensor; // [N, C], all 0
    const gImage = tfl.model({ inputs: G.inputs, outputs: G.outputs[0]!, name: 'G_image' });
    img = gImage.apply([z, e, eps]) as tfl.SymbolicTensor; // [N, H, W, C]
  } else img = G.apply([z, e]) as tfl.SymbolicTensor; // [N, H, W, C]
  return tfl.model({ inputs: [z, ids], outputs: img, name: 'text2image_prompt_generator' });
}

/** The manifest's tokenizer section for a model. */
export function manifestText(model: Text2Image): NonNullable<GeneratorManifest['text']> {
  return { vocab: [...model.tokenizer.vocab], maxLen: model.tokenizer.maxLen, policy: TOKENIZER_POLICY };
}

export interface Text2ImageExportOptions extends ExportOptions {
  /** The raw generator, not its EMA copy. */
  raw?: boolean;
  warn?: (m: string) => void;
}

/** Exports a text-to-image run or checkpoint (T and G joined, the tokenizer in the manifest) to `dir`. */
export async function exportPromptGenerator(
  source: string,
  dir: string,
  o: Text2ImageExportOptions = {},
): Promise<GeneratorManifest> {
  checkExportTarget(dir); // before loading anything
  const pg = openPromptGenerator(source, { useEma: !o.raw, warn: o.warn });
  const joined = promptGeneratorModel(pg.model, pg.generator);
  try {
    const m = pg.model;
    return await exportGenerator(
      joined,
      dir,
      {
        model: 'text2image',
        latentDim: m.latentDim,
        valueRange: m.valueRange,
        resolution: m.options.resolution,
        channels: m.options.channels,
        inputRoles: ['latent', TOKEN_IDS_ROLE],
        text: manifestText(m),
        extra: {
          step: pg.step,
          embedDim: m.options.embedDim,
          condAugment: m.options.condAugment,
          latents: 'image i of a prompt: the latent of seed + i (the Rng of src/train/rng.ts, as tsgan generate)',
        },
      },
      { webDemo: o.webDemo, quantize: o.quantize },
    );
  } finally {
    joined.dispose();
    pg.dispose();
  }
}
