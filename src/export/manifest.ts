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
  /** What the input means: 'latent' (z), 'label' (class index), 'image' (an image to translate) or other. */
  role: z.string(),
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
  /** Free-form extras: training step, seed, dataset name... */
  extra: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});

export type GeneratorManifest = z.infer<typeof generatorManifestSchema>;
export type GeneratorInputSpec = z.infer<typeof inputSpec>;

/** Validates parsed manifest JSON; errors name the file and each offending field. */
export function parseManifest(json: unknown, file = 'manifest.json'): GeneratorManifest {
  const r = generatorManifestSchema.safeParse(json);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`${file}: invalid tsgan generator manifest:\n${lines.join('\n')}`);
  }
  return r.data;
}
