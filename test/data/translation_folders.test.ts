// Translation data from folders: unpaired trainA/trainB, paired by file name, side-by-side AB
// images; and the bad inputs: unpaired folders given to paired training, mismatched pair sizes, an
// empty domain folder, a root with neither layout.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import sharp from 'sharp';

import { loadTranslationFolders } from '../../src/data/translation_folders.js';

async function png(file: string, w: number, h: number, rgb: [number, number, number], alpha = false) {
  mkdirSync(path.dirname(file), { recursive: true });
  const channels = alpha ? 4 : 3;
  const buf = Buffer.alloc(w * h * channels);
  for (let i = 0; i < w * h; i++) {
    buf.set(rgb, i * channels);
    if (alpha) buf[i * channels + 3] = i % 2 ? 0 : 255;
  }
  await sharp(buf, { raw: { width: w, height: h, channels } })
    .png()
    .toFile(file);
}

test('translation folders: unpaired, paired by name, side-by-side; bad layouts named', async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tsgan-tf-'));
  try {
    await png(path.join(root, 'u', 'trainA', 'a1.png'), 10, 8, [255, 0, 0]);
    await png(path.join(root, 'u', 'trainA', 'a2.png'), 10, 8, [255, 0, 0]);
    await png(path.join(root, 'u', 'trainB', 'b1.png'), 12, 12, [0, 0, 255], true);
    const u = await loadTranslationFolders({
      root: path.join(root, 'u'),
      split: 'train',
      paired: false,
      size: 8,
      channels: 3,
    });
    assert.equal(u.paired, false);
    assert.equal(u.fields.A!.n, 2);
    assert.equal(u.fields.B!.n, 1);
    assert.deepEqual(Array.from(u.fields.A!.data.slice(0, 3)), [1, -1, -1], 'red in [-1, 1]');
    await assert.rejects(
      loadTranslationFolders({ root: path.join(root, 'u'), split: 'train', paired: true, size: 8, channels: 3 }),
      /needs a file of the same name in .*trainB.*2 have none \(first: a1.png\)\. For unpaired data use cyclegan/,
    );

    await png(path.join(root, 'p', 'trainA', 'x.png'), 16, 16, [0, 255, 0]);
    await png(path.join(root, 'p', 'trainB', 'x.png'), 16, 16, [0, 0, 0]);
    const p = await loadTranslationFolders({
      root: path.join(root, 'p'),
      split: 'train',
      paired: true,
      size: 8,
      channels: 1,
    });
    assert.deepEqual(p.fields.input!.shape, [8, 8, 1]);
    assert.equal(p.fields.target!.data[0], -1);
    await png(path.join(root, 'p', 'trainA', 'y.png'), 16, 16, [0, 255, 0]);
    await png(path.join(root, 'p', 'trainB', 'y.png'), 20, 16, [0, 0, 0]);
    await assert.rejects(
      loadTranslationFolders({ root: path.join(root, 'p'), split: 'train', paired: true, size: 8, channels: 1 }),
      /the pair y.png differs in size: 16x16 in .*, 20x16 in/,
    );

    await png(path.join(root, 's', 'train', 'pair.png'), 16, 8, [255, 255, 255]);
    const s = await loadTranslationFolders({
      root: path.join(root, 's'),
      split: 'train',
      paired: true,
      size: 8,
      channels: 3,
    });
    assert.equal(s.fields.input!.n, 1);
    await png(path.join(root, 's', 'train', 'odd.png'), 15, 8, [255, 255, 255]);
    await assert.rejects(
      loadTranslationFolders({ root: path.join(root, 's'), split: 'train', paired: true, size: 8, channels: 3 }),
      /odd.png is 15x8: a side-by-side pair needs an even width/,
    );

    mkdirSync(path.join(root, 'e', 'trainA'), { recursive: true });
    await png(path.join(root, 'e', 'trainB', 'b.png'), 8, 8, [1, 2, 3]);
    await assert.rejects(
      loadTranslationFolders({ root: path.join(root, 'e'), split: 'train', paired: false, size: 8, channels: 3 }),
      /the domain folder .*trainA has no images/,
    );
    mkdirSync(path.join(root, 'none'));
    await assert.rejects(
      loadTranslationFolders({ root: path.join(root, 'none'), split: 'test', paired: false, size: 8, channels: 3 }),
      /has neither testA\/ and testB\/ \(two domains\) nor test\/ \(side-by-side pairs\)/,
    );
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
