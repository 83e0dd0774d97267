// The image-to-image families' (pix2pix, cyclegan) options from a run's config and its data: image
// side and channels come from the data's fields; options that are not the family's own are refused.
import type { FieldDataset } from '../data/fields.js';
import type { Dataset } from '../data/types.js';
import type { TrainConfig } from '../train/config.js';
import { CycleGANOptionsSchema } from './cyclegan.js';
import { Pix2PixOptionsSchema } from './pix2pix.js';

/** pix2pix's or cyclegan's options from the config, with the image sizes and channels taken from the data. */
export function translationOptionsFor(config: TrainConfig, ds: Dataset | FieldDataset | null): Record<string, unknown> {
  const family = config.model.family;
  if (ds && ds.kind !== 'fields')
    throw new Error(`the ${family} model translates images; ${ds.name} is not image-to-image data`);
  const schema = family === 'pix2pix' ? Pix2PixOptionsSchema : CycleGANOptionsSchema;
  const own = new Set(Object.keys(schema.shape));
  const opts: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config.model)) {
    if (v === undefined || k === 'family' || k === 'init') continue;
    if (!own.has(k)) throw new Error(`model.${k} does not apply to the ${family} model`);
    opts[k] = v;
  }
  if (ds) {
    const fields = family === 'pix2pix' ? ['input', 'target'] : ['A', 'B'];
    for (const f of fields)
      if (!ds.fields[f])
        throw new Error(
          `the ${family} model trains on ${fields.join(' and ')} images; ${ds.name} has ${Object.keys(ds.fields).join(', ')}` +
            (family === 'pix2pix' ? ' (for two unpaired domains use cyclegan)' : ' (for pairs use pix2pix)'),
        );
    const [a, b] = fields.map((f) => ds.fields[f]!.shape);
    if (a![0] !== a![1] || b![0] !== b![1] || a![0] !== b![0])
      throw new Error(`${ds.name}: images must be square and the same size in both fields`);
    if (opts.resolution != null && opts.resolution !== a![0])
      throw new Error(
        `model.resolution ${String(opts.resolution)} does not match the data (${a![0]}x${a![0]}); set data.size`,
      );
    opts.resolution = a![0];
    if (family === 'pix2pix') {
      opts.inputChannels = a![2];
      opts.outputChannels = b![2];
    } else {
      opts.channelsA = a![2];
      opts.channelsB = b![2];
    }
  }
  return opts;
}
