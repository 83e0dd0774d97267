// The same models train unchanged on webgpu: a DCGAN (with BatchNorm in both networks, as the main
// job) and a conditional GAN take their first steps on webgpu and on native from the same seed, and
// the per-step losses and final weights agree. On webgpu the losses stay on the device until
// readScalars() (one download for all steps), and a checkpoint is taken with toCheckpointAsync().
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { Trainer, loadFashionMnist, parseConfig, tf } from '../../src/index.js';
import { relError, webgpuForTests } from '../helpers/webgpu.js';

const STEPS = 3;

async function runOn(backend: string, family: 'dcgan' | 'cgan') {
  await tf.setBackend(backend);
  try {
    const config = parseConfig({
      model: family === 'dcgan' ? { family, width: 16, latentDim: 16, batchNormD: true } : { family, width: 16, latentDim: 16, spectralNorm: false },
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
          assert.ok(Math.abs(g.losses[k]! - c.losses[k]!) <= 1e-3 * Math.max(1, Math.abs(c.losses[k]!)), `step ${i + 1} loss ${k}: webgpu ${g.losses[k]} native ${c.losses[k]}`);
        }
        for (const k of Object.keys(c.gradNorms)) {
          assert.ok(Math.abs(g.gradNorms[k]! - c.gradNorms[k]!) <= 2e-3 * Math.max(1, c.gradNorms[k]!), `step ${i + 1} grad norm ${k}: ${g.gradNorms[k]} vs ${c.gradNorms[k]}`);
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
});
