// Full-reference image quality, for translation models measured against ground truth on held-out
// pairs. All in float64 on the host.
// - L1: mean absolute difference over every value.
// - PSNR: 10 log10(L^2 / MSE) per image, averaged over images (L: the data range, 2 for [-1, 1]).
// - SSIM (Wang, Bovik, Sheikh & Simoncelli 2004): local means, variances and covariance under an
//   11x11 Gaussian window (sigma 1.5, the paper's), population (not sample) statistics,
//   C1 = (0.01 L)^2, C2 = (0.03 L)^2; the SSIM map over the positions where the window fits (no
//   padding), averaged over positions, then channels, then images. This is scikit-image's
//   structural_similarity with gaussian_weights=True, sigma=1.5, use_sample_covariance=False.

/** Images [N, H, W, C] row-major as a flat array, with their shape. */
export interface ImageBatch {
  data: ArrayLike<number>;
  shape: [number, number, number, number];
}

function check(a: ImageBatch, b: ImageBatch): void {
  if (a.shape.join(',') !== b.shape.join(','))
    throw new Error(`image quality: the images differ in shape ([${a.shape}] vs [${b.shape}])`);
  const n = a.shape.reduce((x, y) => x * y, 1);
  if (a.data.length !== n || b.data.length !== n)
    throw new Error('image quality: data length does not match the shape');
}

/** Mean absolute difference. */
export function meanAbsoluteError(a: ImageBatch, b: ImageBatch): number {
  check(a, b);
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += Math.abs(a.data[i]! - b.data[i]!);
  return s / a.data.length;
}

/** PSNR in dB per image, averaged over images; identical images count as 100 dB. */
export function psnr(a: ImageBatch, b: ImageBatch, dataRange = 2): number {
  check(a, b);
  const [n] = a.shape;
  const per = a.data.length / n;
  let total = 0;
  for (let k = 0; k < n; k++) {
    let mse = 0;
    for (let i = k * per; i < (k + 1) * per; i++) mse += (a.data[i]! - b.data[i]!) ** 2;
    mse /= per;
    total += mse === 0 ? 100 : 10 * Math.log10((dataRange * dataRange) / mse);
  }
  return total / n;
}

/** The normalized 1-D Gaussian of the SSIM window: 2r + 1 taps. */
function gaussianTaps(sigma: number, radius: number): Float64Array {
  const w = new Float64Array(2 * radius + 1);
  let s = 0;
  for (let i = -radius; i <= radius; i++) s += w[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  for (let i = 0; i < w.length; i++) w[i]! /= s;
  return w;
}

/** Separable 'valid' filtering of one plane [H, W] -> [H - 2r, W - 2r]. */
function filterValid(p: Float64Array, h: number, w: number, taps: Float64Array): Float64Array {
  const r = (taps.length - 1) / 2;
  const ho = h - 2 * r;
  const wo = w - 2 * r;
  const rows = new Float64Array(h * wo);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < wo; x++) {
      let s = 0;
      for (let t = 0; t < taps.length; t++) s += taps[t]! * p[y * w + x + t]!;
      rows[y * wo + x] = s;
    }
  const out = new Float64Array(ho * wo);
  for (let y = 0; y < ho; y++)
    for (let x = 0; x < wo; x++) {
      let s = 0;
      for (let t = 0; t < taps.length; t++) s += taps[t]! * rows[(y + t) * wo + x]!;
      out[y * wo + x] = s;
    }
  return out;
}

export interface SsimOptions {
  /** Data range L (2 for [-1, 1], 255 for bytes). */
  dataRange?: number;
  /** Gaussian sigma of the window. Default 1.5. */
  sigma?: number;
  /** Window radius (taps = 2r + 1). Default 5 (11x11). */
  radius?: number;
}

/** Mean SSIM over images (see the file header for the exact definition). */
export function ssim(a: ImageBatch, b: ImageBatch, opts: SsimOptions = {}): number {
  check(a, b);
  const L = opts.dataRange ?? 2;
  const taps = gaussianTaps(opts.sigma ?? 1.5, opts.radius ?? 5);
  const [n, h, w, c] = a.shape;
  const r = (taps.length - 1) / 2;
  if (h <= 2 * r || w <= 2 * r)
    throw new Error(`SSIM needs images larger than its ${taps.length}x${taps.length} window, got ${h}x${w}`);
  const c1 = (0.01 * L) ** 2;
  const c2 = (0.03 * L) ** 2;
  const plane = (src: ArrayLike<number>, k: number, ch: number, f: (v: number) => number) => {
    const p = new Float64Array(h * w);
    for (let i = 0; i < h * w; i++) p[i] = f(src[(k * h * w + i) * c + ch]!);
    return p;
  };
  let total = 0;
  for (let k = 0; k < n; k++) {
    let perImage = 0;
    for (let ch = 0; ch < c; ch++) {
      const x = plane(a.data, k, ch, (v) => v);
      const y = plane(b.data, k, ch, (v) => v);
      const xy = new Float64Array(h * w);
      for (let i = 0; i < xy.length; i++) xy[i] = x[i]! * y[i]!;
      const [mx, my] = [filterValid(x, h, w, taps), filterValid(y, h, w, taps)];
      const mxx = filterValid(
        x.map((v) => v * v),
        h,
        w,
        taps,
      );
      const myy = filterValid(
        y.map((v) => v * v),
        h,
        w,
        taps,
      );
      const mxy = filterValid(xy, h, w, taps);
      let s = 0;
      for (let i = 0; i < mx.length; i++) {
        const ux = mx[i]!;
        const uy = my[i]!;
        const vx = mxx[i]! - ux * ux;
        const vy = myy[i]! - uy * uy;
        const cov = mxy[i]! - ux * uy;
        s += ((2 * ux * uy + c1) * (2 * cov + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
      }
      perImage += s / mx.length;
    }
    total += perImage / c;
  }
  return total / n;
}
