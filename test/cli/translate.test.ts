// tsgan translate: a CycleGAN and a pix2pix checkpoint translate a rectangular RGBA image (size and
// alpha kept, output labelled synthetic, both CycleGAN directions, the any-size generator equal to
// the trained one at the training size); bad inputs are sentences and write nothing.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import sharp from 'sharp';

import type { FieldDataset } from '../../src/data/fields.js';
import { isLabelledSynthetic, loadFashionMnist, openGenerator, readPngText, tf } from '../../src/index.js';
import { CycleGAN } from '../../src/models/cyclegan.js';
import { Pix2Pix } from '../../src/models/pix2pix.js';
import type { GANModel } from '../../src/models/types.js';
import { writeCheckpointFile } from '../../src/train/checkpoint.js';
import { parseConfig } from '../../src/train/config.js';
import { Trainer } from '../../src/train/trainer.js';
import { openTranslator, translateFiles } from '../../src/train/translate.js';

function fields(paired: boolean, size: number): FieldDataset {
  const data = () => new Float32Array(4 * size * size * 3).map((_, i) => Math.sin(i) * 0.9);
  const names = paired ? ['input', 'target'] : ['A', 'B'];
  return {
    kind: 'fields',
    name: 'toy',
    paired,
    fields: Object.fromEntries(names.map((k) => [k, { shape: [size, size, 3], n: 4, data: data() }])),
  };
}

function checkpoint(dir: string, model: GANModel, ds: FieldDataset, ema = 0): string {
  const t = new Trainer({ config: parseConfig({ batchSize: 2, seed: 1, ema }), dataset: ds, model });
  t.trainStep();
  t.trainStep();
  const file = path.join(dir, `${model.family}.ckpt`);
  writeCheckpointFile(file, t.toCheckpoint());
  t.dispose();
  return file;
}

async function rgba(file: string, w: number, h: number): Promise<void> {
  const buf = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) buf.set([(i * 7) % 256, (i * 3) % 256, 200, i % 3 === 0 ? 0 : 255], i * 4);
  await sharp(buf, { raw: { width: w, height: h, channels: 4 } })
    .png()
    .toFile(file);
}

test('translate: CycleGAN both ways and pix2pix on a rectangular RGBA image; size, alpha, label kept', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-translate-'));
  try {
    const cyc = checkpoint(
      dir,
      new CycleGAN({ resolution: 16, widthG: 2, widthD: 2, blocks: 1 }),
      fields(false, 16),
      0.9,
    );
    const p2p = checkpoint(dir, new Pix2Pix({ resolution: 16, widthG: 2, widthD: 2 }), fields(true, 16));
    const input = path.join(dir, 'in.png');
    await rgba(input, 23, 17);
    for (const [run, direction] of [
      [cyc, 'AtoB'],
      [cyc, 'BtoA'],
      [p2p, 'AtoB'],
    ] as const) {
      const out = path.join(dir, `out-${path.basename(run)}-${direction}`);
      const [written] = await translateFiles(run, [input], out, { direction });
      const meta = await sharp(written!).metadata();
      assert.equal(meta.width, 23);
      assert.equal(meta.height, 17);
      assert.equal(meta.channels, 4, 'alpha kept');
      const { data } = await sharp(written!).raw().toBuffer({ resolveWithObject: true });
      assert.equal(data[3], 0, 'a transparent input pixel stays transparent');
      assert.equal(data[7], 255);
      assert.ok(isLabelledSynthetic(readPngText(written!)), 'labelled synthetic');
    }
    // At the training size, the any-size generator computes what the trained network computes.
    const t = openTranslator(cyc, { useEma: false });
    const img = {
      width: 16,
      height: 16,
      channels: 3 as const,
      data: new Uint8Array(16 * 16 * 3).map((_, i) => (i * 11) % 256),
    };
    const viaTranslator = t.translate(img).data;
    t.dispose();
    const { trainerFromCheckpoint } = await import('../../src/train/inference.js');
    const { readCheckpointFile } = await import('../../src/train/checkpoint.js');
    const tr = trainerFromCheckpoint(readCheckpointFile(cyc));
    const x = tf.tensor4d(
      Float32Array.from(img.data, (v) => v / 127.5 - 1),
      [1, 16, 16, 3],
    );
    const y = (tr.model.networks.G_AB!.apply(x) as tf.Tensor).dataSync();
    const direct = Uint8Array.from(y, (v) => Math.max(0, Math.min(255, Math.round((v + 1) * 127.5))));
    let worst = 0;
    for (let i = 0; i < direct.length; i++) worst = Math.max(worst, Math.abs(direct[i]! - viaTranslator[i]!));
    assert.ok(worst <= 1, `any-size generator differs by ${worst}`);
    tr.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('translate: a run of the wrong family, missing inputs, pix2pix BtoA, -o a file: sentences, nothing written', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-translate-bad-'));
  try {
    const t = new Trainer({
      config: parseConfig({ model: { family: 'dcgan', width: 2, latentDim: 4 }, batchSize: 2, seed: 1 }),
      dataset: loadFashionMnist({ limit: 8 }),
    });
    const dcgan = path.join(dir, 'dcgan.ckpt');
    writeCheckpointFile(dcgan, t.toCheckpoint());
    t.dispose();
    const p2p = checkpoint(dir, new Pix2Pix({ resolution: 16, widthG: 2, widthD: 2 }), fields(true, 16));
    const input = path.join(dir, 'in.png');
    await rgba(input, 8, 8);
    const out = path.join(dir, 'out');
    await assert.rejects(
      translateFiles(dcgan, [input], out),
      /holds a dcgan model; translate needs an image-to-image run/,
    );
    await assert.rejects(translateFiles(p2p, [path.join(dir, 'nope.png')], out), /input not found: .*nope.png/);
    writeFileSync(path.join(dir, 'bad.png'), 'not an image');
    await assert.rejects(
      translateFiles(p2p, [input, path.join(dir, 'bad.png')], out),
      /cannot read .*bad.png as an image/,
    );
    await assert.rejects(translateFiles(p2p, [input], out, { direction: 'BtoA' }), /translates one way only/);
    await assert.rejects(
      translateFiles(p2p, [input], out, { direction: 'sideways' as never }),
      /--direction must be AtoB or BtoA/,
    );
    await assert.rejects(translateFiles(p2p, [input], input), /-o .*in.png is a file/);
    await assert.rejects(
      openGenerator(p2p),
      /holds an image-to-image \(pix2pix\) model, which translates images .*use tsgan translate/,
    );
    assert.equal(existsSync(out), false, 'nothing written');
    mkdirSync(out);
    assert.deepEqual(readdirSync(out), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
