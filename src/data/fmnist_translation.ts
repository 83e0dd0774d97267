// Translation tasks built from Fashion-MNIST, so they train with nothing but the embedded data:
// - edges: { input: the garment's Sobel edge map, target: the garment } (pix2pix: sketch to image)
// - sneaker-boot: { A: sneakers, B: ankle boots } unpaired (CycleGAN), from two disjoint halves of
//   the images so no image sits in both domains' history.
// Images are padded from 28x28 to 32x32 with the background value (-1), since the U-Net halves
// the image down to 1x1; metrics crop nothing (the border is background in inputs and targets).
import type { FieldDataset } from './fields.js';
import type { ImageDataset } from './types.js';

/** Pads [N, 28, 28, 1] images in [-1, 1] to [N, size, size, 1] with -1 around (centred). */
export function padImages(images: Float32Array, n: number, from: number, size: number): Float32Array {
  if (size < from) throw new Error(`cannot pad ${from}x${from} images to ${size}x${size}`);
  const off = Math.floor((size - from) / 2);
  const out = new Float32Array(n * size * size).fill(-1);
  for (let k = 0; k < n; k++)
    for (let y = 0; y < from; y++)
      out.set(images.subarray((k * from + y) * from, (k * from + y + 1) * from), (k * size + y + off) * size + off);
  return out;
}

/** Sobel gradient magnitude of each [size, size] image in [-1, 1], scaled per image to [-1, 1] (edges bright). */
export function sobelEdges(images: Float32Array, n: number, size: number): Float32Array {
  const out = new Float32Array(n * size * size);
  const at = (k: number, y: number, x: number) =>
    images[(k * size + Math.min(size - 1, Math.max(0, y))) * size + Math.min(size - 1, Math.max(0, x))]!;
  for (let k = 0; k < n; k++) {
    let max = 0;
    const mag = new Float32Array(size * size);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++) {
        const gx =
          at(k, y - 1, x + 1) +
          2 * at(k, y, x + 1) +
          at(k, y + 1, x + 1) -
          at(k, y - 1, x - 1) -
          2 * at(k, y, x - 1) -
          at(k, y + 1, x - 1);
        const gy =
          at(k, y + 1, x - 1) +
          2 * at(k, y + 1, x) +
          at(k, y + 1, x + 1) -
          at(k, y - 1, x - 1) -
          2 * at(k, y - 1, x) -
          at(k, y - 1, x + 1);
        const m = Math.hypot(gx, gy);
        mag[y * size + x] = m;
        max = Math.max(max, m);
      }
    for (let i = 0; i < size * size; i++) out[k * size * size + i] = max > 0 ? (mag[i]! / max) * 2 - 1 : -1;
  }
  return out;
}

/** Edge-to-garment pairs from a Fashion-MNIST dataset (28x28x1), padded to `size` (default 32). */
export function fmnistEdgePairs(ds: ImageDataset, size = 32): FieldDataset {
  if (ds.channels !== 1 || ds.height !== 28 || ds.width !== 28)
    throw new Error(
      `the edges task needs 28x28 grayscale Fashion-MNIST images, ${ds.name} is ${ds.height}x${ds.width}x${ds.channels}`,
    );
  const target = padImages(ds.images, ds.n, 28, size);
  return {
    kind: 'fields',
    name: `${ds.name}-edges`,
    paired: true,
    labels: ds.labels ?? undefined,
    classNames: ds.classNames,
    fields: {
      input: { shape: [size, size, 1], n: ds.n, data: sobelEdges(target, ds.n, size) },
      target: { shape: [size, size, 1], n: ds.n, data: target },
    },
  };
}

/** Unpaired domains of two Fashion-MNIST classes (default sneaker -> ankle boot), from disjoint halves. */
export function fmnistClassDomains(ds: ImageDataset, classA = 7, classB = 9, size = 32): FieldDataset {
  if (!ds.labels) throw new Error(`${ds.name} has no class labels`);
  const per = 28 * 28;
  const pick = (cls: number, half: 0 | 1) => {
    const idx: number[] = [];
    for (let i = 0; i < ds.n; i++) if (ds.labels![i] === cls && i % 2 === half) idx.push(i);
    const out = new Float32Array(idx.length * per);
    idx.forEach((j, k) => {
      out.set(ds.images.subarray(j * per, (j + 1) * per), k * per);
    });
    return { data: padImages(out, idx.length, 28, size), n: idx.length };
  };
  const a = pick(classA, 0);
  const b = pick(classB, 1);
  if (a.n === 0 || b.n === 0) throw new Error(`${ds.name} has no images of class ${a.n === 0 ? classA : classB}`);
  return {
    kind: 'fields',
    name: `${ds.name}-${ds.classNames[classA] ?? classA}-to-${ds.classNames[classB] ?? classB}`
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-'),
    paired: false,
    fields: {
      A: { shape: [size, size, 1], n: a.n, data: a.data },
      B: { shape: [size, size, 1], n: b.n, data: b.data },
    },
  };
}
