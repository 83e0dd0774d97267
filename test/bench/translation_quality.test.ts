// `tsgan bench translation-quality` on CycleGAN runs: the unpaired Fashion-MNIST task is scored by
// FID to the target class (with the identity mapping and the real held-out targets as baselines) and
// the cycle-consistency error; the emoji task, whose held-out images are pairs, adds L1/PSNR/SSIM
// against the ground truth for the run and the identity mapping.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { formatTranslationQuality, translationQuality } from '../../src/bench/translation_quality.js';
import { tinyRun } from '../helpers/tiny_runs.js';

test('cyclegan-fmnist (unpaired): FID to ankle boots for the run, the identity and real held-out boots; cycle error', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-tq-'));
  try {
    const run = await tinyRun('cyclegan', tmp);
    const r = await translationQuality([run]);
    assert.equal(r.paired, false);
    assert.match(r.fidReference, /target domain's \d+ training images/);
    const [model, identity, targets] = r.rows;
    assert.match(model!.name, /^cyclegan: /);
    assert.equal(model!.step, 2);
    assert.equal(model!.psnr, undefined, 'no ground truth, no PSNR');
    assert.ok(model!.cycleL1! > 0 && model!.cycleL1! < 2, `cycle L1 ${model!.cycleL1}`);
    assert.match(identity!.name, /the input itself/);
    assert.equal(identity!.n, r.heldOut);
    assert.match(targets!.name, /held-out targets/);
    for (const row of r.rows) assert.ok(Number.isFinite(row['fid-fmnist']), `${row.name}: fid-fmnist`);
    // The reference is the boot class: real held-out boots sit far closer to it than real sneakers.
    assert.ok(targets!['fid-fmnist']! < identity!['fid-fmnist']! / 3, JSON.stringify(r.rows));
    const text = formatTranslationQuality(r);
    assert.match(text, /FID only/);
    assert.match(text, /cycle L1/);
    assert.doesNotMatch(text, /PSNR/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('cyclegan-emoji (held-out pairs): PSNR/SSIM against the ground truth for the run and the identity, fid-emoji, cycle error', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-tq-'));
  try {
    const run = await tinyRun('cyclegan', tmp, { data: { source: 'emoji-unpaired', size: 32, limit: 300 } });
    const r = await translationQuality([run]);
    assert.equal(r.paired, true);
    const [model, identity, targets, mean] = r.rows;
    assert.ok(Number.isFinite(model!.psnr) && Number.isFinite(model!.ssim) && model!.cycleL1! > 0);
    assert.ok(Number.isFinite(identity!.psnr) && identity!.cycleL1 === undefined);
    assert.match(targets!.name, /held-out targets/);
    assert.equal(targets!.psnr, undefined, 'the targets are not scored against themselves');
    assert.match(mean!.name, /mean training target/);
    // The Twitter-style inputs resemble their Google-style truths more than the mean image does.
    assert.ok(identity!.psnr! > mean!.psnr!, JSON.stringify(r.rows));
    for (const row of r.rows) assert.ok(Number.isFinite(row['fid-emoji']), `${row.name}: fid-emoji`);
    assert.ok(targets!['fid-emoji']! < model!['fid-emoji']!, 'real Google-style emoji beat a 2-step model');
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
