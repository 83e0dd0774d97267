// The mocogan family's options from a run's config and its data: frame side, channels and clip
// length come from the data's `clip` field; options that are not the family's own are refused.
import type { FieldDataset } from '../data/fields.js';
import type { Dataset } from '../data/types.js';
import type { TrainConfig } from '../train/config.js';
import { MoCoGANOptionsSchema } from './mocogan.js';

/** The video data sources (loaded by src/train/video_loop.ts). */
export const VIDEO_SOURCES = ['moving-shapes', 'moving-fmnist'] as const;

/** mocogan's options from the config's model section and the data (frame side, channels, frames). */
export function mocoganOptionsFor(config: TrainConfig, ds: Dataset | FieldDataset | null): Record<string, unknown> {
  const own = new Set(Object.keys(MoCoGANOptionsSchema.shape));
  const opts: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(config.model)) {
    if (v === undefined || k === 'family' || k === 'init') continue;
    if (!own.has(k)) throw new Error(`model.${k} does not apply to the mocogan model`);
    opts[k] = v;
  }
  if (!ds) return opts;
  const clip = ds.kind === 'fields' ? ds.fields.clip : undefined;
  if (!clip || clip.shape.length !== 4)
    throw new Error(
      `the mocogan model generates video clips; ${ds.name} has no clips (use ${VIDEO_SOURCES.join(', ')})`,
    );
  const [t, h, w, c] = clip.shape as [number, number, number, number];
  if (h !== w) throw new Error(`mocogan: frames must be square, ${ds.name} has ${h}x${w} frames`);
  for (const [k, v] of [
    ['resolution', h],
    ['channels', c],
    ['frames', t],
  ] as const)
    if (opts[k] != null && opts[k] !== v)
      throw new Error(`model.${k} ${String(opts[k])} does not match the data (${t} frames of ${h}x${w}x${c})`);
  return { ...opts, resolution: h, channels: c, frames: t };
}
