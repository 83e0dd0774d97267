// The text2image family's data sources and its options from a run's config and data: the image side
// and channels come from the data's image field, the vocabulary and caption length from the
// tokenizer of its training captions; options that are not the family's own are refused.
import type { CaptionedDataset } from '../data/captioned.js';
import type { FieldDataset } from '../data/fields.js';
import type { Dataset } from '../data/types.js';
import type { TrainConfig } from '../train/config.js';
import { Text2ImageOptionsSchema } from './text2image.js';

/** The captioned data sources (loaded by src/train/text2image_loop.ts). */
export const T2I_SOURCES = ['shapes-text', 'emoji-text'] as const;

/** text2image's options from the config's model section and the data. */
export function t2iOptionsFor(config: TrainConfig, ds: Dataset | FieldDataset | null): Record<string, unknown> {
  const own = new Set(Object.keys(Text2ImageOptionsSchema.shape));
  const opts: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config.model)) {
    if (v === undefined || k === 'family' || k === 'init') continue;
    if (!own.has(k)) throw new Error(`model.${k} does not apply to the text2image model`);
    opts[k] = v;
  }
  if (!ds) return opts;
  const tok = (ds as Partial<CaptionedDataset>).tokenizer;
  if (ds.kind !== 'fields' || !ds.fields.image || !ds.fields.text || !tok)
    throw new Error(
      `the text2image model trains on captioned images; ${ds.name} has no captions (use ${T2I_SOURCES.join(', ')})`,
    );
  const [h, w, c] = ds.fields.image.shape as [number, number, number];
  if (h !== w) throw new Error(`${ds.name}: images must be square, got ${h}x${w}`);
  if (opts.resolution != null && opts.resolution !== h)
    throw new Error(`model.resolution ${String(opts.resolution)} does not match the data (${h}x${h}); set data.size`);
  return { ...opts, resolution: h, channels: c, vocab: tok.vocab, maxLen: tok.maxLen };
}
