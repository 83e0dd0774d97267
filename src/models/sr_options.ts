// The srgan family's options from a run's config and its data: input side, scale and channels come
// from the data's input/target fields; options that are not the family's own are refused.
import type { FieldDataset } from '../data/fields.js';
import type { Dataset } from '../data/types.js';
import type { TrainConfig } from '../train/config.js';
import { SRGANOptionsSchema } from './srgan.js';

/** The super-resolution data sources (loaded by src/train/sr_loop.ts). */
export const SR_SOURCES = ['sr-emoji', 'sr-fmnist', 'sr-folder'] as const;

/** srgan's options from the config's model section and the data (input side, scale, channels). */
export function srOptionsFor(config: TrainConfig, ds: Dataset | FieldDataset | null): Record<string, unknown> {
  const own = new Set(Object.keys(SRGANOptionsSchema.shape));
  const opts: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config.model)) {
    if (v === undefined || k === 'family' || k === 'init') continue;
    if (!own.has(k)) throw new Error(`model.${k} does not apply to the srgan model`);
    opts[k] = v;
  }
  if (!ds) return opts;
  if (ds.kind !== 'fields' || !ds.fields.input || !ds.fields.target)
    throw new Error(
      `the srgan model upscales images; ${ds.name} has no low-/high-resolution pairs (use ${SR_SOURCES.join(', ')})`,
    );
  const [h, w, c] = ds.fields.input.shape as [number, number, number];
  const [th, tw, tc] = ds.fields.target.shape as [number, number, number];
  if (h !== w || th !== tw || c !== tc || th % h !== 0)
    throw new Error(
      `${ds.name}: inputs ${h}x${w}x${c} and targets ${th}x${tw}x${tc} are not square images of one scale`,
    );
  const scale = th / h;
  if (opts.scale != null && opts.scale !== scale)
    throw new Error(`model.scale ${String(opts.scale)} does not match the data (${h}x${h} -> ${th}x${th})`);
  return { ...opts, scale, inputSize: h, channels: c };
}
