// Video clips out of tsgan: the clips of a video generator (MoCoGAN) as one animated grid (GIF, or
// APNG for a .png/.apng name; both labelled synthetic like every tsgan image), a frames-by-clips
// PNG sheet for sample grids, and `sampleVideo`, the library side of `tsgan sample RUN --video`
// with separate content and motion seeds.
import path from 'node:path';

import * as tf from '@tensorflow/tfjs-core';

import { writeApng, writeGif } from '../io/anim.js';
import { prepareOutputFile } from '../io/files.js';
import { type Provenance, type RasterImage, writePng } from '../io/png.js';
import type { MoCoGAN } from '../models/mocogan.js';
import type { GeneratorHandle } from '../train/inference.js';

/** Clips as flat values [N, T, H, W, C] in [-1, 1]. */
export interface ClipBatch {
  values: Float32Array;
  /** [N, T, H, W, C] */
  shape: [number, number, number, number, number];
}

const toByte = (v: number) => Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));

/**
 * The animation frames of a grid of clips: frame f is clip i's frame f in cell i (row-major, `cols`
 * columns, a 1-pixel gap), each pixel `scale` times; RGB (grayscale clips are repeated).
 */
export function clipGridFrames(clips: ClipBatch, cols?: number, scale = 1): RasterImage[] {
  const [n, t, h, w, c] = clips.shape;
  const nc = Math.max(1, Math.min(n, cols ?? Math.ceil(Math.sqrt(n))));
  const nr = Math.ceil(n / nc);
  const gap = 1;
  const cw = w * scale + gap;
  const ch = h * scale + gap;
  const width = nc * cw - gap;
  const height = nr * ch - gap;
  const frames: RasterImage[] = [];
  for (let f = 0; f < t; f++) {
    const data = new Uint8Array(width * height * 3).fill(32);
    for (let i = 0; i < n; i++) {
      const ox = (i % nc) * cw;
      const oy = Math.floor(i / nc) * ch;
      const base = (i * t + f) * h * w * c;
      for (let y = 0; y < h * scale; y++)
        for (let x = 0; x < w * scale; x++) {
          const s = base + (Math.floor(y / scale) * w + Math.floor(x / scale)) * c;
          const o = ((oy + y) * width + ox + x) * 3;
          for (let k = 0; k < 3; k++) data[o + k] = toByte(clips.values[s + (c >= 3 ? k : 0)]!);
        }
    }
    frames.push({ width, height, channels: 3, data });
  }
  return frames;
}

/** A still sheet of clips: one row per clip, one column per frame (the run's sample grid). */
export function clipSheet(clips: ClipBatch, scale = 1): RasterImage {
  const [n, t, h, w, c] = clips.shape;
  const width = t * w * scale;
  const height = n * h * scale;
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < n; i++)
    for (let f = 0; f < t; f++)
      for (let y = 0; y < h * scale; y++)
        for (let x = 0; x < w * scale; x++) {
          const s = ((i * t + f) * h * w + Math.floor(y / scale) * w + Math.floor(x / scale)) * c;
          const o = ((i * h * scale + y) * width + f * w * scale + x) * 3;
          for (let k = 0; k < 3; k++) data[o + k] = toByte(clips.values[s + (c >= 3 ? k : 0)]!);
        }
  return { width, height, channels: 3, data };
}

/** The animation format a file name asks for: .gif, or .png/.apng (APNG); a sentence otherwise. */
export function animationFormat(file: string): 'gif' | 'apng' {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.gif') return 'gif';
  if (ext === '.png' || ext === '.apng') return 'apng';
  throw new Error(
    `-o ${file}: a video is written as an animated GIF (.gif) or an animated PNG (.png or .apng); give one of those names`,
  );
}

/** Writes a grid of clips as one labelled animation (GIF or APNG, from the file name). */
export function writeClipAnimation(
  file: string,
  clips: ClipBatch,
  provenance: Provenance,
  opts: { cols?: number; scale?: number; delayMs?: number } = {},
): void {
  const format = animationFormat(file);
  prepareOutputFile(file);
  const frames = clipGridFrames(clips, opts.cols, opts.scale ?? 1);
  const anim = { delayMs: opts.delayMs ?? 100 };
  if (format === 'gif') writeGif(file, frames, provenance, anim);
  else writeApng(file, frames, provenance, anim);
}

/** Writes a clip sheet PNG (rows: clips, columns: frames). */
export function writeClipSheet(file: string, clips: ClipBatch, provenance: Provenance, scale = 1): void {
  writePng(file, clipSheet(clips, scale), provenance);
}

export interface VideoSampleOptions {
  /** Number of clips. */
  n: number;
  /** Seed of the clips' content codes (clip i: the i-th draw of this seed). */
  contentSeed: number;
  /** Seed of the clips' motion (the GRU's initial state and per-frame noise). */
  motionSeed: number;
  /** Grid columns (default: about the square root of n). */
  cols?: number;
  /** Integer upscaling of each frame. */
  scale?: number;
  /** Milliseconds per frame (default 100: 16 frames play in 1.6 s). */
  delayMs?: number;
}

/** The video model behind a generator handle, or a sentence saying why there is none. */
function videoModelOf(g: GeneratorHandle): MoCoGAN {
  const model = g.trainer?.model as Partial<MoCoGAN> | undefined;
  if (g.outputShape.length !== 4 || !model || typeof model.videoLatent !== 'function') {
    if (g.outputShape.length !== 4)
      throw new Error(
        `--video needs a video model (mocogan); ${g.path} holds a ${g.model} model, which makes single images: drop --video`,
      );
    throw new Error(`--video samples a run folder or checkpoint of a video model; ${g.path} is an exported generator`);
  }
  return model as MoCoGAN;
}

/** Generates n clips from separate content and motion seeds: values [N, T, H, W, C] in [-1, 1]. */
export function generateClips(
  g: GeneratorHandle,
  o: Pick<VideoSampleOptions, 'n' | 'contentSeed' | 'motionSeed'>,
): ClipBatch {
  const model = videoModelOf(g);
  if (!Number.isInteger(o.n) || o.n < 1) throw new Error(`the number of clips must be 1 or more, got ${o.n}`);
  const z = model.videoLatent(o.n, o.contentSeed, o.motionSeed);
  try {
    const out = tf.tidy(() => g.network.predict(z, { batchSize: 16 }) as tf.Tensor); // [N, T, H, W, C]
    const values = out.dataSync() as Float32Array;
    const shape = out.shape as ClipBatch['shape'];
    out.dispose();
    return { values: Float32Array.from(values), shape };
  } finally {
    z.dispose();
  }
}

/** `tsgan sample RUN --video`: n clips as one animated grid; returns the clips' shape. */
export function sampleVideo(
  g: GeneratorHandle,
  file: string,
  o: VideoSampleOptions,
  provenance: Provenance,
): ClipBatch['shape'] {
  animationFormat(file);
  const clips = generateClips(g, o);
  writeClipAnimation(
    file,
    clips,
    {
      ...provenance,
      kind: `video clips (${clips.shape[0]} clips of ${clips.shape[1]} frames)`,
      seed: `content ${o.contentSeed}, motion ${o.motionSeed}`,
    },
    o,
  );
  return clips.shape;
}

/** Refuses a video model where single images are asked for, pointing at --video. */
export function refuseVideoModel(g: Pick<GeneratorHandle, 'outputShape' | 'model' | 'path'>): void {
  if (g.outputShape.length === 4)
    throw new Error(
      `${g.path} holds a video model (${g.model}: clips of ${g.outputShape[0]} frames): add --video and name a .gif or .png file`,
    );
}
