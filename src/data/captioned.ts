// Captioned image data for the text-to-image models: FieldDatasets with the fields
//   image [H, W, 3] (float32 in [-1, 1]) and text [maxLen] (int32 word ids, padded with 0),
// the captions as `names`, and the tokenizer built from the TRAINING captions (src/text/tokenizer.ts).
// - shapes (src/data/shapes.ts, varied wording: "a big blue square near the top"): three splits
//   from one seed: 'train' without the held-out attribute combinations, 'test' (new images of the
//   combinations seen in training) and 'heldout' (only the held-out combinations, by default every
//   blue triangle, every red star and every green circle: compositional generalization);
// - emoji (src/data/emoji.ts: Twemoji images, CC-BY 4.0) captioned with their names ("red apple",
//   "grinning face with big eyes"), labels their categories; the held-out split is emoji.ts's.
//   Held-out names' words the training names never use are dropped by the tokenizer's policy.
import { listEmoji, readEmojiImages, splitEmoji } from './emoji.js';
import type { FieldDataset } from './fields.js';
import { COLOR_NAMES, type ColorName, makeShapes, SHAPE_NAMES, type ShapeName } from './shapes.js';
import { Tokenizer, type TokenizerSpec } from '../text/tokenizer.js';

/** A captioned FieldDataset with the tokenizer of its training captions. */
export interface CaptionedDataset extends FieldDataset {
  /** Captions, one per sample (the same as `names`). */
  names: string[];
  /** The vocabulary the `text` field's ids index (built from the training split's captions). */
  tokenizer: TokenizerSpec;
}

export interface CaptionedSplits {
  train: CaptionedDataset;
  test: CaptionedDataset;
  /** Shapes only: the held-out attribute combinations. */
  heldout: CaptionedDataset | null;
}

/** A colour-shape combination never shown in training. */
export interface HeldOutCombo {
  color: ColorName;
  shape: ShapeName;
}

export const DEFAULT_HELD_OUT: readonly HeldOutCombo[] = [
  { color: 'blue', shape: 'triangle' },
  { color: 'red', shape: 'star' },
  { color: 'green', shape: 'circle' },
];

/** Parses "blue triangle,red star" into combinations (a sentence for a word that is not a colour or shape). */
export function parseHeldOut(spec: string): HeldOutCombo[] {
  if (spec.trim() === '' || spec.trim() === 'none') return [];
  return spec.split(',').map((part) => {
    const [color, shape, ...rest] = part.trim().split(/\s+/);
    if (
      rest.length ||
      !(COLOR_NAMES as readonly string[]).includes(color ?? '') ||
      !(SHAPE_NAMES as readonly string[]).includes(shape ?? '')
    )
      throw new Error(
        `held-out combination '${part.trim()}' must be a colour and a shape, e.g. 'blue triangle' (colours: ${COLOR_NAMES.join(', ')}; shapes: ${SHAPE_NAMES.join(', ')})`,
      );
    return { color: color as ColorName, shape: shape as ShapeName };
  });
}

function fieldsOf(
  name: string,
  images: Float32Array,
  res: number,
  captions: string[],
  tok: Tokenizer,
  labels?: Int32Array,
  classNames?: string[],
): CaptionedDataset {
  const ids = new Int32Array(captions.length * tok.maxLen);
  captions.forEach((c, i) => {
    ids.set(tok.encode(c, { overflow: 'truncate' }).ids, i * tok.maxLen);
  });
  return {
    kind: 'fields',
    name,
    paired: true,
    names: captions,
    tokenizer: tok.spec,
    ...(labels ? { labels } : {}),
    ...(classNames ? { classNames } : {}),
    fields: {
      image: { shape: [res, res, 3], n: captions.length, data: images },
      text: { shape: [tok.maxLen], n: captions.length, data: ids },
    },
  };
}

export interface CaptionedShapesOptions {
  /** Training images (default 10,000); test and heldout get n / 10 each (at least 100). */
  n?: number;
  /** Image side (default 32). */
  resolution?: number;
  /** Seed of the images (default 0); the splits use seed, seed + 1 and seed + 2. */
  seed?: number;
  /** Combinations held out of training (default DEFAULT_HELD_OUT). */
  heldOut?: readonly HeldOutCombo[];
}

/** Keeps the first `n` images of makeShapes(seed) whose colour-shape pair passes `keep`. */
function filteredShapes(n: number, res: number, seed: number, keep: (color: string, shape: string) => boolean) {
  let m = Math.ceil(n * 1.2) + 64;
  for (;;) {
    const ds = makeShapes({ n: m, resolution: res, seed, captionStyle: 'varied' });
    const idx: number[] = [];
    for (let i = 0; i < m && idx.length < n; i++)
      if (keep(ds.vocab.colors[ds.attributes.color[i]!]!, ds.vocab.shapes[ds.attributes.shape[i]!]!)) idx.push(i);
    if (idx.length === n) {
      const per = res * res * 3;
      const images = new Float32Array(n * per);
      idx.forEach((j, k) => {
        images.set(ds.images.subarray(j * per, (j + 1) * per), k * per);
      });
      return { images, captions: idx.map((j) => ds.captions[j]!) };
    }
    m *= 2;
  }
}

/** The captioned shapes splits (see the file header). */
export function captionedShapes(opts: CaptionedShapesOptions = {}): CaptionedSplits {
  const n = opts.n ?? 10000;
  const res = opts.resolution ?? 32;
  const seed = opts.seed ?? 0;
  if (!Number.isInteger(n) || n < 1) throw new Error(`captioned shapes: n must be a positive integer, got ${n}`);
  const held = opts.heldOut ?? DEFAULT_HELD_OUT;
  const isHeld = (color: string, shape: string) => held.some((h) => h.color === color && h.shape === shape);
  if (held.length >= COLOR_NAMES.length * SHAPE_NAMES.length)
    throw new Error('captioned shapes: every colour-shape combination is held out; nothing is left to train on');
  const train = filteredShapes(n, res, seed, (c, s) => !isHeld(c, s));
  const nTest = Math.max(100, Math.round(n / 10));
  const test = filteredShapes(nTest, res, seed + 1, (c, s) => !isHeld(c, s));
  const tok = Tokenizer.fromCaptions(train.captions);
  let heldout: CaptionedDataset | null = null;
  if (held.length > 0) {
    const per = Math.ceil(nTest / held.length);
    const images: Float32Array[] = [];
    const captions: string[] = [];
    held.forEach((h, k) => {
      const ds = makeShapes({
        n: per,
        resolution: res,
        seed: seed + 2 + k,
        captionStyle: 'varied',
        colors: [h.color],
        shapes: [h.shape],
      });
      images.push(ds.images);
      captions.push(...ds.captions);
    });
    const all = new Float32Array(images.reduce((a, b) => a + b.length, 0));
    let at = 0;
    for (const im of images) {
      all.set(im, at);
      at += im.length;
    }
    heldout = fieldsOf(`shapes-text-${res}-heldout`, all, res, captions, tok);
  }
  return {
    train: fieldsOf(`shapes-text-${res}`, train.images, res, train.captions, tok),
    test: fieldsOf(`shapes-text-${res}-test`, test.images, res, test.captions, tok),
    heldout,
  };
}

export interface CaptionedEmojiOptions {
  /** Image side (8..64, default 32). */
  size?: number;
  /** At most this many training emoji. */
  limit?: number;
}

/** Twemoji images captioned with their names; labels: categories. */
export async function captionedEmoji(opts: CaptionedEmojiOptions = {}): Promise<CaptionedSplits> {
  const size = opts.size ?? 32;
  const all = listEmoji(false);
  let trainItems = splitEmoji(all, 'train', 0.1, 0);
  if (opts.limit !== undefined) trainItems = trainItems.slice(0, opts.limit);
  const testAll = splitEmoji(all, 'test', 0.1, 0);
  const categories = [...new Set(all.map((e) => e.category))].sort();
  const caption = (name: string) => name.toLowerCase();
  const tok = Tokenizer.fromCaptions(trainItems.map((e) => caption(e.name)));
  // Held-out emoji whose names share no word with the training names cannot be prompted: left out.
  const testItems = testAll.filter((e) => tok.encodeKnown(caption(e.name)) > 0);
  const labelsOf = (xs: typeof all) => Int32Array.from(xs, (e) => categories.indexOf(e.category));
  return {
    train: fieldsOf(
      `emoji-text-${size}`,
      await readEmojiImages('twitter', trainItems, size),
      size,
      trainItems.map((e) => caption(e.name)),
      tok,
      labelsOf(trainItems),
      categories,
    ),
    test: fieldsOf(
      `emoji-text-${size}-test`,
      await readEmojiImages('twitter', testItems, size),
      size,
      testItems.map((e) => caption(e.name)),
      tok,
      labelsOf(testItems),
      categories,
    ),
    heldout: null,
  };
}
