// tsgan sample RUN --video: a MoCoGAN checkpoint's clips as an animated GIF and APNG (frames = clip
// length, grid size, labelled synthetic); --content-seed / --motion-seed: the same content seed gives
// the same first frame... of the same objects, a new motion seed moves them differently; bad inputs
// (--video on an image model, a video model without --video, a wrong file name) are sentences.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { makeMovingShapes } from '../../src/data/moving.js';
import {
  DCGAN,
  isLabelledSynthetic,
  loadFashionMnist,
  openGenerator,
  readGifInfo,
  readPngText,
} from '../../src/index.js';
import { MoCoGAN } from '../../src/models/mocogan.js';
import type { GANModel } from '../../src/models/types.js';
import { writeCheckpointFile } from '../../src/train/checkpoint.js';
import { parseConfig } from '../../src/train/config.js';
import { Trainer } from '../../src/train/trainer.js';
import { generateClips } from '../../src/video/clips.js';
import { runCli } from '../helpers/cli.js';

function checkpoint(
  dir: string,
  model: GANModel,
  family: string,
  ds: ConstructorParameters<typeof Trainer>[0]['dataset'],
): string {
  const t = new Trainer({
    config: parseConfig({ model: { family }, batchSize: 2, seed: 1, ema: 0.9 }),
    dataset: ds,
    model,
  });
  t.trainStep();
  const file = path.join(dir, `${family}.ckpt`);
  writeCheckpointFile(file, t.toCheckpoint());
  t.dispose();
  return file;
}

const small = { frames: 6, contentDim: 4, motionDim: 3, noiseDim: 2, widthG: 4, widthDI: 4, widthDV: 4 };

test('sample --video: clips as a labelled GIF and APNG; content and motion seeds act separately; clear errors', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-video-'));
  try {
    const video = checkpoint(dir, new MoCoGAN(small), 'mocogan', makeMovingShapes({ n: 4, frames: 6 }));
    const gif = path.join(dir, 'clips.gif');
    const said = await runCli(['sample', video, '--video', '-n', '4', '--cols', '2', '-o', gif]);
    assert.match(said, /4 clips of 6 frames written/);
    const info = readGifInfo(readFileSync(gif));
    assert.equal(info.frames, 6);
    assert.deepEqual([info.width, info.height], [2 * 32 + 1, 2 * 32 + 1]);
    assert.ok(
      info.comments.some((c) => /GAN/.test(c)),
      'the GIF says it is generated',
    );
    const apng = path.join(dir, 'clips.png');
    await runCli(['sample', video, '--video', '-n', '2', '--content-seed', '5', '--motion-seed', '9', '-o', apng]);
    assert.ok(isLabelledSynthetic(readPngText(apng)));
    assert.ok(readFileSync(apng).includes(Buffer.from('acTL')), 'an animated PNG');

    // Same content seed, new motion seed: the same objects (content codes) in other motion; and the reverse.
    const g = await openGenerator(video);
    const a = generateClips(g, { n: 2, contentSeed: 1, motionSeed: 2 });
    const b = generateClips(g, { n: 2, contentSeed: 1, motionSeed: 3 });
    const c = generateClips(g, { n: 2, contentSeed: 4, motionSeed: 2 });
    assert.deepEqual(a.shape, [2, 6, 32, 32, 3]);
    assert.notDeepEqual(a.values, b.values);
    assert.notDeepEqual(a.values, c.values);
    assert.deepEqual(generateClips(g, { n: 2, contentSeed: 1, motionSeed: 2 }).values, a.values, 'seeded');
    g.dispose();

    const image = checkpoint(dir, new DCGAN({ width: 2, latentDim: 4 }), 'dcgan', loadFashionMnist({ limit: 8 }));
    await assert.rejects(
      runCli(['sample', image, '--video', '-o', path.join(dir, 'x.gif')], { quiet: true }),
      /--video needs a video model \(mocogan\).*dcgan model, which makes single images/,
    );
    await assert.rejects(
      runCli(['sample', video, '-o', path.join(dir, 'y.png')], { quiet: true }),
      /holds a video model .*add --video/,
    );
    await assert.rejects(
      runCli(['sample', video, '--video', '-o', path.join(dir, 'z.webm')], { quiet: true }),
      /animated GIF \(\.gif\) or an animated PNG/,
    );
    // The image-only commands name what to run instead.
    await assert.rejects(
      runCli(['export', video, path.join(dir, 'exp')], { quiet: true }),
      /video \(mocogan\) model, which generates video clips.*tsgan sample .* --video.*TF\.js export covers image generators/,
    );
    await assert.rejects(
      runCli(['eval', video, '--metrics', 'fid-fmnist'], { quiet: true }),
      /video \(mocogan\) model.*tsgan bench video-quality/,
    );
    for (const f of ['x.gif', 'y.png', 'z.webm', 'exp'])
      assert.equal(existsSync(path.join(dir, f)), false, `${f} not written`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
