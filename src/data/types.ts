// Dataset types consumed by the trainer, and a seeded batch sampler whose whole state is a few
// integers (so it fits in a checkpoint). All datasets live in memory as flat typed arrays.

/** A uniform random source in [0, 1): the trainer passes its own (checkpointed) generator. */
export type UniformRng = () => number;

/** Images in NHWC layout, values scaled to [-1, 1] (the range of a tanh generator). */
export interface ImageDataset {
  kind: 'image';
  /** Short name, e.g. 'fashion-mnist-test' or the folder's base name. */
  name: string;
  /** Number of images. */
  n: number;
  height: number;
  width: number;
  /** 1 (grayscale) or 3 (RGB). */
  channels: number;
  /** [N, H, W, C] row-major, in [-1, 1]. */
  images: Float32Array;
  /** [N] class index per image in [0, numClasses), or null for an unlabelled dataset. */
  labels: Int32Array | null;
  /** 0 for an unlabelled dataset. */
  numClasses: number;
  /** [numClasses] human-readable class names (empty when unlabelled). */
  classNames: string[];
  /** [N] an English caption per image, when the dataset has them (shapes). */
  captions?: string[];
}

/** Points in the plane drawn from a mixture of isotropic Gaussians (or another 2-D toy). */
export interface PointDataset {
  kind: 'points';
  name: string;
  /** Number of points. */
  n: number;
  /** [N, 2] row-major. */
  points: Float32Array;
  /** [M, 2] the true mode centres (empty for distributions without discrete modes). */
  modes: Float32Array;
  /** Number of modes M. */
  numModes: number;
  /** Standard deviation of each Gaussian component (per axis). */
  sigma: number;
  /** [N] index of the mode each point was drawn from, when the toy has modes. */
  modeOfPoint?: Int32Array;
}

export type Dataset = ImageDataset | PointDataset;

/** Number of floats in one sample of a dataset (H*W*C for images, 2 for points). */
export function sampleSize(ds: Dataset): number {
  return ds.kind === 'image' ? ds.height * ds.width * ds.channels : 2;
}

/** Sample shape without the batch axis: [H, W, C] or [2]. */
export function sampleShape(ds: Dataset): number[] {
  return ds.kind === 'image' ? [ds.height, ds.width, ds.channels] : [2];
}

/** Raw data (images or points) of a dataset as [N, ...sampleShape]. */
export function dataOf(ds: Dataset): Float32Array {
  return ds.kind === 'image' ? ds.images : ds.points;
}

/** A batch gathered from a dataset: flat data plus labels (null when unlabelled). */
export interface Batch {
  /** [B, ...sampleShape] */
  data: Float32Array;
  /** [B] */
  labels: Int32Array | null;
  /** [B] indices into the dataset. */
  indices: Int32Array;
  /** [B, ...sampleShape] */
  shape: number[];
}

/** Copies the samples at `indices` into one contiguous batch. */
export function gatherBatch(ds: Dataset, indices: ArrayLike<number>): Batch {
  const size = sampleSize(ds);
  const src = dataOf(ds);
  const b = indices.length;
  const data = new Float32Array(b * size);
  const idx = new Int32Array(b);
  const srcLabels = ds.kind === 'image' ? ds.labels : (ds.modeOfPoint ?? null);
  const labels = srcLabels ? new Int32Array(b) : null;
  for (let i = 0; i < b; i++) {
    const j = indices[i];
    if (!Number.isInteger(j) || j < 0 || j >= ds.n) {
      throw new RangeError(`gatherBatch: index ${j} is outside the dataset ${ds.name} (n=${ds.n})`);
    }
    idx[i] = j;
    data.set(src.subarray(j * size, (j + 1) * size), i * size);
    if (labels && srcLabels) labels[i] = srcLabels[j];
  }
  return { data, labels, indices: idx, shape: [b, ...sampleShape(ds)] };
}

/** B indices drawn uniformly with replacement using the caller's RNG. */
export function sampleIndices(n: number, batchSize: number, rng: UniformRng): Int32Array {
  if (n <= 0) throw new RangeError('sampleIndices: the dataset is empty');
  const out = new Int32Array(batchSize);
  for (let i = 0; i < batchSize; i++) out[i] = Math.min(n - 1, Math.floor(rng() * n));
  return out;
}

/** 32-bit integer hash stream (mulberry32): tiny, seedable, good enough for shuffling data. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A Fisher-Yates permutation of 0..n-1 driven by `rng`. */
export function permutation(n: number, rng: UniformRng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(rng() * (i + 1)));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/** Serializable state of an EpochSampler: restore it to continue the exact same batch sequence. */
export interface EpochSamplerState {
  seed: number;
  epoch: number;
  position: number;
}

/**
 * Epoch-based sampling without replacement: each epoch is a fresh permutation derived from
 * (seed, epoch), so the state is three integers. Batches never straddle epochs: a short tail is
 * dropped (drop_last), every batch has exactly batchSize samples.
 */
export class EpochSampler {
  readonly n: number;
  readonly batchSize: number;
  private state: EpochSamplerState;
  private order: Int32Array;

  constructor(n: number, batchSize: number, seedOrState: number | EpochSamplerState) {
    if (!Number.isInteger(n) || n <= 0)
      throw new RangeError(`EpochSampler: dataset size must be a positive integer, got ${n}`);
    if (!Number.isInteger(batchSize) || batchSize <= 0) {
      throw new RangeError(`EpochSampler: batchSize must be a positive integer, got ${batchSize}`);
    }
    this.n = n;
    this.batchSize = batchSize;
    this.state =
      typeof seedOrState === 'number' ? { seed: seedOrState >>> 0, epoch: 0, position: 0 } : { ...seedOrState };
    this.order = this.makeOrder(this.state.epoch);
  }

  /** Makes an EpochSampler seeded from the caller's RNG (one draw). */
  static fromRng(n: number, batchSize: number, rng: UniformRng): EpochSampler {
    return new EpochSampler(n, batchSize, Math.floor(rng() * 4294967296));
  }

  private makeOrder(epoch: number): Int32Array {
    // Seed per epoch: mix seed and epoch so successive epochs are unrelated permutations.
    const s = (Math.imul(this.state.seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(epoch + 1, 0xc2b2ae35)) >>> 0;
    return permutation(this.n, mulberry32(s));
  }

  /** The next batch of indices (length batchSize; indices repeat if batchSize > n). */
  next(): Int32Array {
    const out = new Int32Array(this.batchSize);
    if (this.batchSize > this.n) {
      // Tiny datasets: cycle through the permutation.
      for (let i = 0; i < this.batchSize; i++) out[i] = this.order[i % this.n];
      this.advanceEpoch();
      return out;
    }
    if (this.state.position + this.batchSize > this.n) this.advanceEpoch();
    out.set(this.order.subarray(this.state.position, this.state.position + this.batchSize));
    this.state.position += this.batchSize;
    return out;
  }

  private advanceEpoch(): void {
    this.state.epoch += 1;
    this.state.position = 0;
    this.order = this.makeOrder(this.state.epoch);
  }

  get epoch(): number {
    return this.state.epoch;
  }

  getState(): EpochSamplerState {
    return { ...this.state };
  }
}
