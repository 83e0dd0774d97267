// manifest.json of an exported generator: what a consumer needs to call it (latent size, classes,
// value range, resolution, inputs) and where it came from (model name, weights sha256, tsgan, and a
// statement that its outputs are synthetic). Validated with zod on load.
import { z } from 'zod';

export const MANIFEST_FORMAT = 'tsgan-generator';
export const MANIFEST_VERSION = 1;

const inputSpec = z.object({
  /** Input layer name. */
  name: z.string(),
  /** Shape with null for the batch dimension. */
  shape: z.array(z.number().int().nullable()),
  dtype: z.string(),
  /**
   * What the input means: 'latent' (z), 'label' (class index), 'image' (an image to translate),
   * 'low-resolution image' (an image to upscale), 'token ids' (a tokenized prompt) or other.
   */
  role: z.string(),
});

const layerRange = z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]);

/** A StyleGAN2 export's two halves and its W space (the page's truncation and style mixing read these). */
const styleganSpec = z.strictObject({
  /** The mapping network (z [N, Z] (+ label [N, 1]) -> w [N, wDim]), relative to the export folder. */
  mapping: z.string(),
  /** The synthesis network (ws [N, numWs, wDim] -> image [N, H, W, C]), relative to the export folder. */
  synthesis: z.string(),
  /** How many w vectors the synthesis takes (one per modulated layer, the toRGBs sharing the next one's). */
  numWs: z.number().int().positive(),
  wDim: z.number().int().positive(),
  /** Running mean of w (truncation's centre): w_avg + psi (w - w_avg). */
  wAvg: z.array(z.number()),
  /** The output side each w index acts at. */
  layerResolutions: z.array(z.number().int().positive()),
  /** Inclusive ranges of w indices: coarse (pose, shape), middle, fine (texture, colour). */
  layers: z.strictObject({ coarse: layerRange, middle: layerRange, fine: layerRange }),
  /** 'const': the synthesis uses the generator's fixed noise images (drawn once from the run's seed). */
  noise: z.literal('const'),
});

export const generatorManifestSchema = z.strictObject({
  format: z.literal(MANIFEST_FORMAT),
  version: z.literal(MANIFEST_VERSION),
  /** Model name (architecture or preset), e.g. 'dcgan'. */
  model: z.string().min(1),
  /** Size of the latent vector z (0: the generator takes an image, not a latent). */
  latentDim: z.number().int().nonnegative(),
  /** 0 for an unconditional generator. */
  numClasses: z.number().int().nonnegative(),
  classNames: z.array(z.string()),
  /** Output value range, e.g. [-1, 1] for tanh. */
  valueRange: z.tuple([z.number(), z.number()]),
  /** Output height and width (square images), 0 for non-image (2-D point) generators; image-to-image: the training side. */
  resolution: z.number().int().nonnegative(),
  /** Image-to-image: the network takes any size whose sides are a multiple of this (pad, then crop back). */
  sizeMultiple: z.number().int().positive().optional(),
  /** Super-resolution: the output is this many times the input's side (input role 'low-resolution image'). */
  scale: z.number().int().positive().optional(),
  /** Text-to-image: the tokenizer (input role 'token ids'): vocabulary (index = id), ids per prompt, policies. */
  text: z
    .strictObject({
      /** vocab[0] '<pad>', vocab[1] '<unk>', then the training captions' words. */
      vocab: z.array(z.string()).min(3),
      /** Ids per prompt (the longest training caption), padded with 0. */
      maxLen: z.number().int().positive(),
      /** How words are split, and what an empty prompt, unknown words and too many words do. */
      policy: z.record(z.string(), z.string()),
    })
    .optional(),
  /** Output channels (1 gray, 3 RGB; 2 coordinates for toy point generators). */
  channels: z.number().int().positive(),
  /** Output shape without the batch dimension. */
  outputShape: z.array(z.number().int()),
  inputs: z.array(inputSpec).min(1),
  /** sha256 (hex) of the weight bytes, in model.json's weightsManifest order. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** sha256 of each weight file, by file name. */
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
  createdBy: z.literal('tsgan'),
  tsganVersion: z.string(),
  createdAt: z.string(),
  /** Always true: everything this generator outputs is synthetic. */
  synthetic: z.literal(true),
  notice: z.string(),
  /** StyleGAN2 exports: the mapping and synthesis models beside model.json (which maps z to images). */
  stylegan: styleganSpec.optional(),
  /** Free-form extras: training step, seed, dataset name... */
  extra: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});

export type GeneratorManifest = z.infer<typeof generatorManifestSchema>;
export type GeneratorInputSpec = z.infer<typeof inputSpec>;
export type StyleganManifest = z.infer<typeof styleganSpec>;

/** Validates parsed manifest JSON; errors name the file and each offending field. */
export function parseManifest(json: unknown, file = 'manifest.json'): GeneratorManifest {
  const r = generatorManifestSchema.safeParse(json);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${file}: invalid tsgan generator manifest:\n${lines.join('\n')}`);
  }
  return r.data;
}
