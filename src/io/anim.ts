// Animations of latent walks, labelled as synthetic like every tsgan image: an animated GIF
// (gifenc, with a GIF89a Comment Extension carrying the provenance text) and an APNG (text chunks
// as in png.ts). Also a small GIF block parser that returns size, frame count and comments.
import { createRequire } from 'node:module';

import * as tf from '@tensorflow/tfjs-core';

import { AtomicFileWriter } from './files.js';
import { gridLayout, makeGrid, renderGridRow, type ImageBatch } from './grid.js';
import {
  PngStreamWriter,
  PNG_SIGNATURE,
  checkRaster,
  encodeImageData,
  pngChunk,
  pngIhdrData,
  pngTextChunk,
  provenanceText,
  writeFileAtomic,
  writePng,
  XMP_KEYWORD,
  type Provenance,
  type RasterImage,
} from './png.js';

interface GifEncoderStream {
  writeFrame(
    index: Uint8Array,
    width: number,
    height: number,
    opts: { palette?: number[][]; delay?: number; repeat?: number; first?: boolean },
  ): void;
  finish(): void;
  bytes(): Uint8Array;
  bytesView(): Uint8Array;
  writeHeader(): void;
  reset(): void;
}
interface GifencModule {
  GIFEncoder(opts?: { auto?: boolean }): GifEncoderStream;
  quantize(rgba: Uint8Array | Uint8ClampedArray, maxColors: number, opts?: { format?: string }): number[][];
  applyPalette(rgba: Uint8Array | Uint8ClampedArray, palette: number[][], format?: string): Uint8Array;
}
// gifenc is CommonJS without types; require it explicitly so its export shape is unambiguous.
const gifenc = createRequire(import.meta.url)('gifenc') as GifencModule;

export interface AnimOptions {
  /** Milliseconds per frame (default 100). */
  delayMs?: number;
  /** Loop count: 0 forever (default), n plays n times. */
  loop?: number;
}

/** Expands any raster to RGBA. */
function toRgba(img: RasterImage): Uint8Array {
  const n = img.width * img.height;
  const out = new Uint8Array(n * 4);
  const d = img.data;
  for (let i = 0; i < n; i++) {
    const c = img.channels;
    const s = i * c;
    const g = d[s];
    out[4 * i] = g;
    out[4 * i + 1] = c >= 3 ? d[s + 1] : g;
    out[4 * i + 2] = c >= 3 ? d[s + 2] : g;
    out[4 * i + 3] = c === 2 ? d[s + 1] : c === 4 ? d[s + 3] : 255;
  }
  return out;
}

function checkFrames(frames: RasterImage[]): void {
  if (frames.length === 0) throw new Error('animation needs at least one frame');
  for (const f of frames) {
    checkRaster(f);
    if (f.width !== frames[0].width || f.height !== frames[0].height) {
      throw new Error(
        `animation frames differ in size: ${f.width}x${f.height} vs ${frames[0].width}x${frames[0].height}`,
      );
    }
  }
}

/** GIF89a Comment Extension block(s) holding `text` (ASCII; other characters become '?'). */
function gifComment(text: string): Uint8Array {
  const bytes = Buffer.from(text.replace(/[^\x20-\x7e\n]/g, '?'), 'latin1');
  const parts: number[] = [0x21, 0xfe];
  for (let i = 0; i < bytes.length; i += 255) {
    const sub = bytes.subarray(i, i + 255);
    parts.push(sub.length, ...sub);
  }
  parts.push(0);
  return Uint8Array.from(parts);
}

/** The provenance as one comment string: "key: value" lines. */
export function provenanceComment(p: Provenance): string {
  return Object.entries(provenanceText(p))
    .filter(([k]) => k !== XMP_KEYWORD) // the XMP packet is for PNG; the comment keeps the readable lines
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
}

/** Encodes frames as an animated GIF (one palette per frame) with a provenance comment. */
export function encodeGif(frames: RasterImage[], provenance: Provenance = {}, opts: AnimOptions = {}): Uint8Array {
  checkFrames(frames);
  const enc = gifenc.GIFEncoder();
  const { width, height } = frames[0];
  frames.forEach((f, i) => {
    const rgba = toRgba(f);
    const palette = gifenc.quantize(rgba, 256, { format: 'rgb565' });
    const index = gifenc.applyPalette(rgba, palette, 'rgb565');
    enc.writeFrame(index, width, height, {
      palette,
      delay: opts.delayMs ?? 100,
      repeat: i === 0 ? (opts.loop ?? 0) : undefined,
    });
  });
  enc.finish();
  const body = enc.bytes();
  if (body[body.length - 1] !== 0x3b) throw new Error('gifenc output does not end with the GIF trailer');
  // Insert the comment just before the trailer (a Comment Extension may appear between any blocks).
  const comment = gifComment(provenanceComment({ kind: 'animation', ...provenance }));
  const out = new Uint8Array(body.length + comment.length);
  out.set(body.subarray(0, body.length - 1), 0);
  out.set(comment, body.length - 1);
  out[out.length - 1] = 0x3b;
  return out;
}

/** Writes an animated, labelled GIF. */
export function writeGif(
  file: string,
  frames: RasterImage[],
  provenance: Provenance = {},
  opts: AnimOptions = {},
): void {
  writeFileAtomic(file, encodeGif(frames, provenance, opts));
}

export interface GifInfo {
  width: number;
  height: number;
  frames: number;
  comments: string[];
  /** Per-frame delay in ms from the Graphic Control Extensions. */
  delaysMs: number[];
}

/** Walks the blocks of a GIF and reports its size, frame count, delays and comments. */
export function readGifInfo(bytes: Uint8Array, name = '<buffer>'): GifInfo {
  const sig = Buffer.from(bytes.subarray(0, 6)).toString('latin1');
  if (sig !== 'GIF89a' && sig !== 'GIF87a') throw new Error(`${name}: not a GIF file`);
  const width = bytes[6] | (bytes[7] << 8);
  const height = bytes[8] | (bytes[9] << 8);
  let off = 13;
  if (bytes[10] & 0x80) off += 3 * (1 << ((bytes[10] & 7) + 1));
  const info: GifInfo = { width, height, frames: 0, comments: [], delaysMs: [] };
  const need = (k: number) => {
    if (off + k > bytes.length) throw new Error(`${name}: truncated GIF at byte ${off}`);
  };
  const readSubBlocks = (): Uint8Array => {
    const parts: number[] = [];
    for (;;) {
      need(1);
      const len = bytes[off++];
      if (len === 0) break;
      need(len);
      for (let i = 0; i < len; i++) parts.push(bytes[off + i]);
      off += len;
    }
    return Uint8Array.from(parts);
  };
  for (;;) {
    need(1);
    const b = bytes[off++];
    if (b === 0x3b) break;
    if (b === 0x21) {
      need(1);
      const label = bytes[off++];
      const data = readSubBlocks();
      if (label === 0xfe) info.comments.push(Buffer.from(data).toString('latin1'));
      if (label === 0xf9 && data.length >= 3) info.delaysMs.push((data[1] | (data[2] << 8)) * 10);
    } else if (b === 0x2c) {
      need(9);
      const flags = bytes[off + 8];
      off += 9;
      if (flags & 0x80) off += 3 * (1 << ((flags & 7) + 1));
      need(1);
      off += 1; // LZW minimum code size
      readSubBlocks();
      info.frames++;
    } else {
      throw new Error(`${name}: unexpected GIF block 0x${b.toString(16)} at byte ${off - 1}`);
    }
  }
  return info;
}

/** Encodes frames as an APNG (animated PNG) with the provenance text chunks. */
export function encodeApng(frames: RasterImage[], provenance: Provenance = {}, opts: AnimOptions = {}): Buffer {
  checkFrames(frames);
  const ch = frames[0].channels;
  if (frames.some((f) => f.channels !== ch)) throw new Error('APNG frames must all have the same number of channels');
  const { width, height } = frames[0];
  const parts: Buffer[] = [Buffer.from(PNG_SIGNATURE), pngChunk('IHDR', pngIhdrData(frames[0]))];
  const actl = Buffer.alloc(8);
  actl.writeUInt32BE(frames.length, 0);
  actl.writeUInt32BE(opts.loop ?? 0, 4);
  parts.push(pngChunk('acTL', actl));
  for (const [k, v] of Object.entries(provenanceText({ kind: 'animation', ...provenance })))
    parts.push(pngTextChunk(k, v));
  let seq = 0;
  const delay = Math.max(1, Math.round(opts.delayMs ?? 100));
  frames.forEach((f, i) => {
    const fc = Buffer.alloc(26);
    fc.writeUInt32BE(seq++, 0);
    fc.writeUInt32BE(width, 4);
    fc.writeUInt32BE(height, 8);
    // x/y offsets 0 (bytes 12..19); delay as delay/1000 s
    fc.writeUInt16BE(delay, 20);
    fc.writeUInt16BE(1000, 22);
    fc[24] = 0; // dispose: none
    fc[25] = 0; // blend: source
    parts.push(pngChunk('fcTL', fc));
    const z = encodeImageData(f);
    if (i === 0) parts.push(pngChunk('IDAT', z));
    else {
      const fd = Buffer.alloc(4 + z.length);
      fd.writeUInt32BE(seq++, 0);
      fd.set(z, 4);
      parts.push(pngChunk('fdAT', fd));
    }
  });
  parts.push(pngChunk('IEND', new Uint8Array(0)));
  return Buffer.concat(parts);
}

/** Writes an animated, labelled PNG. */
export function writeApng(
  file: string,
  frames: RasterImage[],
  provenance: Provenance = {},
  opts: AnimOptions = {},
): void {
  writeFileAtomic(file, encodeApng(frames, provenance, opts));
}

export interface LatentWalkFiles {
  /** PNG strip: one row per walk, one column per step. */
  png?: string;
  /** Animated GIF: frame s shows step s of every walk side by side. */
  gif?: string;
  /** Animated PNG, same frames as the GIF. */
  apng?: string;
}

export interface LatentWalkOptions extends AnimOptions {
  /** Play forward then backward so the loop has no jump (default true). */
  pingPong?: boolean;
  /** Nearest-neighbour upscaling of each image (default 2). */
  scale?: number;
  /** Pixels between images (default 2). */
  padding?: number;
}

/**
 * Writes a latent walk given its images as [W, S, H, W, C] (W walks of S steps) or [S, H, W, C]
 * (one walk), values in [-1, 1]: a PNG strip and/or an animation, all labelled with provenance.
 */
export async function writeLatentWalk(
  files: LatentWalkFiles,
  walk: tf.Tensor | ImageBatch | { data: ArrayLike<number>; shape: number[] },
  provenance: Provenance = {},
  opts: LatentWalkOptions = {},
): Promise<void> {
  const images = walk instanceof tf.Tensor ? { data: await walk.data(), shape: walk.shape } : walk;
  const shape = images.shape.length === 4 ? [1, ...images.shape] : images.shape;
  if (shape.length !== 5)
    throw new Error(
      `latent walk images must be [walks, steps, H, W, C] or [steps, H, W, C], got [${images.shape.join(', ')}]`,
    );
  const [walks, steps, h, w, c] = shape;
  const per = h * w * c;
  if (images.data.length !== walks * steps * per)
    throw new Error(`latent walk data has ${images.data.length} values, shape needs ${walks * steps * per}`);
  const grid = { padding: opts.padding ?? 2, scale: opts.scale ?? 2 };
  const prov = { kind: `latent walk: ${walks} walk(s) of ${steps} steps`, ...provenance };
  if (files.png) {
    const img = makeGrid({ data: images.data, shape: [walks * steps, h, w, c] }, { ...grid, cols: steps });
    writePng(files.png, img, prov);
  }
  if (files.gif || files.apng) {
    const frames: RasterImage[] = [];
    for (let s = 0; s < steps; s++) {
      const data = new Float32Array(walks * per); // [walks, H, W, C] at step s
      for (let k = 0; k < walks; k++) {
        const src = (k * steps + s) * per;
        for (let i = 0; i < per; i++) data[k * per + i] = images.data[src + i];
      }
      frames.push(makeGrid({ data, shape: [walks, h, w, c] }, { ...grid, cols: walks }));
    }
    const seq = (opts.pingPong ?? true) && steps > 2 ? [...frames, ...frames.slice(1, -1).reverse()] : frames;
    if (files.gif) writeGif(files.gif, seq, prov, opts);
    if (files.apng) writeApng(files.apng, seq, prov, opts);
  }
}

/** Writes an animated GIF frame by frame (the file appears when `finish()` succeeds). */
export class GifStreamWriter {
  private readonly out: AtomicFileWriter;
  private readonly enc = gifenc.GIFEncoder({ auto: false });
  private frames = 0;
  private size: [number, number] | null = null;

  constructor(
    file: string,
    private readonly provenance: Provenance = {},
    private readonly opts: AnimOptions = {},
  ) {
    this.out = new AtomicFileWriter(file, { cleanupOnSignal: true });
  }

  writeFrame(f: RasterImage): void {
    checkRaster(f);
    if (this.size && (f.width !== this.size[0] || f.height !== this.size[1]))
      throw new Error(`animation frames differ in size: ${f.width}x${f.height} vs ${this.size[0]}x${this.size[1]}`);
    this.size = [f.width, f.height];
    const enc = this.enc;
    if (this.frames === 0) enc.writeHeader();
    const rgba = toRgba(f);
    const palette = gifenc.quantize(rgba, 256, { format: 'rgb565' });
    const index = gifenc.applyPalette(rgba, palette, 'rgb565');
    const first = this.frames === 0;
    enc.writeFrame(index, f.width, f.height, {
      palette,
      delay: this.opts.delayMs ?? 100,
      repeat: first ? (this.opts.loop ?? 0) : undefined,
      first,
    });
    this.out.write(enc.bytesView());
    enc.reset();
    this.frames++;
  }

  finish(): void {
    if (this.frames === 0) {
      this.abort();
      throw new Error('animation needs at least one frame');
    }
    this.out.write(gifComment(provenanceComment({ kind: 'animation', ...this.provenance })));
    this.out.write(Uint8Array.from([0x3b]));
    this.out.commit();
  }

  abort(): void {
    this.out.abort();
  }
}

/** Writes an APNG of a known number of frames frame by frame (the file appears when complete). */
export class ApngStreamWriter {
  private readonly out: AtomicFileWriter;
  private seq = 0;
  private frames = 0;
  private readonly delay: number;

  constructor(
    file: string,
    private readonly header: Pick<RasterImage, 'width' | 'height' | 'channels'>,
    private readonly count: number,
    provenance: Provenance = {},
    opts: AnimOptions = {},
  ) {
    this.out = new AtomicFileWriter(file, { cleanupOnSignal: true });
    const actl = Buffer.alloc(8);
    actl.writeUInt32BE(count, 0);
    actl.writeUInt32BE(opts.loop ?? 0, 4);
    const parts = [
      Buffer.from(PNG_SIGNATURE),
      pngChunk('IHDR', pngIhdrData({ ...header, data: new Uint8Array(0) })),
      pngChunk('acTL', actl),
    ];
    for (const [k, v] of Object.entries(provenanceText({ kind: 'animation', ...provenance })))
      parts.push(pngTextChunk(k, v));
    this.out.write(Buffer.concat(parts));
    this.delay = Math.max(1, Math.round(opts.delayMs ?? 100));
  }

  writeFrame(f: RasterImage): void {
    checkRaster(f);
    const { width, height, channels } = this.header;
    if (f.width !== width || f.height !== height || f.channels !== channels)
      throw new Error(`APNG frame ${f.width}x${f.height}x${f.channels} differs from ${width}x${height}x${channels}`);
    if (this.frames >= this.count) throw new Error(`APNG: more than the ${this.count} frames announced`);
    const fc = Buffer.alloc(26);
    fc.writeUInt32BE(this.seq++, 0);
    fc.writeUInt32BE(width, 4);
    fc.writeUInt32BE(height, 8);
    fc.writeUInt16BE(this.delay, 20);
    fc.writeUInt16BE(1000, 22);
    const parts = [pngChunk('fcTL', fc)];
    const z = encodeImageData(f);
    if (this.frames === 0) parts.push(pngChunk('IDAT', z));
    else {
      const fd = Buffer.alloc(4 + z.length);
      fd.writeUInt32BE(this.seq++, 0);
      fd.set(z, 4);
      parts.push(pngChunk('fdAT', fd));
    }
    this.out.write(Buffer.concat(parts));
    this.frames++;
  }

  finish(): void {
    if (this.frames !== this.count) {
      this.abort();
      throw new Error(`APNG: ${this.frames} of ${this.count} frames written`);
    }
    this.out.write(pngChunk('IEND', new Uint8Array(0)));
    this.out.commit();
  }

  abort(): void {
    this.out.abort();
  }
}

/** One walk whose frames are made on demand (e.g. by a generator), for writeWalkStream. */
export interface WalkSource {
  /** Frames in the walk, in order. */
  count: number;
  /** One frame: [H, W, C] (C = 1 or 3). */
  tile: [number, number, number];
  /** Values of the given frames, in that order ([k, H, W, C], in `range`). */
  framesOf(indices: number[]): Promise<ArrayLike<number>>;
}

export interface WalkStreamOptions extends LatentWalkOptions {
  /** Value range of the frames (default [-1, 1]). */
  range?: [number, number];
  /** The PNG strip wraps after this many frames (default 64). */
  stripCols?: number;
  /** Frames made at once on the way back of a ping-pong animation (default 64). */
  batch?: number;
  /** Bytes of drawn frames kept for the way back instead of making them again (default 64 MiB). */
  cacheBytes?: number;
  /** Called with (frames made, frames to make). */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Writes one latent walk (a PNG strip wrapped every `stripCols` frames, and/or a GIF or APNG) without
 * holding it: frames are made a strip row at a time and written at once; the way back of a ping-pong
 * animation makes its frames again. Files appear only when complete; on failure none is left.
 */
export async function writeWalkStream(
  files: LatentWalkFiles,
  src: WalkSource,
  provenance: Provenance = {},
  opts: WalkStreamOptions = {},
): Promise<{ frames: number; animationFrames: number }> {
  const { count, tile } = src;
  if (!(Number.isInteger(count) && count > 0)) throw new Error(`a latent walk needs frames, got ${count}`);
  const grid = { padding: opts.padding ?? 2, scale: opts.scale ?? 2, range: opts.range };
  const strip = gridLayout(count, tile, { ...grid, cols: Math.min(count, opts.stripCols ?? 64) });
  const one = gridLayout(1, tile, grid);
  const back = (opts.pingPong ?? true) && count > 2 ? count - 2 : 0;
  const animFrames = count + back;
  const prov = { kind: `latent walk of ${count} steps`, ...provenance };
  const size = { width: one.width, height: one.height, channels: tile[2] as 1 | 3 };
  const writers: { abort(): void }[] = [];
  const open = <T extends { abort(): void }>(make: () => T): T => {
    const w = make();
    writers.push(w);
    return w;
  };
  try {
    const png = files.png
      ? open(() => new PngStreamWriter(files.png!, { ...size, width: strip.width, height: strip.height }, prov))
      : null;
    const gif = files.gif ? open(() => new GifStreamWriter(files.gif!, prov, opts)) : null;
    const apng = files.apng ? open(() => new ApngStreamWriter(files.apng!, size, animFrames, prov, opts)) : null;
    const anim = gif || apng;
    const per = tile[0] * tile[1] * tile[2];
    // Frames drawn on the way out are kept (within cacheBytes) for the way back of a ping-pong.
    const cache = new Map<number, Uint8Array>();
    let cacheLeft = anim && back > 0 ? (opts.cacheBytes ?? 64 * 2 ** 20) : 0;
    const emit = (data: Uint8Array) => {
      const frame: RasterImage = { ...size, data };
      gif?.writeFrame(frame);
      apng?.writeFrame(frame);
    };
    const toAnim = (vals: ArrayLike<number>, indices: number[]) => {
      if (!anim) return;
      indices.forEach((f, i) => {
        const v = ArrayBuffer.isView(vals)
          ? (vals as Float32Array).subarray(i * per, (i + 1) * per)
          : Array.prototype.slice.call(vals, i * per, (i + 1) * per);
        const data = renderGridRow(one, 0, v, grid);
        emit(data);
        if (f >= 1 && f <= count - 2 && data.length <= cacheLeft) {
          cache.set(f, data);
          cacheLeft -= data.length;
        }
      });
    };
    let done = 0;
    const total = count + (anim ? back : 0);
    for (let r = 0; r < strip.rows; r++) {
      const start = r * strip.cols;
      const k = Math.min(strip.cols, count - start);
      const indices = Array.from({ length: k }, (_, i) => start + i);
      const vals = await src.framesOf(indices);
      if (png) await png.writeRows(renderGridRow(strip, r, vals, grid));
      toAnim(vals, indices);
      done += k;
      opts.onProgress?.(done, total);
    }
    if (anim) {
      const batch = Math.max(1, opts.batch ?? 64);
      const order = Array.from({ length: back }, (_, j) => count - 2 - j);
      for (let i = 0; i < back; ) {
        const kept = cache.get(order[i]);
        if (kept) {
          emit(kept);
          i++;
        } else {
          const indices: number[] = [];
          while (i < back && indices.length < batch && !cache.has(order[i])) indices.push(order[i++]);
          toAnim(await src.framesOf(indices), indices);
        }
        if (i % batch === 0 || i === back) opts.onProgress?.(count + i, total);
      }
    }
    await png?.finish();
    gif?.finish();
    apng?.finish();
    return { frames: count, animationFrames: anim ? animFrames : 0 };
  } catch (e) {
    for (const w of writers) w.abort();
    throw e;
  }
}
