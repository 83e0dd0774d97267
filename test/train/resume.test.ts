// Resume equivalence: N steps, then --resume for N more, gives exactly the weights, optimizer
// moments, EMA and RNG state of an uninterrupted 2N-step run (small models, every stabilizer on).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import {
  loadFashionMnist,
  makeToy2d,
  readCheckpointFile,
  train,
  type Dataset,
  type TrainConfigInput,
} from '../../src/index.js';

async function run(dir: string, config: TrainConfigInput, dataset: Dataset, resume = false) {
  const r = await train({
    config: resume ? { steps: config.steps } : config,
    resume: resume ? dir : undefined,
    runDir: resume ? undefined : dir,
    dataset,
    progress: 'none',
    handleSignals: false,
  });
  r.trainer.dispose();
  return r;
}

function assertSameState(fileA: string, fileB: string): void {
  const a = readCheckpointFile(fileA);
  const b = readCheckpointFile(fileB);
  assert.equal(a.header.step, b.header.step);
  assert.deepEqual(a.header.state.rng, b.header.state.rng);
  assert.deepEqual(a.header.state.sampler, b.header.state.sampler);
  assert.deepEqual(a.header.state.optimizers, b.header.state.optimizers);
  assert.deepEqual(
    a.tensors.map((t) => t.name),
    b.tensors.map((t) => t.name),
  );
  for (let i = 0; i < a.tensors.length; i++) {
    const x = a.tensors[i].data;
    const y = b.tensors[i].data;
    for (let j = 0; j < x.length; j++) {
      if (x[j] !== y[j]) assert.fail(`${a.tensors[i].name}[${j}]: resumed ${x[j]} vs uninterrupted ${y[j]}`);
    }
  }
}

test('DCGAN with DiffAugment, R1 (lazy), EMA, TTUR: N + N resumed == 2N uninterrupted, bit for bit', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-resume-'));
  try {
    const dataset = loadFashionMnist({ limit: 64 });
    const base: TrainConfigInput = {
      model: { family: 'dcgan', width: 2, latentDim: 4 },
      batchSize: 4,
      seed: 7,
      lrG: 1e-3,
      lrD: 2e-3,
      diffAugment: 'color,translation,cutout',
      r1Gamma: 0.5,
      r1Every: 2,
      ema: 0.9,
      labelSmoothing: 0.1,
      logEvery: 2,
      sampleEvery: 1000,
      checkpointEvery: 3,
      keepCheckpoints: 2,
    };
    const full = await run(path.join(tmp, 'full'), { ...base, steps: 6 }, dataset);
    await run(path.join(tmp, 'half'), { ...base, steps: 3 }, dataset);
    const resumed = await run(path.join(tmp, 'half'), { ...base, steps: 6 }, dataset, true);
    assert.equal(resumed.step, 6);
    assertSameState(resumed.checkpoint!, full.checkpoint!);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('cGAN (projection, spectral norm) and a vanilla MLP with WGAN-GP resume exactly too', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-resume-'));
  try {
    const cases: [string, TrainConfigInput, Dataset][] = [
      [
        'cgan',
        { model: { family: 'cgan', width: 2, latentDim: 4, embedDim: 3 }, loss: 'hinge', batchSize: 4 },
        loadFashionMnist({ limit: 64 }),
      ],
      [
        'vanilla',
        { model: { family: 'vanilla', hidden: 8, latentDim: 4 }, loss: 'wgan-gp', dSteps: 2, batchSize: 16 },
        makeToy2d('ring8', 256, 1),
      ],
    ];
    for (const [name, cfg, dataset] of cases) {
      const base = { ...cfg, seed: 3, logEvery: 2, sampleEvery: 1000, checkpointEvery: 2 };
      const full = await run(path.join(tmp, `${name}-full`), { ...base, steps: 4 }, dataset);
      await run(path.join(tmp, `${name}-half`), { ...base, steps: 2 }, dataset);
      const resumed = await run(path.join(tmp, `${name}-half`), { ...base, steps: 4 }, dataset, true);
      assertSameState(resumed.checkpoint!, full.checkpoint!);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('the same seed gives the same run; another seed a different one', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-seed-'));
  try {
    const ds = makeToy2d('ring8', 256, 1);
    const cfg = (seed: number): TrainConfigInput => ({
      model: { family: 'vanilla', hidden: 8 },
      batchSize: 16,
      steps: 3,
      seed,
      checkpointEvery: 3,
      sampleEvery: 1000,
    });
    const a = await run(path.join(tmp, 'a'), cfg(1), ds);
    const b = await run(path.join(tmp, 'b'), cfg(1), ds);
    const c = await run(path.join(tmp, 'c'), cfg(2), ds);
    assertSameState(a.checkpoint!, b.checkpoint!);
    assert.throws(() => assertSameState(a.checkpoint!, c.checkpoint!));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
