// Image folders as datasets: PNG, JPEG, WebP, GIF (first frame), TIFF and AVIF files decoded with
// sharp (libvips), symbolic links to files and folders followed (each folder once), other files
// skipped with a count by extension; class labels from the names of the first-level sub-folders (sorted), each image resized to cover the target size and
// center-cropped, as grayscale or RGB, in [-1, 1]. Transparent pixels are flattened onto a
// background colour; EXIF orientation is applied. Corrupt images are skipped with a warning or are
// an error naming the file (option onCorrupt); mixed source sizes are resized and reported.
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

import sharp from 'sharp';

import type { ImageDataset } from './types.js';

/** File extensions read as images (case-insensitive). */
export const IMAGE_EXTENSIONS = ['.png', '.jpg', '.jpeg', '.webp', '.gif', '.tif', '.tiff', '.avif'] as const;

/** Formats (as sharp names them) accepted from those files. */
const IMAGE_FORMATS = ['png', 'jpeg', 'webp', 'gif', 'tiff', 'heif'];

export interface ImageFolderOptions {
  /** Output side in pixels, or [height, width] (default 64). */
  size?: number | [number, number];
  /** 'rgb' (3 channels, default) or 'grayscale' (1 channel). */
  color?: 'rgb' | 'grayscale';
  /** 'cover': resize to cover then center-crop (default); 'contain': letterbox; 'fill': stretch. */
  fit?: 'cover' | 'contain' | 'fill';
  /** Colour for transparent pixels and letterbox bars (default '#000000'). */
  background?: string;
  /** 'skip' (default): warn and leave the file out; 'error': throw, naming the file. */
  onCorrupt?: 'skip' | 'error';
  /** 'auto' (default): labels from sub-folder names when there are any; 'none': unlabelled. */
  labels?: 'auto' | 'none';
  /** Stop after this many images (in sorted order). */
  limit?: number;
  /** Images decoded at once (default 4). */
  concurrency?: number;
  /** Where warnings go (default console.warn). */
  warn?: (message: string) => void;
}

export interface ImageFolderReport {
  /** Image files found (by extension). */
  found: number;
  loaded: number;
  /** Files left out and why. */
  skipped: { file: string; reason: string }[];
  /** Files without an image extension (skipped, with a warning). */
  ignored: number;
  /** Symbolic links whose target does not exist (skipped, with a warning). */
  brokenLinks: string[];
  /** Source sizes 'WxH' and how many images had each. */
  sourceSizes: Record<string, number>;
  /** True when the sources do not all have one size. */
  mixedSizes: boolean;
  /** Images whose source was smaller than the target on some side (upscaled). */
  upscaled: number;
}

export interface ImageFolderDataset extends ImageDataset {
  /** [N] source file of each image (absolute). */
  files: string[];
  report: ImageFolderReport;
}

function isImageFile(name: string): boolean {
  return (IMAGE_EXTENSIONS as readonly string[]).includes(path.extname(name).toLowerCase());
}

/**
 * All files under dir (sorted, recursive), skipping hidden entries and following symbolic links;
 * `seen` holds the real paths of the folders already listed (a link loop is listed once), `broken`
 * collects links to nothing.
 */
function listFiles(dir: string, seen: Set<string>, broken: string[]): string[] {
  const out: string[] = [];
  const entries = readdirSync(dir, { withFileTypes: true })
    .filter((e) => !e.name.startsWith('.'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = path.join(dir, e.name);
    let isDir = e.isDirectory();
    let isFile = e.isFile();
    if (e.isSymbolicLink()) {
      try {
        const st = statSync(p);
        isDir = st.isDirectory();
        isFile = st.isFile();
      } catch {
        broken.push(p);
        continue;
      }
    }
    if (isDir) {
      const real = realpathSync(p);
      if (seen.has(real)) continue;
      seen.add(real);
      out.push(...listFiles(p, seen, broken));
    } else if (isFile) out.push(p);
  }
  return out;
}

/** '.bmp ×2, .txt ×1' for the extensions of files (most frequent first). */
function countByExtension(files: string[]): string {
  const counts = new Map<string, number>();
  for (const f of files) {
    const ext = path.extname(f).toLowerCase() || '(no extension)';
    counts.set(ext, (counts.get(ext) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 6)
    .map(([e, c]) => `${e} ×${c}`)
    .join(', ');
}

interface Decoded {
  data: Uint8Array;
  srcW: number;
  srcH: number;
}

async function decode(
  file: string,
  h: number,
  w: number,
  opts: Required<Pick<ImageFolderOptions, 'color' | 'fit' | 'background'>>,
): Promise<Decoded> {
  const meta = await sharp(file, { failOn: 'error' }).metadata();
  if (!meta.width || !meta.height) throw new Error('no image dimensions');
  if (!IMAGE_FORMATS.includes(meta.format ?? ''))
    throw new Error(`format '${meta.format}' is not one tsgan reads (${IMAGE_EXTENSIONS.join(', ')})`);
  let img = sharp(file, { failOn: 'error' })
    .rotate() // apply EXIF orientation
    .flatten({ background: opts.background })
    .resize(w, h, { fit: opts.fit, position: 'centre', background: opts.background });
  img = opts.color === 'grayscale' ? img.toColourspace('b-w') : img.toColourspace('srgb');
  const { data, info } = await img.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  const want = opts.color === 'grayscale' ? 1 : 3;
  if (info.width !== w || info.height !== h)
    throw new Error(`decoded to ${info.width}x${info.height}, expected ${w}x${h}`);
  let px: Uint8Array = data;
  if (info.channels !== want) {
    // Normalise channel count (libvips keeps 1-channel images 1-channel in some paths).
    px = new Uint8Array(w * h * want);
    for (let i = 0; i < w * h; i++) {
      const s = i * info.channels;
      if (want === 3) {
        const g = data[s];
        px[3 * i] = g;
        px[3 * i + 1] = info.channels >= 3 ? data[s + 1] : g;
        px[3 * i + 2] = info.channels >= 3 ? data[s + 2] : g;
      } else {
        px[i] = info.channels >= 3 ? Math.round(0.299 * data[s] + 0.587 * data[s + 1] + 0.114 * data[s + 2]) : data[s];
      }
    }
  }
  const oriented = (meta.orientation ?? 1) >= 5; // EXIF 5-8 swap width and height
  return { data: px, srcW: oriented ? meta.height : meta.width, srcH: oriented ? meta.width : meta.height };
}

/** Loads a folder of images (PNG, JPEG, WebP, GIF, TIFF, AVIF) as an ImageDataset (see the options for labels, size, colour). */
export async function loadImageFolder(dir: string, opts: ImageFolderOptions = {}): Promise<ImageFolderDataset> {
  const root = path.resolve(dir);
  if (!existsSync(root)) throw new Error(`${root}: image folder does not exist`);
  if (!statSync(root).isDirectory()) throw new Error(`${root}: not a folder`);
  const [h, w] =
    typeof opts.size === 'number' || opts.size === undefined ? [opts.size ?? 64, opts.size ?? 64] : opts.size;
  if (![h, w].every((v) => Number.isInteger(v) && v >= 1 && v <= 4096))
    throw new Error(`image size must be integers in 1..4096, got ${h}x${w}`);
  const color = opts.color ?? 'rgb';
  if (color !== 'rgb' && color !== 'grayscale')
    throw new Error(`color must be 'rgb' or 'grayscale', got '${color as string}'`);
  const channels = color === 'rgb' ? 3 : 1;
  const onCorrupt = opts.onCorrupt ?? 'skip';
  const warn = opts.warn ?? ((m: string) => console.warn(`tsgan: ${m}`));
  const decodeOpts = { color, fit: opts.fit ?? 'cover', background: opts.background ?? '#000000' } as const;

  const brokenLinks: string[] = [];
  const all = listFiles(root, new Set([realpathSync(root)]), brokenLinks);
  let files = all.filter((f) => isImageFile(f));
  const others = all.filter((f) => !isImageFile(f));
  const ignored = others.length;
  if (files.length === 0) {
    throw new Error(
      `${root}: no images found (${IMAGE_EXTENSIONS.join(', ')}; searched sub-folders too` +
        `${ignored ? `; ${ignored} other file(s) skipped: ${countByExtension(others)}` : ''})`,
    );
  }
  if (ignored)
    warn(
      `${root}: ${ignored} file(s) that are not images tsgan reads were skipped (${countByExtension(others)}; read: ${IMAGE_EXTENSIONS.join(' ')})`,
    );
  if (brokenLinks.length)
    warn(
      `${root}: ${brokenLinks.length} symbolic link(s) point to nothing and were skipped (e.g. ${path.relative(root, brokenLinks[0])})`,
    );

  // Classes: first-level sub-folders that contain images.
  const rel = files.map((f) => path.relative(root, f).split(path.sep));
  const classNames =
    opts.labels === 'none' ? [] : [...new Set(rel.filter((r) => r.length > 1).map((r) => r[0]))].sort();
  const skipped: { file: string; reason: string }[] = [];
  if (classNames.length > 0) {
    const loose = files.filter((_, i) => rel[i].length === 1);
    if (loose.length) {
      warn(
        `${root}: ${loose.length} image(s) directly in the folder are not in a class sub-folder and are left out (e.g. ${path.basename(loose[0])})`,
      );
      for (const f of loose) skipped.push({ file: f, reason: 'not in a class sub-folder' });
      files = files.filter((_, i) => rel[i].length > 1);
    }
  }
  const classOf = (f: string) => classNames.indexOf(path.relative(root, f).split(path.sep)[0]);
  const found = files.length;
  const limit = opts.limit ?? Infinity;
  if (!(limit > 0)) throw new Error(`limit must be a positive integer, got ${opts.limit}`);

  const per = h * w * channels;
  const kept: { file: string; data: Uint8Array; label: number; srcW: number; srcH: number }[] = [];
  const conc = Math.max(1, opts.concurrency ?? 4);
  for (let i = 0; i < files.length && kept.length < limit; i += conc) {
    const chunk = files.slice(i, i + conc);
    const results = await Promise.allSettled(chunk.map((f) => decode(f, h, w, decodeOpts)));
    for (let k = 0; k < chunk.length; k++) {
      const r = results[k];
      if (r.status === 'fulfilled') {
        if (kept.length < limit)
          kept.push({
            file: chunk[k],
            data: r.value.data,
            label: classOf(chunk[k]),
            srcW: r.value.srcW,
            srcH: r.value.srcH,
          });
        continue;
      }
      const reason = (r.reason as Error)?.message ?? String(r.reason);
      if (onCorrupt === 'error') throw new Error(`${chunk[k]}: cannot read image: ${reason}`);
      warn(`${chunk[k]}: skipped, cannot read image: ${reason}`);
      skipped.push({ file: chunk[k], reason });
    }
  }
  if (kept.length === 0)
    throw new Error(
      `${root}: none of the ${found} image file(s) could be read (first error: ${skipped[skipped.length - 1]?.reason})`,
    );

  const n = kept.length;
  const images = new Float32Array(n * per); // [N, H, W, C]
  const labels = classNames.length ? new Int32Array(n) : null;
  const sourceSizes: Record<string, number> = {};
  let upscaled = 0;
  kept.forEach((k, i) => {
    for (let j = 0; j < per; j++) images[i * per + j] = k.data[j] / 127.5 - 1;
    if (labels) labels[i] = k.label;
    const key = `${k.srcW}x${k.srcH}`;
    sourceSizes[key] = (sourceSizes[key] ?? 0) + 1;
    if (k.srcW < w || k.srcH < h) upscaled++;
  });
  const mixedSizes = Object.keys(sourceSizes).length > 1;
  if (mixedSizes) {
    const top = Object.entries(sourceSizes)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([s, c]) => `${s} ×${c}`)
      .join(', ');
    warn(
      `${root}: images have ${Object.keys(sourceSizes).length} different sizes (${top}${Object.keys(sourceSizes).length > 4 ? ', ...' : ''}); all resized to ${w}x${h} (${decodeOpts.fit})${upscaled ? `, ${upscaled} upscaled` : ''}`,
    );
  }
  return {
    kind: 'image',
    name: path.basename(root),
    n,
    height: h,
    width: w,
    channels,
    images,
    labels,
    numClasses: classNames.length,
    classNames,
    files: kept.map((k) => k.file),
    report: { found, loaded: n, skipped, ignored, brokenLinks, sourceSizes, mixedSizes, upscaled },
  };
}
