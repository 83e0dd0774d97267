// Scatter plots of 2-D points (toy-distribution samples) as RGB rasters: real mode centres as red
// rings, samples as translucent dark dots, a light frame and axes through the origin. Written as a
// labelled PNG through png.ts like every tsgan image.
import { writePng, type Provenance, type RasterImage } from './png.js';

export interface ScatterOptions {
  /** Side of the square image in pixels (default 256). */
  size?: number;
  /** Half-width of the square plotted region around the origin (default: fits points and modes, at least 1.2x the modes' extent). */
  extent?: number;
  /** [M, 2] mode centres drawn as rings. */
  modes?: ArrayLike<number>;
  /** Ring radius in data units (e.g. 3 sigma); default 3% of the extent. */
  modeRadius?: number;
  /** Dot opacity 0..1 (default 0.35). */
  alpha?: number;
}

function blend(img: Uint8Array, size: number, x: number, y: number, rgb: [number, number, number], a: number): void {
  if (x < 0 || y < 0 || x >= size || y >= size) return;
  const o = (y * size + x) * 3;
  for (let c = 0; c < 3; c++) img[o + c] = Math.round(img[o + c] * (1 - a) + rgb[c] * a);
}

/** Renders points [N, 2] (and optional modes) into an RGB raster with y pointing up. */
export function scatterPlot(points: ArrayLike<number>, opts: ScatterOptions = {}): RasterImage {
  const size = opts.size ?? 256;
  if (!Number.isInteger(size) || size < 16) throw new Error(`scatter plot size must be an integer >= 16, got ${size}`);
  if (points.length % 2 !== 0) throw new Error(`scatter plot points must be [N, 2], got ${points.length} values`);
  const modes = opts.modes ?? [];
  let extent = opts.extent ?? 0;
  if (!extent) {
    let m = 0;
    for (let i = 0; i < modes.length; i++) m = Math.max(m, Math.abs(modes[i]));
    let p = 0;
    for (let i = 0; i < points.length; i++) if (Number.isFinite(points[i])) p = Math.max(p, Math.abs(points[i]));
    extent = Math.max(m * 1.25, Math.min(p * 1.05, m > 0 ? m * 3 : Infinity), 1e-3);
  }
  const img = new Uint8Array(size * size * 3).fill(255);
  const toPx = (v: number) => ((v + extent) / (2 * extent)) * (size - 1);
  // Axes through the origin and a frame.
  const o = Math.round(toPx(0));
  for (let k = 0; k < size; k++) {
    blend(img, size, k, o, [200, 200, 200], 1);
    blend(img, size, o, k, [200, 200, 200], 1);
    for (const e of [0, size - 1]) {
      blend(img, size, k, e, [160, 160, 160], 1);
      blend(img, size, e, k, [160, 160, 160], 1);
    }
  }
  const a = opts.alpha ?? 0.35;
  for (let i = 0; i < points.length / 2; i++) {
    const x = points[2 * i];
    const y = points[2 * i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    const px = Math.round(toPx(x));
    const py = Math.round(size - 1 - toPx(y));
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++)
        blend(img, size, px + dx, py + dy, [20, 40, 120], dx === 0 && dy === 0 ? a : a / 2);
  }
  const ringR = Math.max(2, ((opts.modeRadius ?? extent * 0.03) / (2 * extent)) * (size - 1));
  for (let j = 0; j < modes.length / 2; j++) {
    const cx = toPx(modes[2 * j]);
    const cy = size - 1 - toPx(modes[2 * j + 1]);
    const steps = Math.max(16, Math.ceil(2 * Math.PI * ringR * 2));
    for (let s = 0; s < steps; s++) {
      const t = (2 * Math.PI * s) / steps;
      blend(img, size, Math.round(cx + ringR * Math.cos(t)), Math.round(cy + ringR * Math.sin(t)), [220, 30, 30], 1);
    }
  }
  return { width: size, height: size, channels: 3, data: img };
}

/** Writes a scatter plot of generated points as a labelled PNG. */
export function writeScatterPng(
  file: string,
  points: ArrayLike<number>,
  provenance: Provenance = {},
  opts: ScatterOptions = {},
): RasterImage {
  const img = scatterPlot(points, opts);
  writePng(file, img, { kind: `scatter plot of ${points.length / 2} generated 2-D points`, ...provenance });
  return img;
}
