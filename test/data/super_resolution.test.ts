// Super-resolution data (src/data/super_resolution.ts): inputs are the targets' bicubic downscale,
// the bicubic baseline round-trips a smooth image closely, random crops of a folder of photos of
// different sizes, and clear errors for an image smaller than the crop and a corrupt file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import sharp from 'sharp';

import { checkFieldDataset } from '../../src/data/fields.js';
import { bicubicUpscale, downscale, fmnistSR, folderCropsSR } from '../../src/data/super_resolution.js';
import { loadFashionMnist } from '../../src/index.js';

test('fmnistSR: 7x7 inputs are the box-like average of 4x4 target blocks (antialiased bicubic), x2 gives 14x14', () => {
  const ds = loadFashionMnist({ limit: 16 });
  const sr = fmnistSR(ds.images, ds.n, 4);
  checkFieldDataset(sr);
  assert.deepEqual(sr.fields.input!.shape, [7, 7, 1]);
  assert.deepEqual(sr.fields.target!.shape, [28, 28, 1]);
  assert.deepEqual(fmnistSR(ds.images, ds.n, 2).fields.input!.shape, [14, 14, 1]);
  // A constant image stays constant; the mean is kept closely for real images.
  const flat = downscale(new Float32Array(28 * 28).fill(0.25), 1, 28, 1, 4);
  assert.ok(flat.every((v) => Math.abs(v - 0.25) < 1e-6));
  const lr = sr.fields.input!.data as Float32Array;
  const meanOf = (a: Float32Array, i: number, n: number) => a.subarray(i * n, (i + 1) * n).reduce((x, y) => x + y) / n;
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(meanOf(lr, i, 49) - meanOf(ds.images, i, 784)) < 0.05);
});

test('bicubic round trip of a smooth gradient is close; values stay in [-1, 1]', () => {
  const s = 32;
  const img = new Float32Array(s * s * 3);
  for (let y = 0; y < s; y++)
    for (let x = 0; x < s; x++) for (let c = 0; c < 3; c++) img[(y * s + x) * 3 + c] = (x + y) / (2 * s) - 0.5;
  const back = bicubicUpscale(downscale(img, 1, s, 3, 4), 1, 8, 8, 3, 4);
  let err = 0;
  for (let y = 4; y < s - 4; y++)
    for (let x = 4; x < s - 4; x++) err = Math.max(err, Math.abs(back[(y * s + x) * 3]! - img[(y * s + x) * 3]!));
  assert.ok(err < 0.02, `interior error ${err}`);
  assert.ok(back.every((v) => v >= -1 && v <= 1));
});

test('folderCropsSR: seeded random crops of photos of any size; too-small and corrupt images are clear errors', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-sr-'));
  try {
    const photo = (w: number, h: number) =>
      sharp({ create: { width: w, height: h, channels: 3, background: { r: 200, g: 40, b: 90 } } })
        .png()
        .toBuffer();
    writeFileSync(path.join(dir, 'a.png'), await photo(100, 70));
    writeFileSync(path.join(dir, 'b.png'), await photo(48, 300));
    const ds = await folderCropsSR({ dir, hrSize: 32, scale: 4, cropsPerImage: 3, seed: 1 });
    checkFieldDataset(ds);
    assert.equal(ds.fields.target!.n, 6);
    assert.deepEqual(ds.fields.input!.shape, [8, 8, 3]);
    const again = await folderCropsSR({ dir, hrSize: 32, scale: 4, cropsPerImage: 3, seed: 1 });
    assert.deepEqual(again.fields.input!.data, ds.fields.input!.data);
    await assert.rejects(
      folderCropsSR({ dir, hrSize: 64, scale: 4, cropsPerImage: 1, seed: 1 }),
      /smaller than the 64x64 crops/,
    );
    writeFileSync(path.join(dir, 'c.png'), 'not a png');
    await assert.rejects(
      folderCropsSR({ dir, hrSize: 32, scale: 4, cropsPerImage: 1, seed: 1 }),
      /c\.png is not a readable image/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
