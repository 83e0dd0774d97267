// The same models train unchanged on webgpu: a DCGAN (with BatchNorm in both networks, as the main
// job) and a conditional GAN take their first steps on webgpu and on native from the same seed, and
// the per-step losses and final weights agree. On webgpu the losses stay on the device until
// readScalars() (one download for all steps), and a checkpoint is taken with toCheckpointAsync().
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, test } from 'node:test';

import { Trainer, loadFashionMnist, parseConfig, readCheckpointFile, tf, train } from '../../src/index.js';
import { relError, webgpuForTests } from '../helpers/webgpu.js';

const STEPS = 3;

async function runOn(backend: string, family: 'dcgan' | 'cgan') {
  await tf.setBackend(backend);
  try {
    const config = parseConfig({
      model:
        family === 'dcgan'
          ? { family, width: 16, latentDim: 16, batchNormD: true }
          : { family, width: 16, latentDim: 16, spectralNorm: false },
      data: { source: 'fashion-mnist', split: 'test' },
      batchSize: 8,
      lr: 2e-4,
      beta1: 0.5,
      ema: 0.9,
      seed: 5,
    });
    const t = new Trainer({ config, dataset: loadFashionMnist({ split: 'test', limit: 256 }) });
    const results = [];
    for (let i = 0; i < STEPS; i++) results.push(t.trainStep(true));
    const scalars = await t.readScalars();
    const ck = await t.toCheckpointAsync();
    t.dispose();
    return { results, scalars, ck };
  } finally {
    await tf.setBackend('native');
  }
}

describe('training on webgpu', () => {
  let skip: string | false = false;
  before(async () => {
    const reg = await webgpuForTests();
    if (typeof reg === 'string') skip = reg;
  });

  for (const family of ['dcgan', 'cgan'] as const) {
    test(`${family}: ${STEPS} steps on webgpu match native (losses, gradient norms, checkpointed weights)`, async (t) => {
      if (skip) return t.skip(skip);
      const gpu = await runOn('webgpu', family);
      const cpu = await runOn('native', family);
      // Deferred readback on webgpu: nothing read during the steps; native reads every step.
      assert.ok(gpu.results.every((r) => r.deferred && Object.keys(r.losses).length === 0));
      assert.ok(cpu.results.every((r) => !r.deferred && Number.isFinite(r.losses.D)));
      assert.equal(gpu.scalars.length, STEPS);
      for (let i = 0; i < STEPS; i++) {
        const g = gpu.scalars[i]!;
        const c = cpu.scalars[i]!;
        assert.equal(g.step, i + 1);
        for (const k of Object.keys(c.losses)) {
          assert.ok(
            Math.abs(g.losses[k]! - c.losses[k]!) <= 1e-3 * Math.max(1, Math.abs(c.losses[k]!)),
            `step ${i + 1} loss ${k}: webgpu ${g.losses[k]} native ${c.losses[k]}`,
          );
        }
        for (const k of Object.keys(c.gradNorms)) {
          assert.ok(
            Math.abs(g.gradNorms[k]! - c.gradNorms[k]!) <= 2e-3 * Math.max(1, c.gradNorms[k]!),
            `step ${i + 1} grad norm ${k}: ${g.gradNorms[k]} vs ${c.gradNorms[k]}`,
          );
        }
      }
      assert.equal(gpu.ck.tensors.length, cpu.ck.tensors.length);
      for (let i = 0; i < cpu.ck.tensors.length; i++) {
        const a = gpu.ck.tensors[i]!;
        const b = cpu.ck.tensors[i]!;
        assert.equal(a.name, b.name);
        assert.ok(relError(a.data, b.data) < 1e-3, `${a.name}: relative error ${relError(a.data, b.data)}`);
      }
    });
  }

  test('the training loop on webgpu: metrics.jsonl (losses read per log step, fid-fmnist from the host backend), checkpoints that native resumes', async (t) => {
    if (skip) return t.skip(skip);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-wg-'));
    try {
      await tf.setBackend('webgpu');
      const res = await train({
        preset: 'dcgan-fmnist',
        config: {
          steps: 4,
          batchSize: 8,
          model: { width: 8, widthD: 8, latentDim: 8, infoCategories: 4 },
          logEvery: 2,
          sampleEvery: 4,
          checkpointEvery: 4,
          evalEvery: 4,
          evalN: 64,
          sampleCount: 16,
        },
        dataset: loadFashionMnist({ split: 'test', limit: 128 }),
        runDir: dir,
        progress: 'none',
        handleSignals: false,
      });
      assert.equal(tf.getBackend(), 'webgpu', 'the loop leaves the training backend active');
      const recs = readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, number>);
      assert.deepEqual(
        recs.map((r) => r.step),
        [2, 4],
      );
      for (const r of recs)
        assert.ok(
          Number.isFinite(r.lossD) && Number.isFinite(r.lossG) && Number.isFinite(r.gradNormD),
          JSON.stringify(r),
        );
      assert.ok(recs[1]!['fid-fmnist']! > 0 && recs[1]!['is-fmnist']! >= 1, JSON.stringify(recs[1]));
      res.trainer.dispose();
      await tf.setBackend('native');
      const ckpts = readdirSync(path.join(dir, 'checkpoints'));
      assert.ok(ckpts.length >= 1, 'a checkpoint was written');
      const ck = readCheckpointFile(path.join(dir, 'checkpoints', ckpts[ckpts.length - 1]!));
      assert.equal(ck.header.step, 4);
      const resumed = new Trainer({
        config: parseConfig(ck.header.state.config as Record<string, unknown>),
        dataset: loadFashionMnist({ split: 'test', limit: 128 }),
      });
      resumed.restore(ck);
      assert.ok(Number.isFinite(resumed.trainStep().losses.D!), 'native continues from a webgpu checkpoint');
      resumed.dispose();
    } finally {
      await tf.setBackend('native');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
