// TF.js weight quantization, as tfjs-converter's --quantize_uint8 / --quantize_float16 write it: each
// weight's bytes are replaced by uint8 codes (affine: value = code * scale + min, per tensor) or
// IEEE half floats, and its weightsManifest entry gets `quantization: {dtype, scale, min}`.
// tf.loadLayersModel (and so loadGenerator, and the web page) dequantizes on load to float32: nothing
// else changes. Weights with fewer than MIN_QUANTIZED_VALUES values (biases, BatchNorm statistics)
// stay float32: they weigh nothing and are the most sensitive to rounding.
import type * as tf from '@tensorflow/tfjs-core';

export const QUANTIZE_DTYPES = ['uint8', 'float16'] as const;
export type QuantizeDtype = (typeof QUANTIZE_DTYPES)[number];

/** Weights smaller than this stay float32. */
export const MIN_QUANTIZED_VALUES = 256;

/** float32 -> IEEE 754 half (round to nearest even; overflow to infinity; subnormals kept). */
export function toFloat16Bits(v: number): number {
  const f = new Float32Array([v]);
  const x = new Uint32Array(f.buffer)[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // inf / nan
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow
  if (e <= 0) {
    if (e < -10) return sign; // underflow to zero
    mant |= 0x800000; // implicit bit
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++; // may carry into the exponent: still correct
  e = half >>> 10;
  return sign | (e >= 0x1f ? 0x7c00 : half);
}

/** Quantizes float32 weights (specs and their concatenated little-endian bytes) for the tfjs loader. */
export function quantizeWeights(
  specs: tf.io.WeightsManifestEntry[],
  data: Uint8Array,
  dtype: QuantizeDtype,
): { specs: tf.io.WeightsManifestEntry[]; data: Uint8Array } {
  const outSpecs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  let off = 0;
  for (const spec of specs) {
    if (spec.quantization) throw new Error(`weight ${spec.name} is already quantized`);
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const bytes = (spec.dtype === 'float32' || spec.dtype === 'int32' ? 4 : 1) * n;
    const raw = data.subarray(off, off + bytes);
    off += bytes;
    if (spec.dtype !== 'float32' || n < MIN_QUANTIZED_VALUES) {
      outSpecs.push({ ...spec });
      parts.push(raw);
      continue;
    }
    const v = new Float32Array(n);
    new Uint8Array(v.buffer).set(raw);
    if (dtype === 'float16') {
      const h = new Uint16Array(n);
      for (let i = 0; i < n; i++) h[i] = toFloat16Bits(v[i]!);
      outSpecs.push({ ...spec, quantization: { dtype: 'float16' } });
      parts.push(new Uint8Array(h.buffer));
      continue;
    }
    let lo = Number.POSITIVE_INFINITY;
    let hi = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < n; i++) {
      lo = Math.min(lo, v[i]!);
      hi = Math.max(hi, v[i]!);
    }
    const scale = hi > lo ? (hi - lo) / 255 : 1;
    const q = new Uint8Array(n);
    for (let i = 0; i < n; i++) q[i] = Math.max(0, Math.min(255, Math.round((v[i]! - lo) / scale)));
    outSpecs.push({ ...spec, quantization: { dtype: 'uint8', scale, min: lo } });
    parts.push(q);
  }
  if (off !== data.length) throw new Error(`quantizeWeights: ${data.length - off} bytes not described by the specs`);
  const total = parts.reduce((s, p) => s + p.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return { specs: outSpecs, data: out };
}
