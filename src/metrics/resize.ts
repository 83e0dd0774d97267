// Image resizing for the Inception feature extractor, following the clean-fid convention (Parmar,
// Zhang, Zhu, "On Aliased Resizing and Surprising Subtleties in GAN Evaluation", CVPR 2022):
// quantize to uint8 first, then resize each channel separately on float values with a bicubic
// filter that is antialiased when downscaling (the resampling of PIL's Image.resize(BICUBIC) in
// 'F' mode: separable, horizontal pass then vertical pass, Keys cubic with a = -0.5, the filter
// support stretched by the scale factor when shrinking, weights normalized per output pixel).

/** Keys' cubic convolution kernel with a = -0.5. */
function cubic(x: number): number {
  const a = -0.5;
  const t = Math.abs(x);
  if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
  return 0;
}

/** Per output index: the first input index and the normalized weights. */
function coefficients(inSize: number, outSize: number): { start: Int32Array; weights: Float64Array[] } {
  const scale = inSize / outSize;
  const stretch = Math.max(scale, 1); // antialias when downscaling
  const support = 2 * stretch;
  const start = new Int32Array(outSize);
  const weights: Float64Array[] = [];
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * scale;
    const lo = Math.max(0, Math.floor(centre - support + 0.5));
    const hi = Math.min(inSize, Math.floor(centre + support + 0.5));
    const w = new Float64Array(hi - lo);
    let sum = 0;
    for (let i = lo; i < hi; i++) {
      const v = cubic((i - centre + 0.5) / stretch);
      w[i - lo] = v;
      sum += v;
    }
    if (sum !== 0) for (let i = 0; i < w.length; i++) w[i] /= sum;
    start[o] = lo;
    weights.push(w);
  }
  return { start, weights };
}

/**
 * Resizes one channel [inH, inW] (row-major floats) to [outH, outW] with antialiased bicubic
 * resampling on float values (no clamping, no rounding).
 */
export function resizeBicubicChannel(
  src: ArrayLike<number>,
  inH: number,
  inW: number,
  outH: number,
  outW: number,
): Float32Array {
  if (src.length !== inH * inW) throw new Error(`resize: expected ${inH}x${inW} values, got ${src.length}`);
  const cx = coefficients(inW, outW);
  const cy = coefficients(inH, outH);
  // Horizontal pass: [inH, outW].
  const tmp = new Float64Array(inH * outW);
  for (let y = 0; y < inH; y++) {
    for (let o = 0; o < outW; o++) {
      const w = cx.weights[o];
      const s = cx.start[o];
      let acc = 0;
      for (let k = 0; k < w.length; k++) acc += w[k] * src[y * inW + s + k];
      tmp[y * outW + o] = acc;
    }
  }
  // Vertical pass: [outH, outW].
  const out = new Float32Array(outH * outW);
  for (let o = 0; o < outH; o++) {
    const w = cy.weights[o];
    const s = cy.start[o];
    for (let x = 0; x < outW; x++) {
      let acc = 0;
      for (let k = 0; k < w.length; k++) acc += w[k] * tmp[(s + k) * outW + x];
      out[o * outW + x] = acc;
    }
  }
  return out;
}

/**
 * clean-fid preprocessing of a batch: images [n, h, w, c] with values in [-1, 1] (c = 1 or 3) are
 * quantized to uint8 (round((x + 1) * 127.5), clamped), then each channel is resized to
 * [size, size] on float values; grayscale is repeated to 3 channels. Returns [n, size, size, 3]
 * floats in 0..255 (not rounded after the resize).
 */
export function cleanResize(
  images: Float32Array,
  n: number,
  h: number,
  w: number,
  c: number,
  size = 299,
): Float32Array {
  if (c !== 1 && c !== 3) throw new Error(`cleanResize: 1 or 3 channels, got ${c}`);
  if (images.length !== n * h * w * c)
    throw new Error(`cleanResize: expected ${n}x${h}x${w}x${c} values, got ${images.length}`);
  const out = new Float32Array(n * size * size * 3);
  const plane = new Float32Array(h * w);
  for (let i = 0; i < n; i++) {
    for (let ch = 0; ch < c; ch++) {
      for (let p = 0; p < h * w; p++) {
        const v = images[(i * h * w + p) * c + ch];
        plane[p] = Math.min(255, Math.max(0, Math.round((v + 1) * 127.5)));
      }
      const r = h === size && w === size ? plane : resizeBicubicChannel(plane, h, w, size, size);
      const targets = c === 1 ? [0, 1, 2] : [ch];
      for (const t of targets) {
        for (let p = 0; p < size * size; p++) out[(i * size * size + p) * 3 + t] = r[p];
      }
    }
  }
  return out;
}
