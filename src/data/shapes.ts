// Procedural "shapes" dataset: one coloured shape on a black background per RGB image, with its
// attributes (shape, colour, size, position), an integer class label and an English caption such as
// "a small red circle at the top left". Any resolution; seeded, and image i depends only on
// (seed, i), so a dataset of 100 images is the prefix of one of 10,000. Used for conditional GANs,
// and by later issues for text-to-image and image translation (parseCaption inverts captions).
//
// Geometry (in units of the image side): sizes small/medium/large have radius 0.10/0.155/0.21
// (±8% jitter); positions are the cells of a 3x3 grid, centres at 0.25/0.5/0.75 (±0.02 jitter) so
// even a large shape in a corner stays inside the image. Edges are anti-aliased by 4x4 supersampling.
import type { ImageDataset } from './types.js';
import { mulberry32 } from './types.js';

export const SHAPE_NAMES = ['circle', 'square', 'triangle', 'diamond', 'star', 'cross'] as const;
export const COLOR_NAMES = ['red', 'green', 'blue', 'yellow', 'purple', 'orange', 'white', 'cyan'] as const;
export const SIZE_NAMES = ['small', 'medium', 'large'] as const;
export const POSITION_NAMES = [
  'top left',
  'top',
  'top right',
  'left',
  'center',
  'right',
  'bottom left',
  'bottom',
  'bottom right',
] as const;

export type ShapeName = (typeof SHAPE_NAMES)[number];
export type ColorName = (typeof COLOR_NAMES)[number];
export type SizeName = (typeof SIZE_NAMES)[number];
export type PositionName = (typeof POSITION_NAMES)[number];

/** sRGB values of the colours. */
export const COLOR_RGB: Record<ColorName, [number, number, number]> = {
  red: [220, 40, 40],
  green: [40, 180, 60],
  blue: [50, 90, 230],
  yellow: [240, 220, 40],
  purple: [150, 60, 200],
  orange: [250, 140, 30],
  white: [240, 240, 240],
  cyan: [40, 200, 210],
};

const SIZE_RADIUS: Record<SizeName, number> = { small: 0.1, medium: 0.155, large: 0.21 };

/** Caption phrase for each position. */
const POSITION_PHRASE: Record<PositionName, string> = {
  'top left': 'at the top left',
  top: 'at the top',
  'top right': 'at the top right',
  left: 'on the left',
  center: 'in the center',
  right: 'on the right',
  'bottom left': 'at the bottom left',
  bottom: 'at the bottom',
  'bottom right': 'at the bottom right',
};

/** Synonyms used by captionStyle 'varied' (parseCaption accepts all of them). */
const SIZE_SYNONYMS: Record<SizeName, string[]> = {
  small: ['small', 'tiny', 'little'],
  medium: ['medium', 'medium-sized', 'mid-sized'],
  large: ['large', 'big', 'huge'],
};
const POSITION_SYNONYMS: Partial<Record<PositionName, string[]>> = {
  center: ['in the center', 'in the middle', 'at the center'],
  top: ['at the top', 'at the top center', 'near the top'],
  bottom: ['at the bottom', 'at the bottom center', 'near the bottom'],
  left: ['on the left', 'at the left', 'on the left side'],
  right: ['on the right', 'at the right', 'on the right side'],
};

/** The attributes of one image. */
export interface ShapeAttributes {
  shape: ShapeName;
  color: ColorName;
  size: SizeName;
  position: PositionName;
}

export interface ShapesOptions {
  /** Number of images (default 10,000). */
  n?: number;
  /** Image side in pixels (default 32). */
  resolution?: number;
  /** Seed (default 0). */
  seed?: number;
  /** Restrict the vocabulary (defaults: all shapes, colours, sizes, positions). */
  shapes?: readonly ShapeName[];
  colors?: readonly ColorName[];
  sizes?: readonly SizeName[];
  positions?: readonly PositionName[];
  /** What the integer label encodes (default 'shape'). */
  labelBy?: 'shape' | 'color' | 'shape-color';
  /** 'fixed': one wording per attribute; 'varied': seeded synonyms (default 'fixed'). */
  captionStyle?: 'fixed' | 'varied';
  /** Random rotation of the shape (default false: upright shapes). */
  rotate?: boolean;
}

export interface ShapesDataset extends ImageDataset {
  captions: string[];
  /** [N] indices into vocab.* per attribute. */
  attributes: { shape: Int32Array; color: Int32Array; size: Int32Array; position: Int32Array };
  vocab: { shapes: ShapeName[]; colors: ColorName[]; sizes: SizeName[]; positions: PositionName[] };
  labelBy: 'shape' | 'color' | 'shape-color';
}

/** Point-in-shape test in the shape's unit frame (u right, v up, radius 1). */
function inside(shape: ShapeName, u: number, v: number): boolean {
  switch (shape) {
    case 'circle':
      return u * u + v * v <= 1;
    case 'square':
      return Math.abs(u) <= 0.8 && Math.abs(v) <= 0.8;
    case 'diamond':
      return Math.abs(u) + Math.abs(v) <= 1;
    case 'cross':
      return (Math.abs(u) <= 0.3 && Math.abs(v) <= 0.95) || (Math.abs(v) <= 0.3 && Math.abs(u) <= 0.95);
    case 'triangle':
      return inPolygon(TRIANGLE, u, v);
    case 'star':
      return inPolygon(STAR, u, v);
  }
}

function regularPolygon(k: number, outer: number, inner: number | null): number[] {
  const pts: number[] = [];
  const m = inner === null ? k : 2 * k;
  for (let i = 0; i < m; i++) {
    const r = inner === null || i % 2 === 0 ? outer : inner;
    const a = Math.PI / 2 + (2 * Math.PI * i) / m;
    pts.push(r * Math.cos(a), r * Math.sin(a));
  }
  return pts;
}
// Triangle pointing up, shifted down so its centroid-ish sits at the centre of the bounding circle.
const TRIANGLE = regularPolygon(3, 1.05, null).map((x, i) => (i % 2 === 1 ? x - 0.12 : x));
const STAR = regularPolygon(5, 1, 0.45);

function inPolygon(poly: number[], x: number, y: number): boolean {
  let c = false;
  const n = poly.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = poly[2 * i];
    const yi = poly[2 * i + 1];
    const xj = poly[2 * j];
    const yj = poly[2 * j + 1];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) c = !c;
  }
  return c;
}

/** Geometry of one drawn shape in image units [0, 1] (y down). */
export interface ShapePlacement {
  cx: number;
  cy: number;
  radius: number;
  /** Rotation in radians. */
  angle: number;
}

/** Where an attribute set is drawn, with seeded jitter. */
export function placeShape(a: ShapeAttributes, rng: () => number, rotate = false): ShapePlacement {
  const p = POSITION_NAMES.indexOf(a.position);
  const col = p % 3;
  const row = Math.floor(p / 3);
  const j = () => (rng() * 2 - 1) * 0.02;
  return {
    cx: 0.25 + 0.25 * col + j(),
    cy: 0.25 + 0.25 * row + j(),
    radius: SIZE_RADIUS[a.size] * (1 + (rng() * 2 - 1) * 0.08),
    angle: rotate ? rng() * 2 * Math.PI : 0,
  };
}

/**
 * Draws one shape into `out` ([res, res, 3], values in [-1, 1], black background) at offset `off`.
 * Pure function of its arguments.
 */
export function renderShape(
  a: ShapeAttributes,
  place: ShapePlacement,
  res: number,
  out?: Float32Array,
  off = 0,
): Float32Array {
  const img = out ?? new Float32Array(res * res * 3);
  const ss = 4; // supersamples per axis
  const [r, g, b] = COLOR_RGB[a.color];
  const cos = Math.cos(place.angle);
  const sin = Math.sin(place.angle);
  const rad = place.radius * res; // pixels
  const x0 = Math.max(0, Math.floor(place.cx * res - rad * 1.1));
  const x1 = Math.min(res - 1, Math.ceil(place.cx * res + rad * 1.1));
  const y0 = Math.max(0, Math.floor(place.cy * res - rad * 1.1));
  const y1 = Math.min(res - 1, Math.ceil(place.cy * res + rad * 1.1));
  for (let i = 0; i < res * res * 3; i++) img[off + i] = -1;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      let hits = 0;
      for (let sy = 0; sy < ss; sy++) {
        for (let sx = 0; sx < ss; sx++) {
          const px = (x + (sx + 0.5) / ss - place.cx * res) / rad;
          const py = -(y + (sy + 0.5) / ss - place.cy * res) / rad; // v up
          const u = cos * px + sin * py;
          const v = -sin * px + cos * py;
          if (inside(a.shape, u, v)) hits++;
        }
      }
      if (hits === 0) continue;
      const cov = hits / (ss * ss);
      const o = off + (y * res + x) * 3;
      img[o] = -1 + (2 * cov * r) / 255;
      img[o + 1] = -1 + (2 * cov * g) / 255;
      img[o + 2] = -1 + (2 * cov * b) / 255;
    }
  }
  return img;
}

/** The caption of an attribute set; `rng` picks synonyms when given (style 'varied'). */
export function captionOf(a: ShapeAttributes, rng?: () => number): string {
  const pick = (xs: string[]) => (rng ? xs[Math.min(xs.length - 1, Math.floor(rng() * xs.length))] : xs[0]);
  const size = pick(SIZE_SYNONYMS[a.size]);
  const pos = pick(POSITION_SYNONYMS[a.position] ?? [POSITION_PHRASE[a.position]]);
  return `a ${size} ${a.color} ${a.shape} ${pos}`;
}

/** Recovers the attributes from a caption (fixed or varied wording); null if it does not parse. */
export function parseCaption(caption: string): ShapeAttributes | null {
  const s = caption.trim().toLowerCase().replace(/\s+/g, ' ').replace(/[.!]$/, '');
  const m = /^(?:a|an|one) (\S+) (\S+) (\S+) (.+)$/.exec(s);
  if (!m) return null;
  const size = (Object.keys(SIZE_SYNONYMS) as SizeName[]).find((k) => SIZE_SYNONYMS[k].includes(m[1]));
  const color = (COLOR_NAMES as readonly string[]).includes(m[2]) ? (m[2] as ColorName) : undefined;
  const shape = (SHAPE_NAMES as readonly string[]).includes(m[3]) ? (m[3] as ShapeName) : undefined;
  const position = POSITION_NAMES.find(
    (p) => POSITION_PHRASE[p] === m[4] || (POSITION_SYNONYMS[p] ?? []).includes(m[4]),
  );
  if (!size || !color || !shape || !position) return null;
  return { shape, color, size, position };
}

function checkSubset<T extends string>(name: string, chosen: readonly T[] | undefined, all: readonly T[]): T[] {
  const list = [...(chosen ?? all)];
  if (list.length === 0) throw new Error(`shapes: ${name} must not be empty`);
  for (const x of list)
    if (!all.includes(x))
      throw new Error(`shapes: unknown ${name.replace(/s$/, '')} '${x}' (expected one of ${all.join(', ')})`);
  if (new Set(list).size !== list.length) throw new Error(`shapes: ${name} has duplicates`);
  return list;
}

/** Per-image seed: a hash of (seed, index), so images do not depend on n. */
function imageSeed(seed: number, i: number): number {
  let h = Math.imul((seed >>> 0) ^ 0x5bd1e995, 0x27d4eb2d) ^ Math.imul(i + 1, 0x165667b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca77);
  return (h ^ (h >>> 13)) >>> 0;
}

/** Generates the shapes dataset: [N, res, res, 3] in [-1, 1], labels, captions, attributes. */
export function makeShapes(opts: ShapesOptions = {}): ShapesDataset {
  const n = opts.n ?? 10000;
  const res = opts.resolution ?? 32;
  const seed = opts.seed ?? 0;
  if (!Number.isInteger(n) || n <= 0) throw new Error(`shapes: n must be a positive integer, got ${n}`);
  if (!Number.isInteger(res) || res < 8 || res > 1024)
    throw new Error(`shapes: resolution must be an integer in 8..1024, got ${res}`);
  const shapes = checkSubset('shapes', opts.shapes, SHAPE_NAMES);
  const colors = checkSubset('colors', opts.colors, COLOR_NAMES);
  const sizes = checkSubset('sizes', opts.sizes, SIZE_NAMES);
  const positions = checkSubset('positions', opts.positions, POSITION_NAMES);
  const labelBy = opts.labelBy ?? 'shape';
  const classNames =
    labelBy === 'shape'
      ? [...shapes]
      : labelBy === 'color'
        ? [...colors]
        : shapes.flatMap((s) => colors.map((c) => `${c} ${s}`));

  const images = new Float32Array(n * res * res * 3); // [N, res, res, 3]
  const labels = new Int32Array(n);
  const captions: string[] = new Array(n);
  const attributes = {
    shape: new Int32Array(n),
    color: new Int32Array(n),
    size: new Int32Array(n),
    position: new Int32Array(n),
  };
  const pickIdx = (rng: () => number, k: number) => Math.min(k - 1, Math.floor(rng() * k));
  for (let i = 0; i < n; i++) {
    const rng = mulberry32(imageSeed(seed, i));
    const si = pickIdx(rng, shapes.length);
    const ci = pickIdx(rng, colors.length);
    const zi = pickIdx(rng, sizes.length);
    const pi = pickIdx(rng, positions.length);
    const a: ShapeAttributes = { shape: shapes[si], color: colors[ci], size: sizes[zi], position: positions[pi] };
    renderShape(a, placeShape(a, rng, opts.rotate ?? false), res, images, i * res * res * 3);
    captions[i] = captionOf(a, opts.captionStyle === 'varied' ? rng : undefined);
    attributes.shape[i] = si;
    attributes.color[i] = ci;
    attributes.size[i] = zi;
    attributes.position[i] = pi;
    labels[i] = labelBy === 'shape' ? si : labelBy === 'color' ? ci : si * colors.length + ci;
  }
  return {
    kind: 'image',
    name: `shapes-${res}`,
    n,
    height: res,
    width: res,
    channels: 3,
    images,
    labels,
    numClasses: classNames.length,
    classNames,
    captions,
    attributes,
    vocab: { shapes, colors, sizes, positions },
    labelBy,
  };
}
