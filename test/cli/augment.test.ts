// tsgan augment (src/train/augment.ts): a cgan checkpoint writes N labelled PNGs per class into
// class sub-folders (the layout the folder loader reads back with those labels); an unconditional
// run and a non-empty destination are sentences that write nothing.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { loadImageFolder } from '../../src/data/image_folder.js';
import { isLabelledSynthetic, loadFashionMnist, readPngText } from '../../src/index.js';
import { CGAN } from '../../src/models/cgan.js';
import { DCGAN } from '../../src/models/dcgan.js';
import type { GANModel } from '../../src/models/types.js';
import { augmentFromRun } from '../../src/train/augment.js';
import { writeCheckpointFile } from '../../src/train/checkpoint.js';
import { parseConfig } from '../../src/train/config.js';
import { Trainer } from '../../src/train/trainer.js';

function ckpt(dir: string, name: string, model: GANModel): string {
  const t = new Trainer({
    config: parseConfig({ batchSize: 4, seed: 1, ema: 0 }),
    dataset: loadFashionMnist({ limit: 16 }),
    model,
  });
  t.trainStep();
  const file = path.join(dir, `${name}.ckpt`);
  writeCheckpointFile(file, t.toCheckpoint());
  t.dispose();
  return file;
}

test('augment: N labelled PNGs per class in class folders that the folder loader reads back; bad runs write nothing', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-augment-'));
  try {
    const cgan = ckpt(dir, 'cgan', new CGAN({ resolution: 28, channels: 1, numClasses: 10, width: 4, latentDim: 8 }));
    const out = path.join(dir, 'aug');
    const r = await augmentFromRun(cgan, out, { perClass: 3 });
    assert.equal(r.classes.length, 10);
    assert.equal(r.classes[9], 'Ankle_boot');
    for (const c of r.classes) assert.equal(readdirSync(path.join(out, c)).length, 3);
    const first = path.join(out, r.classes[0]!, '00000.png');
    assert.ok(isLabelledSynthetic(readPngText(first)));
    const ds = await loadImageFolder(out, { size: 28, color: 'grayscale' });
    assert.equal(ds.n, 30);
    assert.deepEqual([...new Set(ds.labels)].length, 10);
    assert.equal(readdirSync(dir).filter((f) => f.includes('.tmp-')).length, 0, 'no temporary folder left');

    const dc = ckpt(dir, 'dc', new DCGAN({ resolution: 28, channels: 1, width: 4, latentDim: 8 }));
    await assert.rejects(
      augmentFromRun(dc, path.join(dir, 'x'), { perClass: 2 }),
      /unconditional dcgan model; augment needs a class-conditional run/,
    );
    assert.equal(existsSync(path.join(dir, 'x')), false);
    mkdirSync(path.join(dir, 'full'));
    writeFileSync(path.join(dir, 'full', 'a.txt'), 'x');
    await assert.rejects(augmentFromRun(cgan, path.join(dir, 'full'), { perClass: 2 }), /not an empty folder/);
    await assert.rejects(
      augmentFromRun(cgan, path.join(dir, 'y'), { perClass: 0 }),
      /--per-class must be a whole number >= 1/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
