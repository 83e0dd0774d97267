// The -fmnist metrics read 28x28 grayscale images. Models of Fashion-MNIST padded to 32x32
// (data.size 32, for generators whose side is a power of two) are scored on their centre 28x28,
// the pixels the padding surrounds.

/** Images [n, 28, 28, 1] from [n, 28, 28, 1] (as they are) or [n, 32, 32, 1] (centre crop); null for any other shape. */
export function asFmnist28(images: Float32Array, n: number, shape: readonly number[]): Float32Array | null {
  const [h, w, c] = shape;
  if (c !== 1 || h !== w || (h !== 28 && h !== 32)) return null;
  if (h === 28) return images;
  const p = (32 - 28) / 2;
  const out = new Float32Array(n * 28 * 28); // [n, 28, 28, 1]
  for (let k = 0; k < n; k++)
    for (let i = 0; i < 28; i++) {
      const from = (k * 32 + i + p) * 32 + p;
      out.set(images.subarray(from, from + 28), (k * 28 + i) * 28);
    }
  return out;
}
