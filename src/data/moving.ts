// Procedural video clips for the video GANs (MoCoGAN): T frames (default 16) of one moving object
// on a black background, rendered offline, each clip labelled with its motion type.
// - moving shapes (RGB): a coloured shape of src/data/shapes.ts that drifts in a straight line,
//   bounces off the walls, circles around a point, grows or shrinks, or spins in place;
// - moving Fashion-MNIST (grayscale), after Moving MNIST (Srivastava et al. 2015): an item of the
//   embedded test split, scaled to half the frame side (28 px at 64), drifting or bouncing.
// Positions are continuous and frames are anti-aliased (shapes: 4x4 supersampling; items: bilinear
// resampling), so motion is smooth at 32 px. Clip i depends only on (seed, i): a dataset of 100
// clips is the prefix of one of 1,000. The batch field is `clip`: [T, H, W, C] per sample, values
// in [-1, 1]; the dataset's labels are motion-type indices into classNames.
import type { Field, FieldDataset } from './fields.js';
import {
  COLOR_NAMES,
  type ColorName,
  renderShape,
  SHAPE_NAMES,
  type ShapeAttributes,
  type ShapeName,
} from './shapes.js';
import { type ImageDataset, mulberry32 } from './types.js';

/** Motion types of the moving-shapes clips (label = index). */
export const SHAPE_MOTIONS = ['linear', 'bounce', 'circular', 'zoom', 'spin'] as const;
/** Motion types of the moving Fashion-MNIST clips (label = index). */
export const ITEM_MOTIONS = ['linear', 'bounce'] as const;
export type ShapeMotion = (typeof SHAPE_MOTIONS)[number];
export type ItemMotion = (typeof ITEM_MOTIONS)[number];

export interface MovingShapesOptions {
  /** Number of clips (default 1,024). */
  n?: number;
  /** Frames per clip (default 16). */
  frames?: number;
  /** Frame side in pixels (default 32). */
  resolution?: number;
  /** Seed (default 0). */
  seed?: number;
  /** Motion types to draw from (default all of SHAPE_MOTIONS); labels stay indices into SHAPE_MOTIONS. */
  motions?: readonly ShapeMotion[];
}

export interface MovingItemsOptions {
  /** Number of clips (default 2,048). */
  n?: number;
  /** Frames per clip (default 16). */
  frames?: number;
  /** Frame side in pixels (default 32). */
  resolution?: number;
  /** Seed (default 0). */
  seed?: number;
  /** Side of the drawn item in pixels (default: half the frame side, at most 28). */
  itemSize?: number;
  /** Motion types to draw from (default both); labels stay indices into ITEM_MOTIONS. */
  motions?: readonly ItemMotion[];
}

/** A clip dataset: the FieldDataset the trainer reads, plus per-clip motion labels and content. */
export interface ClipDataset extends FieldDataset {
  /** [N] motion-type index per clip (into classNames). */
  labels: Int32Array;
  classNames: string[];
  /** Per-clip description, e.g. "red star, bounce". */
  names: string[];
  /** [N] content class per clip: the shape index (SHAPE_NAMES) or the Fashion-MNIST class. */
  content: Int32Array;
  frames: number;
  resolution: number;
  channels: number;
}

/** Per-clip seed: a hash of (seed, index), so clips do not depend on n. */
function clipSeed(seed: number, i: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x2f6b9a1d, 0x27d4eb2d) ^ Math.imul(i + 1, 0x3c6ef372);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca77);
  return (h ^ (h >>> 13)) >>> 0;
}

function checkCommon(what: string, n: number, frames: number, res: number): void {
  if (!Number.isInteger(n) || n <= 0)
    throw new Error(`${what}: the number of clips must be a positive integer, got ${n}`);
  if (!Number.isInteger(frames) || frames < 2 || frames > 256)
    throw new Error(`${what}: frames per clip must be an integer from 2 to 256, got ${frames}`);
  if (!Number.isInteger(res) || res < 16 || res > 256)
    throw new Error(`${what}: the frame side must be an integer from 16 to 256 pixels, got ${res}`);
}

function pickMotions<T extends string>(what: string, chosen: readonly T[] | undefined, all: readonly T[]): T[] {
  const list = [...(chosen ?? all)];
  if (list.length === 0) throw new Error(`${what}: the list of motions is empty`);
  for (const m of list)
    if (!all.includes(m)) throw new Error(`${what}: unknown motion '${m}' (one of ${all.join(', ')})`);
  return list;
}

/** One object's path: centre (image units, y down), scale factor and angle per frame. */
interface Track {
  cx: Float64Array;
  cy: Float64Array;
  scale: Float64Array;
  angle: Float64Array;
}

function newTrack(t: number): Track {
  return {
    cx: new Float64Array(t),
    cy: new Float64Array(t),
    scale: new Float64Array(t).fill(1),
    angle: new Float64Array(t),
  };
}

/** Straight line from a start to an end point, both inside [lo, hi]^2, at least `minDist` apart. */
function linearTrack(tr: Track, rng: () => number, lo: number, hi: number, minDist: number): void {
  const t = tr.cx.length;
  let x0 = 0;
  let y0 = 0;
  let x1 = 0;
  let y1 = 0;
  for (let k = 0; k < 100; k++) {
    x0 = lo + rng() * (hi - lo);
    y0 = lo + rng() * (hi - lo);
    x1 = lo + rng() * (hi - lo);
    y1 = lo + rng() * (hi - lo);
    if (Math.hypot(x1 - x0, y1 - y0) >= minDist) break;
  }
  for (let f = 0; f < t; f++) {
    const a = f / (t - 1);
    tr.cx[f] = x0 + a * (x1 - x0);
    tr.cy[f] = y0 + a * (y1 - y0);
  }
}

/** Constant speed in a random direction, reflected by the walls of [lo, hi]^2. */
function bounceTrack(tr: Track, rng: () => number, lo: number, hi: number, speed: number): void {
  const t = tr.cx.length;
  const a = rng() * 2 * Math.PI;
  let vx = Math.cos(a) * speed;
  let vy = Math.sin(a) * speed;
  let x = lo + rng() * (hi - lo);
  let y = lo + rng() * (hi - lo);
  for (let f = 0; f < t; f++) {
    tr.cx[f] = x;
    tr.cy[f] = y;
    x += vx;
    y += vy;
    if (x < lo) [x, vx] = [2 * lo - x, -vx];
    if (x > hi) [x, vx] = [2 * hi - x, -vx];
    if (y < lo) [y, vy] = [2 * lo - y, -vy];
    if (y > hi) [y, vy] = [2 * hi - y, -vy];
  }
}

/** Renders moving-shapes clips: [N, T, res, res, 3] in [-1, 1], labelled with the motion type. */
export function makeMovingShapes(opts: MovingShapesOptions = {}): ClipDataset {
  const n = opts.n ?? 1024;
  const t = opts.frames ?? 16;
  const res = opts.resolution ?? 32;
  const seed = opts.seed ?? 0;
  checkCommon('moving shapes', n, t, res);
  const motions = pickMotions('moving shapes', opts.motions, SHAPE_MOTIONS);
  const frameSize = res * res * 3;
  const data = new Float32Array(n * t * frameSize); // [N, T, res, res, 3]
  const labels = new Int32Array(n);
  const content = new Int32Array(n);
  const names: string[] = new Array(n);
  const pick = (rng: () => number, k: number) => Math.min(k - 1, Math.floor(rng() * k));
  for (let i = 0; i < n; i++) {
    const rng = mulberry32(clipSeed(seed, i));
    const motion = motions[pick(rng, motions.length)]!;
    // A spinning circle looks still: spin draws from the other shapes.
    const shapes = motion === 'spin' ? SHAPE_NAMES.filter((s) => s !== 'circle') : SHAPE_NAMES;
    const shape: ShapeName = shapes[pick(rng, shapes.length)]!;
    const color: ColorName = COLOR_NAMES[pick(rng, COLOR_NAMES.length)]!;
    const r = 0.13 + rng() * 0.05; // radius in image units
    const tr = newTrack(t);
    switch (motion) {
      case 'linear':
        linearTrack(tr, rng, r + 0.02, 1 - r - 0.02, 0.35);
        break;
      case 'bounce':
        bounceTrack(tr, rng, r + 0.02, 1 - r - 0.02, 0.07 + rng() * 0.03);
        break;
      case 'circular': {
        const orbit = 0.17 + rng() * 0.08;
        const cx = 0.5 + (rng() * 2 - 1) * (0.46 - orbit - r);
        const cy = 0.5 + (rng() * 2 - 1) * (0.46 - orbit - r);
        const a0 = rng() * 2 * Math.PI;
        const w = (rng() < 0.5 ? -1 : 1) * ((2 * Math.PI) / t) * (0.8 + rng() * 0.5); // about one turn per clip
        for (let f = 0; f < t; f++) {
          tr.cx[f] = cx + orbit * Math.cos(a0 + w * f);
          tr.cy[f] = cy + orbit * Math.sin(a0 + w * f);
        }
        break;
      }
      case 'zoom': {
        // Grow or shrink between 0.45x and 1.6x of r (log-linear), at a place where the largest fits.
        const big = 1.6;
        const small = 0.45;
        const grow = rng() < 0.5;
        const lo = r * big + 0.02;
        const cx = lo + rng() * (1 - 2 * lo);
        const cy = lo + rng() * (1 - 2 * lo);
        for (let f = 0; f < t; f++) {
          const a = f / (t - 1);
          tr.cx[f] = cx;
          tr.cy[f] = cy;
          tr.scale[f] = Math.exp(Math.log(small) + (grow ? a : 1 - a) * Math.log(big / small));
        }
        break;
      }
      case 'spin': {
        const lo = r + 0.03;
        const cx = lo + rng() * (1 - 2 * lo);
        const cy = lo + rng() * (1 - 2 * lo);
        const a0 = rng() * 2 * Math.PI;
        const w = (rng() < 0.5 ? -1 : 1) * (Math.PI / 12 + (rng() * Math.PI) / 12); // 15-30 degrees a frame
        for (let f = 0; f < t; f++) {
          tr.cx[f] = cx;
          tr.cy[f] = cy;
          tr.angle[f] = a0 + w * f;
        }
        break;
      }
    }
    const attrs: ShapeAttributes = { shape, color, size: 'medium', position: 'center' };
    for (let f = 0; f < t; f++) {
      renderShape(
        attrs,
        { cx: tr.cx[f]!, cy: tr.cy[f]!, radius: r * tr.scale[f]!, angle: tr.angle[f]! },
        res,
        data,
        (i * t + f) * frameSize,
      );
    }
    labels[i] = SHAPE_MOTIONS.indexOf(motion);
    content[i] = SHAPE_NAMES.indexOf(shape);
    names[i] = `${color} ${shape}, ${motion}`;
  }
  const clip: Field = { shape: [t, res, res, 3], n, data };
  return {
    kind: 'fields',
    name: `moving-shapes-${res}`,
    fields: { clip },
    paired: true,
    labels,
    classNames: [...SHAPE_MOTIONS],
    names,
    content,
    frames: t,
    resolution: res,
    channels: 3,
  };
}

/**
 * Draws a 28x28 item (values in [-1, 1], background -1) scaled to `size` px with its top-left corner at
 * (ox, oy) px into a [res, res] frame, bilinearly; overlapping pixels keep the brighter value (as Moving MNIST).
 */
export function drawItem(
  item: Float32Array,
  itemSide: number,
  size: number,
  ox: number,
  oy: number,
  res: number,
  out: Float32Array,
  off: number,
): void {
  const s = itemSide / size; // item pixels per frame pixel
  const x0 = Math.max(0, Math.floor(ox));
  const x1 = Math.min(res - 1, Math.ceil(ox + size));
  const y0 = Math.max(0, Math.floor(oy));
  const y1 = Math.min(res - 1, Math.ceil(oy + size));
  const at = (u: number, v: number) =>
    u < 0 || v < 0 || u >= itemSide || v >= itemSide ? -1 : item[v * itemSide + u]!;
  // Shrinking: average ss x ss bilinear samples per frame pixel (a box filter against aliasing).
  const ss = Math.max(1, Math.ceil(s));
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      let val = 0;
      for (let sy = 0; sy < ss; sy++)
        for (let sx = 0; sx < ss; sx++) {
          // Sample point in the frame -> item coordinates (pixel centres at +0.5).
          const u = (x + (sx + 0.5) / ss - ox) * s - 0.5;
          const v = (y + (sy + 0.5) / ss - oy) * s - 0.5;
          const u0 = Math.floor(u);
          const v0 = Math.floor(v);
          const fu = u - u0;
          const fv = v - v0;
          val +=
            (1 - fv) * ((1 - fu) * at(u0, v0) + fu * at(u0 + 1, v0)) +
            fv * ((1 - fu) * at(u0, v0 + 1) + fu * at(u0 + 1, v0 + 1));
        }
      val /= ss * ss;
      const o = off + y * res + x;
      if (val > out[o]!) out[o] = val;
    }
  }
}

/** Moving Fashion-MNIST clips from `items` (28x28x1): [N, T, res, res, 1] in [-1, 1], labelled with the motion type. */
export function makeMovingItems(items: ImageDataset, opts: MovingItemsOptions = {}): ClipDataset {
  const n = opts.n ?? 2048;
  const t = opts.frames ?? 16;
  const res = opts.resolution ?? 32;
  const seed = opts.seed ?? 0;
  checkCommon('moving Fashion-MNIST', n, t, res);
  if (items.channels !== 1 || items.height !== items.width)
    throw new Error(
      `moving Fashion-MNIST needs square grayscale items, ${items.name} is ${items.height}x${items.width}x${items.channels}`,
    );
  const side = items.height;
  const size = opts.itemSize ?? Math.min(side, Math.round(res / 2));
  if (!Number.isInteger(size) || size < 4 || size >= res)
    throw new Error(`moving Fashion-MNIST: the item side must be an integer from 4 to ${res - 1} pixels, got ${size}`);
  const motions = pickMotions('moving Fashion-MNIST', opts.motions, ITEM_MOTIONS);
  const frameSize = res * res;
  const data = new Float32Array(n * t * frameSize).fill(-1); // [N, T, res, res, 1]
  const labels = new Int32Array(n);
  const content = new Int32Array(n);
  const names: string[] = new Array(n);
  const room = (res - size) / res; // the item's top-left corner moves in [0, room] (image units)
  for (let i = 0; i < n; i++) {
    const rng = mulberry32(clipSeed(seed ^ 0x51ed27, i));
    const motion = motions[Math.min(motions.length - 1, Math.floor(rng() * motions.length))]!;
    const k = Math.min(items.n - 1, Math.floor(rng() * items.n));
    const tr = newTrack(t);
    if (motion === 'linear') linearTrack(tr, rng, 0, room, room * 0.6);
    else bounceTrack(tr, rng, 0, room, room * (0.12 + rng() * 0.06));
    const item = items.images.subarray(k * side * side, (k + 1) * side * side);
    for (let f = 0; f < t; f++)
      drawItem(item, side, size, tr.cx[f]! * res, tr.cy[f]! * res, res, data, (i * t + f) * frameSize);
    labels[i] = ITEM_MOTIONS.indexOf(motion);
    content[i] = items.labels ? items.labels[k]! : -1;
    names[i] = `${items.labels ? (items.classNames[items.labels[k]!] ?? 'item') : 'item'} ${k}, ${motion}`;
  }
  return {
    kind: 'fields',
    name: `moving-${items.name}-${res}`,
    fields: { clip: { shape: [t, res, res, 1], n, data } },
    paired: true,
    labels,
    classNames: [...ITEM_MOTIONS],
    names,
    content,
    frames: t,
    resolution: res,
    channels: 1,
  };
}

/** Frame f of clip i of a clip dataset, as [H, W, C] values (a view, not a copy). */
export function clipFrame(ds: ClipDataset, i: number, f: number): Float32Array {
  const fr = ds.resolution * ds.resolution * ds.channels;
  const data = ds.fields.clip!.data as Float32Array;
  return data.subarray((i * ds.frames + f) * fr, (i * ds.frames + f + 1) * fr);
}
