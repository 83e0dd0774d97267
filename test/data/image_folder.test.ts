import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import sharp from 'sharp';

import { loadImageFolder } from '../../src/data/image_folder.js';

async function solid(
  file: string,
  w: number,
  h: number,
  rgb: [number, number, number],
  format: 'png' | 'jpeg' = 'png',
) {
  const img = sharp({ create: { width: w, height: h, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } });
  writeFileSync(file, await (format === 'png' ? img.png() : img.jpeg({ quality: 95 })).toBuffer());
}

/** A 30x10 image: left third red, middle green, right third blue. */
async function stripes(file: string) {
  const data = Buffer.alloc(30 * 10 * 3);
  for (let y = 0; y < 10; y++) {
    for (let x = 0; x < 30; x++) data[(y * 30 + x) * 3 + Math.floor(x / 10)] = 255;
  }
  writeFileSync(
    file,
    await sharp(data, { raw: { width: 30, height: 10, channels: 3 } })
      .png()
      .toBuffer(),
  );
}

async function fixture(): Promise<string> {
  const root = mkdtempSync(path.join(tmpdir(), 'tsgan-folder-'));
  mkdirSync(path.join(root, 'cats'));
  mkdirSync(path.join(root, 'dogs', 'nested'), { recursive: true });
  await solid(path.join(root, 'cats', 'a.png'), 16, 16, [255, 0, 0]);
  await solid(path.join(root, 'cats', 'b.PNG'), 16, 16, [250, 0, 0]);
  await stripes(path.join(root, 'cats', 'c.png'));
  await solid(path.join(root, 'dogs', 'd.jpg'), 64, 48, [0, 0, 255], 'jpeg');
  await solid(path.join(root, 'dogs', 'nested', 'e.jpeg'), 5, 5, [0, 255, 0], 'jpeg');
  writeFileSync(path.join(root, 'dogs', 'notes.txt'), 'not an image');
  writeFileSync(path.join(root, '.DS_Store'), 'junk');
  return root;
}

test('image folder: labels from sub-folders, resize + center crop, RGB in [-1, 1], mixed sizes reported', async () => {
  const root = await fixture();
  const warnings: string[] = [];
  const ds = await loadImageFolder(root, { size: 10, warn: (m) => warnings.push(m) });
  assert.equal(ds.n, 5);
  assert.deepEqual([ds.height, ds.width, ds.channels], [10, 10, 3]);
  assert.deepEqual(ds.classNames, ['cats', 'dogs']);
  assert.equal(ds.numClasses, 2);
  assert.deepEqual([...ds.labels!], [0, 0, 0, 1, 1]);
  assert.deepEqual(
    ds.files.map((f) => path.basename(f)),
    ['a.png', 'b.PNG', 'c.png', 'd.jpg', 'e.jpeg'],
  );
  const px = (i: number, x: number, y: number) =>
    Array.from(ds.images.subarray((i * 100 + y * 10 + x) * 3, (i * 100 + y * 10 + x) * 3 + 3));
  assert.deepEqual(px(0, 5, 5), [1, -1, -1]); // red
  // Center crop of the 30x10 stripes keeps only the green middle third.
  for (const x of [0, 4, 9]) assert.deepEqual(px(2, x, 3), [-1, 1, -1], `column ${x}`);
  const blue = px(3, 5, 5);
  assert.ok(blue[2] > 0.95 && blue[0] < -0.9, `jpeg blue ${blue}`);
  assert.equal(ds.report.found, 5);
  assert.equal(ds.report.ignored, 1); // notes.txt; hidden files (.DS_Store) are not listed at all
  assert.equal(ds.report.mixedSizes, true);
  assert.deepEqual(ds.report.sourceSizes, { '16x16': 2, '30x10': 1, '64x48': 1, '5x5': 1 });
  assert.equal(ds.report.upscaled, 1);
  assert.ok(
    warnings.some((w) => /4 different sizes/.test(w) && /resized to 10x10/.test(w)),
    warnings.join('\n'),
  );
});

test('image folder: grayscale, [h, w] size, unlabelled, limit', async () => {
  const root = await fixture();
  const ds = await loadImageFolder(root, {
    size: [6, 8],
    color: 'grayscale',
    labels: 'none',
    limit: 3,
    warn: () => {},
  });
  assert.deepEqual([ds.n, ds.height, ds.width, ds.channels], [3, 6, 8, 1]);
  assert.equal(ds.labels, null);
  assert.equal(ds.numClasses, 0);
  assert.equal(ds.images.length, 3 * 6 * 8);
  // Red is darker than white and brighter than black in gray.
  assert.ok(ds.images[0] > -0.9 && ds.images[0] < 0.5, `gray of red: ${ds.images[0]}`);
  // A flat folder without sub-folders is unlabelled.
  const flat = mkdtempSync(path.join(tmpdir(), 'tsgan-flat-'));
  await solid(path.join(flat, 'x.png'), 4, 4, [255, 255, 255]);
  const f = await loadImageFolder(flat, { size: 4 });
  assert.equal(f.labels, null);
  assert.deepEqual([...f.images.subarray(0, 3)], [1, 1, 1]);
  assert.equal(f.report.mixedSizes, false);
});

test('image folder: an empty folder, a missing folder and a folder of non-images are clear errors', async () => {
  const empty = mkdtempSync(path.join(tmpdir(), 'tsgan-empty-'));
  await assert.rejects(
    loadImageFolder(empty),
    (e: Error) => e.message.includes(empty) && /no images found \(\.png, \.jpg/.test(e.message),
  );
  writeFileSync(path.join(empty, 'a.txt'), 'x');
  await assert.rejects(loadImageFolder(empty), /1 other file\(s\) skipped: \.txt ×1/);
  await assert.rejects(loadImageFolder(path.join(empty, 'nope')), /image folder does not exist/);
  await assert.rejects(loadImageFolder(path.join(empty, 'a.txt')), /not a folder/);
  await assert.rejects(loadImageFolder(empty, { size: 0 }), /image size must be integers/);
});

test('image folder: a corrupt PNG is skipped with a warning, or is an error naming the file', async () => {
  const root = await fixture();
  const bad = path.join(root, 'cats', 'broken.png');
  writeFileSync(bad, Buffer.from('\x89PNG\r\n\x1a\nthis is not really a png'));
  const good = readFileSync(path.join(root, 'cats', 'a.png'));
  const truncated = path.join(root, 'dogs', 'truncated.png');
  writeFileSync(truncated, good.subarray(0, Math.floor(good.length / 2)));
  const warnings: string[] = [];
  const ds = await loadImageFolder(root, { size: 8, warn: (m) => warnings.push(m) });
  assert.equal(ds.n, 5, 'the five good images are kept');
  assert.deepEqual(ds.report.skipped.map((s) => path.basename(s.file)).sort(), ['broken.png', 'truncated.png']);
  assert.ok(warnings.some((w) => w.includes(bad) && /skipped/.test(w)));
  assert.ok(warnings.some((w) => w.includes(truncated)));
  await assert.rejects(
    loadImageFolder(root, { size: 8, onCorrupt: 'error', warn: () => {} }),
    (e: Error) => (e.message.includes(bad) || e.message.includes(truncated)) && /cannot read image/.test(e.message),
  );
  // Nothing readable at all is an error too.
  const allBad = mkdtempSync(path.join(tmpdir(), 'tsgan-allbad-'));
  writeFileSync(path.join(allBad, 'x.jpg'), 'nope');
  await assert.rejects(loadImageFolder(allBad, { warn: () => {} }), /none of the 1 image file\(s\) could be read/);
});

test('image folder: WebP, GIF and TIFF are read; other files are skipped with a count by extension', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'tsgan-formats-'));
  const img = (rgb: [number, number, number]) =>
    sharp({ create: { width: 6, height: 6, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } });
  writeFileSync(path.join(root, 'a.webp'), await img([255, 0, 0]).webp({ lossless: true }).toBuffer());
  writeFileSync(path.join(root, 'b.gif'), await img([0, 0, 255]).gif().toBuffer());
  writeFileSync(path.join(root, 'c.tiff'), await img([0, 255, 0]).tiff({ compression: 'lzw' }).toBuffer());
  writeFileSync(path.join(root, 'd.bmp'), 'BM not read by sharp');
  writeFileSync(path.join(root, 'e.bmp'), 'BM');
  writeFileSync(path.join(root, 'readme.txt'), 'x');
  const warnings: string[] = [];
  const ds = await loadImageFolder(root, { size: 6, warn: (m) => warnings.push(m) });
  assert.deepEqual(
    ds.files.map((f) => path.basename(f)),
    ['a.webp', 'b.gif', 'c.tiff'],
  );
  const at = (i: number) => Array.from(ds.images.subarray(i * 108, i * 108 + 3));
  assert.deepEqual(at(0), [1, -1, -1], 'webp red');
  assert.ok(at(1)[2] > 0.9 && at(1)[0] < -0.9, `gif blue ${at(1)}`);
  assert.deepEqual(at(2), [-1, 1, -1], 'tiff green');
  assert.equal(ds.report.ignored, 3);
  assert.ok(
    warnings.some(
      (w) => /3 file\(s\) that are not images tsgan reads were skipped/.test(w) && /\.bmp ×2, \.txt ×1/.test(w),
    ),
    warnings.join('\n'),
  );
});

test('image folder: symbolic links to files and to class folders are followed, loops listed once', async () => {
  const data = mkdtempSync(path.join(tmpdir(), 'tsgan-links-'));
  const elsewhere = mkdtempSync(path.join(tmpdir(), 'tsgan-elsewhere-'));
  mkdirSync(path.join(data, 'cats'));
  mkdirSync(path.join(elsewhere, 'dogs'));
  await solid(path.join(elsewhere, 'cat.png'), 4, 4, [255, 0, 0]);
  await solid(path.join(elsewhere, 'dogs', 'dog.png'), 4, 4, [0, 0, 255]);
  symlinkSync(path.join(elsewhere, 'cat.png'), path.join(data, 'cats', 'linked.png')); // a linked file
  symlinkSync(path.join(elsewhere, 'dogs'), path.join(data, 'dogs')); // a linked class folder
  symlinkSync(data, path.join(data, 'cats', 'loop')); // a loop back to the top
  symlinkSync(path.join(elsewhere, 'missing.png'), path.join(data, 'cats', 'gone.png')); // a broken link
  const warnings: string[] = [];
  const ds = await loadImageFolder(data, { size: 4, warn: (m) => warnings.push(m) });
  assert.deepEqual(ds.classNames, ['cats', 'dogs']);
  assert.deepEqual([...ds.labels!], [0, 1]);
  assert.deepEqual(Array.from(ds.images.subarray(0, 3)), [1, -1, -1]);
  assert.deepEqual(Array.from(ds.images.subarray(48, 51)), [-1, -1, 1]);
  assert.deepEqual(
    ds.report.brokenLinks.map((f) => path.basename(f)),
    ['gone.png'],
  );
  assert.ok(
    warnings.some((w) => /1 symbolic link\(s\) point to nothing/.test(w)),
    warnings.join('\n'),
  );
});
