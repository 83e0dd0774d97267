// Colour emoji in two styles, for image-to-image translation: Twemoji (the npm package
// `emoji-datasource-twitter`, graphics CC-BY 4.0) and Noto Emoji (`emoji-datasource-google`,
// Apache-2.0), 64x64 RGBA PNGs with the same file name for the same emoji, and `emoji.json` with
// names and categories. Both packages are devDependencies of tsgan (install them with
// `npm install emoji-datasource-twitter emoji-datasource-google` when tsgan is a dependency);
// nothing is downloaded at run time.
//
// Tasks built here (held-out split fixed by `splitSeed`, independent of the run's seed):
// - 'pairs':    { input: Twitter style, target: Google style }, paired by code point (pix2pix)
// - 'colorize': { input: grayscale Google style (3 equal channels), target: Google style }
// - 'unpaired': { A: Twitter style, B: Google style } from two disjoint halves of the training
//               emoji, so no pair is ever seen (CycleGAN); the test split stays paired for evaluation.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import sharp from 'sharp';

import type { FieldDataset } from './fields.js';
import { mulberry32, permutation } from './types.js';

export type EmojiStyle = 'twitter' | 'google';
export type EmojiTask = 'pairs' | 'colorize' | 'unpaired';

export interface EmojiOptions {
  /** Which dataset to build. */
  task: EmojiTask;
  /** 'train' or the held-out 'test' split. */
  split: 'train' | 'test';
  /** Side of the square images (resized from 64 with a box filter when smaller). Default 64. */
  size?: number;
  /** Fraction of the emoji held out for 'test'. Default 0.1. */
  testFraction?: number;
  /** Seed of the held-out split. Default 0 (the built-in tasks' split). */
  splitSeed?: number;
  /** Use at most this many emoji of the split (after the split; for tests and quick runs). */
  limit?: number;
  /** Include the skin-tone variants (3,786 images per style instead of 1,911). Default false. */
  skinTones?: boolean;
}

interface EmojiEntry {
  name: string;
  image: string;
  category: string;
  has_img_twitter?: boolean;
  has_img_google?: boolean;
  skin_variations?: Record<string, { image: string; has_img_twitter?: boolean; has_img_google?: boolean }>;
}

/** The folder of an installed emoji-datasource package, or a sentence saying how to install it. */
export function emojiPackageDir(style: EmojiStyle): string {
  const pkg = `emoji-datasource-${style}`;
  try {
    const require = createRequire(import.meta.url);
    return path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    throw new Error(
      `the emoji tasks need the npm package ${pkg} (run: npm install emoji-datasource-twitter emoji-datasource-google); it is not installed`,
    );
  }
}

export interface EmojiItem {
  name: string;
  file: string;
  category: string;
}

/** Every emoji drawn in both styles, in emoji.json's order. */
export function listEmoji(skinTones = false): EmojiItem[] {
  const dir = emojiPackageDir('twitter');
  emojiPackageDir('google');
  const entries = JSON.parse(readFileSync(path.join(dir, 'emoji.json'), 'utf8')) as EmojiEntry[];
  const out: EmojiItem[] = [];
  for (const e of entries) {
    if (e.has_img_twitter && e.has_img_google) out.push({ name: e.name, file: e.image, category: e.category });
    if (!skinTones) continue;
    for (const [tone, v] of Object.entries(e.skin_variations ?? {}))
      if (v.has_img_twitter && v.has_img_google)
        out.push({ name: `${e.name} ${tone}`, file: v.image, category: e.category });
  }
  return out;
}

/** Reads one emoji PNG flattened on white as [size, size, 3] in [-1, 1] (optionally as grayscale). */
async function readEmoji(style: EmojiStyle, file: string, size: number, gray: boolean): Promise<Float32Array> {
  const p = path.join(emojiPackageDir(style), 'img', style, '64', file);
  if (!existsSync(p)) throw new Error(`emoji image missing from emoji-datasource-${style}: ${file}`);
  let img = sharp(p).flatten({ background: '#ffffff' });
  if (size !== 64) img = img.resize(size, size, { kernel: 'cubic' });
  if (gray) img = img.grayscale().toColourspace('srgb');
  const { data, info } = await img.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  if (info.width !== size || info.height !== size)
    throw new Error(`emoji ${file}: decoded ${info.width}x${info.height}`);
  const out = new Float32Array(size * size * 3);
  for (let i = 0; i < size * size; i++)
    for (let c = 0; c < 3; c++) out[i * 3 + c] = data[i * info.channels + (info.channels === 1 ? 0 : c)]! / 127.5 - 1;
  return out;
}

async function readAll(style: EmojiStyle, items: EmojiItem[], size: number, gray: boolean): Promise<Float32Array> {
  const out = new Float32Array(items.length * size * size * 3);
  const chunk = 64;
  for (let i = 0; i < items.length; i += chunk) {
    const part = await Promise.all(items.slice(i, i + chunk).map((it) => readEmoji(style, it.file, size, gray)));
    part.forEach((a, j) => {
      out.set(a, (i + j) * size * size * 3);
    });
  }
  return out;
}

/** Colour images [n, size, size, 3] in [-1, 1] of `items` in one style, flattened on white (text-to-image data). */
export function readEmojiImages(style: EmojiStyle, items: EmojiItem[], size: number): Promise<Float32Array> {
  return readAll(style, items, size, false);
}

/** The emoji of one split: a seeded permutation, the first `testFraction` of it held out. */
export function splitEmoji(
  all: EmojiItem[],
  split: 'train' | 'test',
  testFraction: number,
  splitSeed: number,
): EmojiItem[] {
  const order = permutation(all.length, mulberry32(splitSeed));
  const nTest = Math.round(all.length * testFraction);
  const idx = split === 'test' ? order.subarray(0, nTest) : order.subarray(nTest);
  return Array.from(idx, (i) => all[i]!);
}

/** Builds one of the emoji translation datasets (see the file header). */
export async function loadEmoji(opts: EmojiOptions): Promise<FieldDataset> {
  const size = opts.size ?? 64;
  if (!Number.isInteger(size) || size < 8 || size > 64)
    throw new Error(`emoji size must be a whole number from 8 to 64, got ${size}`);
  const testFraction = opts.testFraction ?? 0.1;
  if (!(testFraction > 0 && testFraction < 1)) throw new Error(`testFraction must be in (0, 1), got ${testFraction}`);
  const all = listEmoji(opts.skinTones ?? false);
  let items = splitEmoji(all, opts.split, testFraction, opts.splitSeed ?? 0);
  if (opts.limit !== undefined) items = items.slice(0, opts.limit);
  const categories = [...new Set(all.map((e) => e.category))].sort();
  const shape = [size, size, 3];
  const base = { kind: 'fields' as const, classNames: categories };
  const labelsOf = (list: EmojiItem[]) => Int32Array.from(list, (e) => categories.indexOf(e.category));

  if (opts.task === 'unpaired' && opts.split === 'train') {
    const half = Math.floor(items.length / 2);
    const a = items.slice(0, half);
    const b = items.slice(half);
    return {
      ...base,
      name: 'emoji-unpaired-train',
      paired: false,
      fields: {
        A: { shape, n: a.length, data: await readAll('twitter', a, size, false) },
        B: { shape, n: b.length, data: await readAll('google', b, size, false) },
      },
    };
  }
  const names = items.map((e) => e.name);
  const labels = labelsOf(items);
  if (opts.task === 'unpaired') {
    // The held-out split of the unpaired task keeps its pairs: they measure translation quality.
    return {
      ...base,
      name: 'emoji-unpaired-test',
      paired: true,
      names,
      labels,
      fields: {
        A: { shape, n: items.length, data: await readAll('twitter', items, size, false) },
        B: { shape, n: items.length, data: await readAll('google', items, size, false) },
      },
    };
  }
  const colorize = opts.task === 'colorize';
  return {
    ...base,
    name: `emoji-${opts.task}-${opts.split}`,
    paired: true,
    names,
    labels,
    fields: {
      input: {
        shape,
        n: items.length,
        data: await readAll(colorize ? 'google' : 'twitter', items, size, colorize),
      },
      target: { shape, n: items.length, data: await readAll('google', items, size, false) },
    },
  };
}
