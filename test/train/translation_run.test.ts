// pix2pix and CycleGAN through the training loop from a config alone: built-in tasks as data,
// translation sample grids (labelled), held-out L1/PSNR/SSIM (and cycle error) in metrics.jsonl,
// per-phase losses, checkpoints that resume exactly; configs that mix families and tasks are errors.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { isLabelledSynthetic, readCheckpointFile, readPngText, train, type TrainConfigInput } from '../../src/index.js';

const base = (extra: TrainConfigInput): TrainConfigInput => ({
  steps: 4,
  batchSize: 2,
  logEvery: 2,
  sampleEvery: 2,
  evalEvery: 2,
  checkpointEvery: 2,
  seed: 3,
  ...extra,
});

async function run(dir: string, config: TrainConfigInput) {
  const r = await train({ config, runDir: dir, progress: 'none', handleSignals: false });
  r.trainer.dispose();
  return r;
}

test('pix2pix on fmnist-edges from a config: grid, held-out scores, losses per phase, exact resume', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-p2p-run-'));
  try {
    const config = base({
      model: { family: 'pix2pix', widthG: 4, widthD: 4 },
      data: { source: 'fmnist-edges', limit: 16 },
    });
    const a = path.join(tmp, 'a');
    await run(a, config);
    const grids = readdirSync(path.join(a, 'samples'));
    assert.deepEqual(grids, ['step-0000002.png', 'step-0000004.png']);
    assert.ok(isLabelledSynthetic(readPngText(path.join(a, 'samples', grids[1]!))));
    const lines = readFileSync(path.join(a, 'metrics.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(lines.length, 2);
    for (const k of ['l1', 'psnr', 'ssim', 'lossD', 'lossG', 'L1'])
      assert.ok(Number.isFinite(lines[1][k]), `${k} logged`);
    // 2 steps + resume to 4 == 4 uninterrupted.
    const b = path.join(tmp, 'b');
    await run(b, { ...config, steps: 2 });
    const r = await train({ config: { steps: 4 }, resume: b, progress: 'none', handleSignals: false });
    r.trainer.dispose();
    const last = (d: string) => readCheckpointFile(path.join(d, 'checkpoints', 'step-0000004.ckpt'));
    const x = last(a);
    const y = last(b);
    for (let i = 0; i < x.tensors.length; i++)
      assert.deepEqual(Array.from(y.tensors[i]!.data), Array.from(x.tensors[i]!.data), x.tensors[i]!.name);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('cyclegan on fmnist-sneaker-boot from a config: D_A/D_B losses, checkpoint with pools, no paired eval', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-cyc-run-'));
  try {
    const warnings: string[] = [];
    const r = await train({
      config: base({
        model: { family: 'cyclegan', widthG: 2, widthD: 2, blocks: 1 },
        data: { source: 'fmnist-sneaker-boot', limit: 200 },
      }),
      runDir: tmp,
      progress: 'none',
      handleSignals: false,
      warn: (m: string) => warnings.push(m),
    } as Parameters<typeof train>[0]);
    r.trainer.dispose();
    const rec = JSON.parse(readFileSync(path.join(tmp, 'metrics.jsonl'), 'utf8').trim().split('\n').pop()!);
    for (const k of ['loss_D_A', 'loss_D_B', 'lossD', 'lossG', 'G_cycle'])
      assert.ok(Number.isFinite(rec[k]), `${k} logged`);
    const ck = readCheckpointFile(path.join(tmp, 'checkpoints', 'step-0000004.ckpt'));
    assert.ok(ck.tensors.some((t) => t.name === 'model/pool_A'));
    assert.ok(existsSync(path.join(tmp, 'samples', 'step-0000004.png')));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('families and tasks that do not fit are sentences', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-mix-'));
  try {
    const attempt = (config: TrainConfigInput, name: string) =>
      train({ config: base(config), runDir: path.join(tmp, name), progress: 'none', handleSignals: false });
    await assert.rejects(
      attempt({ model: { family: 'dcgan' }, data: { source: 'fmnist-edges' } }, 'a'),
      /'fmnist-edges' is an image-to-image task: train it with model.family pix2pix/,
    );
    await assert.rejects(
      attempt({ model: { family: 'pix2pix' }, data: { source: 'fashion-mnist' } }, 'b'),
      /'fashion-mnist' is not an image-to-image task/,
    );
    await assert.rejects(
      attempt({ model: { family: 'pix2pix' }, data: { source: 'fmnist-sneaker-boot', limit: 50 } }, 'c'),
      /pix2pix model trains on input and target images; .* has A, B \(for two unpaired domains use cyclegan\)/,
    );
    await assert.rejects(
      attempt({ model: { family: 'dcgan', blocks: 3 }, data: { source: 'fashion-mnist', limit: 8 } }, 'd'),
      /model.blocks applies to the [a-z0-9, ]*cyclegan[a-z0-9, ]* models? only/,
    );
    await assert.rejects(
      attempt({ model: { family: 'pix2pix', blocks: 3 }, data: { source: 'fmnist-edges', limit: 8 } }, 'e'),
      /model.blocks applies to the [a-z0-9, ]*cyclegan[a-z0-9, ]* models? only/,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
