// The latent-to-image families' (vanilla, dcgan, cgan) options from a run's config and its data: the
// data decides the sample shape, the image side, the channels and the number of classes the config
// leaves unset; options of another of these families are refused with a sentence naming it.
import type { FieldDataset } from '../data/fields.js';
import { sampleShape, type Dataset } from '../data/types.js';
import type { TrainConfig } from '../train/config.js';

/** Options of the convolutional families that the MLP (vanilla) model has no use for. */
const CONV_ONLY = [
  'width',
  'widthG',
  'widthD',
  'resolution',
  'channels',
  'batchNormD',
  'batchNormDense',
  'numClasses',
  'embedDim',
  'acgan',
  'infoCategories',
  'refineWidth',
];

/** Model options the data decides when the config leaves them unset (vanilla, dcgan, cgan). */
export function adversarialOptionsFor(config: TrainConfig, ds: Dataset | FieldDataset | null): Record<string, unknown> {
  const { family, init: _init, ...rest } = config.model;
  void _init;
  if (ds?.kind === 'fields')
    throw new Error(
      `the ${family} model trains on images or points; ${ds.name} holds the fields ${Object.keys(ds.fields).join(', ')}`,
    );
  const opts: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) opts[k] = v;
  if (family === 'vanilla') {
    if (ds) opts.dataShape = sampleShape(ds);
    for (const k of CONV_ONLY) if (k in opts) throw new Error(`model.${k} does not apply to the vanilla (MLP) model`);
    return opts;
  }
  if (ds && ds.kind !== 'image')
    throw new Error(`the ${family} model needs image data; ${ds.name} is 2-D points (use model.family vanilla)`);
  if (ds && ds.kind === 'image') {
    if (ds.height !== ds.width)
      throw new Error(`${family}: images must be square, ${ds.name} is ${ds.height}x${ds.width}`);
    if (opts.resolution != null && opts.resolution !== ds.height) {
      throw new Error(
        `model.resolution ${String(opts.resolution)} does not match the data (${ds.height}x${ds.width}); set data.size to resize`,
      );
    }
    opts.resolution ??= ds.height;
    opts.channels ??= ds.channels;
    if (family === 'cgan') {
      if (ds.numClasses < 2) throw new Error(`cgan needs labelled data; ${ds.name} has no class labels`);
      opts.numClasses ??= ds.numClasses;
    }
  }
  for (const k of ['hidden', 'depth', 'pack', 'inputGain'])
    if (k in opts) throw new Error(`model.${k} applies to the vanilla (MLP) model only`);
  if (family === 'dcgan')
    for (const k of ['numClasses', 'embedDim', 'acgan'])
      if (k in opts) throw new Error(`model.${k} applies to the cgan model only`);
  if (family === 'cgan' && 'infoCategories' in opts)
    throw new Error('model.infoCategories applies to the dcgan model only (cgan has class labels)');
  return opts;
}
