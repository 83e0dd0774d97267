// Image-to-image data from folders, in the layouts of the pix2pix and CycleGAN reference code:
// - unpaired: ROOT/trainA, ROOT/trainB (and testA, testB): two domains, any file names (CycleGAN);
// - paired:   the same folders where every file of A has a partner of the same name in B, or
//             ROOT/train (and test) holding side-by-side images, A on the left half, B on the right.
// Images are read with sharp (PNG, JPEG, WebP, GIF, TIFF, AVIF), flattened on white when they have
// transparency, resized to size x size (cover, centred), scaled to [-1, 1].
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

import sharp from 'sharp';

import type { FieldDataset } from './fields.js';

const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.avif']);

export interface TranslationFolderOptions {
  /** The dataset folder (holding trainA/trainB, or train/ with side-by-side pairs). */
  root: string;
  /** Which split's folders. */
  split: 'train' | 'test';
  /** Paired (pix2pix: fields input/target) or unpaired (CycleGAN: fields A/B). */
  paired: boolean;
  /** Side of the square images. */
  size: number;
  /** 1 (grayscale) or 3 (RGB). */
  channels: 1 | 3;
  /** Use at most this many images per domain (sorted by name). */
  limit?: number;
}

function imagesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  if (!statSync(dir).isDirectory()) throw new Error(`${dir} is a file, not a folder of images`);
  return readdirSync(dir)
    .filter((f) => IMAGE_EXT.has(path.extname(f).toLowerCase()) && statSync(path.join(dir, f)).isFile())
    .sort();
}

async function readImage(file: string, size: number, channels: 1 | 3, crop?: 'left' | 'right'): Promise<Float32Array> {
  let img = sharp(file, { animated: false });
  if (crop) {
    const meta = await img.metadata();
    const w = meta.width ?? 0;
    const h = meta.height ?? 0;
    if (w < 2 || w % 2 !== 0)
      throw new Error(`${file} is ${w}x${h}: a side-by-side pair needs an even width (A left, B right)`);
    img = sharp(file, { animated: false }).extract({
      left: crop === 'left' ? 0 : w / 2,
      top: 0,
      width: w / 2,
      height: h,
    });
  }
  img = img.flatten({ background: '#ffffff' }).resize(size, size, { fit: 'cover' });
  if (channels === 1) img = img.grayscale();
  const { data, info } = await img.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const out = new Float32Array(size * size * channels);
  for (let i = 0; i < size * size; i++)
    for (let c = 0; c < channels; c++)
      out[i * channels + c] = data[i * info.channels + Math.min(c, info.channels - 1)]! / 127.5 - 1;
  return out;
}

async function readAll(files: string[], size: number, channels: 1 | 3, crop?: 'left' | 'right'): Promise<Float32Array> {
  const per = size * size * channels;
  const out = new Float32Array(files.length * per);
  for (let i = 0; i < files.length; i += 32) {
    const part = await Promise.all(
      files.slice(i, i + 32).map((f) =>
        readImage(f, size, channels, crop).catch((e: Error) => {
          throw new Error(e.message.startsWith(f) ? e.message : `cannot read ${f}: ${e.message}`);
        }),
      ),
    );
    part.forEach((a, j) => {
      out.set(a, (i + j) * per);
    });
  }
  return out;
}

/** Loads a translation dataset from folders (see the file header for the layouts). */
export async function loadTranslationFolders(o: TranslationFolderOptions): Promise<FieldDataset> {
  if (!existsSync(o.root)) throw new Error(`data folder not found: ${o.root}`);
  const dirA = path.join(o.root, `${o.split}A`);
  const dirB = path.join(o.root, `${o.split}B`);
  const dirAB = path.join(o.root, o.split);
  const shape = [o.size, o.size, o.channels];
  const name = `${path.basename(path.resolve(o.root))}-${o.split}`;
  const cap = (f: string[]) => (o.limit ? f.slice(0, o.limit) : f);
  if (existsSync(dirA) || existsSync(dirB)) {
    const a = imagesIn(dirA);
    const b = imagesIn(dirB);
    for (const [dir, list] of [
      [dirA, a],
      [dirB, b],
    ] as const)
      if (list.length === 0)
        throw new Error(`the domain folder ${dir} has no images (PNG, JPEG, WebP, GIF, TIFF, AVIF)`);
    if (!o.paired) {
      const fa = cap(a).map((f) => path.join(dirA, f));
      const fb = cap(b).map((f) => path.join(dirB, f));
      return {
        kind: 'fields',
        name,
        paired: false,
        fields: {
          A: { shape, n: fa.length, data: await readAll(fa, o.size, o.channels) },
          B: { shape, n: fb.length, data: await readAll(fb, o.size, o.channels) },
        },
      };
    }
    const inB = new Set(b);
    const missing = a.filter((f) => !inB.has(f));
    if (missing.length)
      throw new Error(
        `paired training needs a file of the same name in ${dirB} for every file in ${dirA}; ${missing.length} have none (first: ${missing[0]}). For unpaired data use cyclegan`,
      );
    const files = cap(a);
    for (const f of files) {
      const [ma, mb] = await Promise.all([sharp(path.join(dirA, f)).metadata(), sharp(path.join(dirB, f)).metadata()]);
      if (ma.width !== mb.width || ma.height !== mb.height)
        throw new Error(
          `the pair ${f} differs in size: ${ma.width}x${ma.height} in ${dirA}, ${mb.width}x${mb.height} in ${dirB}`,
        );
    }
    return {
      kind: 'fields',
      name,
      paired: true,
      names: files,
      fields: {
        input: {
          shape,
          n: files.length,
          data: await readAll(
            files.map((f) => path.join(dirA, f)),
            o.size,
            o.channels,
          ),
        },
        target: {
          shape,
          n: files.length,
          data: await readAll(
            files.map((f) => path.join(dirB, f)),
            o.size,
            o.channels,
          ),
        },
      },
    };
  }
  if (existsSync(dirAB)) {
    const files = cap(imagesIn(dirAB)).map((f) => path.join(dirAB, f));
    if (files.length === 0) throw new Error(`the folder ${dirAB} has no images`);
    const a = await readAll(files, o.size, o.channels, 'left');
    const b = await readAll(files, o.size, o.channels, 'right');
    const n = files.length;
    return o.paired
      ? {
          kind: 'fields',
          name,
          paired: true,
          names: files.map((f) => path.basename(f)),
          fields: { input: { shape, n, data: a }, target: { shape, n, data: b } },
        }
      : { kind: 'fields', name, paired: false, fields: { A: { shape, n, data: a }, B: { shape, n, data: b } } };
  }
  throw new Error(
    `${o.root} has neither ${o.split}A/ and ${o.split}B/ (two domains) nor ${o.split}/ (side-by-side pairs)`,
  );
}
