// Datasets whose samples are sets of named fields, for the model families beyond one image set:
// `{ A, B }` (two image domains, unpaired: CycleGAN), `{ input, target }` (paired: pix2pix),
// later `{ image, text }` and `{ clip }`. A model declares the fields it reads; a phase draws only
// those. Paired datasets index every field together (sample i of `input` belongs to sample i of
// `target`); unpaired ones draw each field on its own.
import { EpochSampler, type EpochSamplerState } from './types.js';

/** One named field: N samples of one shape, stored flat. */
export interface Field {
  /** Per-sample shape, e.g. [H, W, C] for an image or [L] for token ids. */
  shape: number[];
  /** Number of samples of this field. */
  n: number;
  /** [n, ...shape] row-major: images in [-1, 1] (float32), token ids or labels as int32. */
  data: Float32Array | Int32Array;
}

export interface FieldDataset {
  kind: 'fields';
  /** Short name, e.g. 'emoji-twitter-google' or a folder's base name. */
  name: string;
  /** The fields by name. */
  fields: Record<string, Field>;
  /** True when sample i of every field belongs together (all fields have the same n). */
  paired: boolean;
  /** Per-sample names (e.g. emoji names), for paired data; used in evaluation reports. */
  names?: string[];
  /** Per-sample class index and the class names (e.g. emoji categories), when known. */
  labels?: Int32Array;
  classNames?: string[];
}

/** Checks the invariants a FieldDataset promises; throws a sentence naming what is wrong. */
export function checkFieldDataset(ds: FieldDataset): void {
  const names = Object.keys(ds.fields);
  if (names.length === 0) throw new Error(`dataset ${ds.name} has no fields`);
  for (const [name, f] of Object.entries(ds.fields)) {
    const size = f.shape.reduce((a, b) => a * b, 1);
    if (f.n <= 0) throw new Error(`dataset ${ds.name}: field '${name}' is empty`);
    if (f.data.length !== f.n * size)
      throw new Error(`dataset ${ds.name}: field '${name}' holds ${f.data.length} values, expected ${f.n} x ${size}`);
  }
  if (ds.paired) {
    const n = ds.fields[names[0]!]!.n;
    for (const name of names)
      if (ds.fields[name]!.n !== n)
        throw new Error(`dataset ${ds.name} is paired but field '${name}' has ${ds.fields[name]!.n} samples, not ${n}`);
  }
}

/** Copies the samples at `indices` of one field into a contiguous [B, ...shape] array. */
export function gatherField(f: Field, indices: ArrayLike<number>): Float32Array | Int32Array {
  const size = f.shape.reduce((a, b) => a * b, 1);
  const out =
    f.data instanceof Int32Array ? new Int32Array(indices.length * size) : new Float32Array(indices.length * size);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i]!;
    out.set(f.data.subarray(j * size, (j + 1) * size), i * size);
  }
  return out;
}

/** Serializable state of a FieldSampler (one epoch sampler per independent stream). */
export type FieldSamplerState = Record<string, EpochSamplerState>;

/**
 * Draws batches of a FieldDataset: one index stream for a paired dataset, one per field for an
 * unpaired one. Its whole state is a few integers per stream, so it fits in a checkpoint.
 */
export class FieldSampler {
  private readonly streams: Record<string, EpochSampler> = {};

  constructor(
    readonly dataset: FieldDataset,
    readonly batchSize: number,
    seedOrState: number | FieldSamplerState,
  ) {
    checkFieldDataset(dataset);
    const keys = dataset.paired ? ['*'] : Object.keys(dataset.fields).sort();
    keys.forEach((key, i) => {
      const n = key === '*' ? dataset.fields[Object.keys(dataset.fields)[0]!]!.n : dataset.fields[key]!.n;
      const init = typeof seedOrState === 'number' ? (seedOrState + 7919 * i) >>> 0 : seedOrState[key];
      if (init === undefined) throw new Error(`the sampler state has no stream '${key}'`);
      this.streams[key] = new EpochSampler(n, batchSize, init);
    });
  }

  /** The next batch of the named fields, each [B, ...shape]. */
  next(fieldNames: string[]): Record<string, { data: Float32Array | Int32Array; shape: number[] }> {
    const out: Record<string, { data: Float32Array | Int32Array; shape: number[] }> = {};
    const shared = this.streams['*'] ? this.streams['*'].next() : null;
    for (const name of fieldNames) {
      const f = this.dataset.fields[name];
      if (!f)
        throw new Error(
          `dataset ${this.dataset.name} has no field '${name}' (it has ${Object.keys(this.dataset.fields).join(', ')})`,
        );
      const idx = shared ?? this.streams[name]!.next();
      out[name] = { data: gatherField(f, idx), shape: [idx.length, ...f.shape] };
    }
    return out;
  }

  getState(): FieldSamplerState {
    return Object.fromEntries(Object.entries(this.streams).map(([k, s]) => [k, s.getState()]));
  }
}
