// Mode collapse in IMAGE training (Fashion-MNIST, embedded test split) through the real loop
// (src/train/run.ts feeding the fmnist classifier's features of the fixed batch to the monitor).
// Collapse is provoked on purpose:
// - a "lookup" generator that shows real images (G(z) = softmax(30 Wz) @ bank of 1,000 real
//   images: each latent picks about one image) is healthy; its projection is zeroed right after the
//   step-60 checkpoint, so every latent gives the bank's mean image. The collapse must be raised
//   within 2 log records, the rollback must restore the step-60 checkpoint and halve the lr, and
//   the run must then complete without another collapse. The same generator left alone, with the
//   detector armed from step 0, must raise no collapse (negative control).
// - a conditional DCGAN whose G ignores z and labels (kernels zeroed) must be stopped at step
//   armAfter + 1 log record, with the classes it covers in the signals.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { DCGAN, loadFashionMnist, tf, tfl } from '../../src/index.js';
import type { HealthEvent, StepRecord } from '../../src/health/types.js';
import { mulberry32 } from '../../src/metrics/rng.js';
import { train, type TrainOptions } from '../../src/train/run.js';
import type { Trainer } from '../../src/train/trainer.js';

const BANK = 1000;

/** DCGAN with its generator replaced by a softmax lookup into a bank of images (weights set by `loadBank`). */
class LookupDCGAN extends DCGAN {
  buildNetwork(name: string): tfl.LayersModel {
    if (name !== 'G') return super.buildNetwork(name);
    const z = tfl.input({ shape: [this.latentDim] });
    const pick = tfl.layers.dense({ units: BANK, useBias: false, activation: 'softmax', name: 'pick' }).apply(z); // [N, BANK]
    const img = tfl.layers.dense({ units: 28 * 28, useBias: false, name: 'bank' }).apply(pick); // [N, 784]
    const out = tfl.layers.reshape({ targetShape: [28, 28, 1] }).apply(img) as tfl.SymbolicTensor; // [N, 28, 28, 1]
    return tfl.model({ inputs: z, outputs: out });
  }
}

/** Sets the lookup G's weights (after the trainer's own initialization): a sharp random projection and real images. */
function loadBank(tr: Trainer): void {
  const g = tr.model.networks.G;
  const ds = loadFashionMnist({ split: 'test' });
  const r = mulberry32(5);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const proj = tf.tensor2d(
    Float32Array.from({ length: 100 * BANK }, () => (30 / 10) * gauss()),
    [100, BANK],
  ); // logits ~ N(0, 30^2)
  const bank = tf.tensor2d(ds.images.subarray(5000 * 784, (5000 + BANK) * 784), [BANK, 784]);
  g.getLayer('pick').setWeights([proj]);
  g.getLayer('bank').setWeights([bank]);
  tf.dispose([proj, bank]);
}

async function run(opts: Partial<TrainOptions> & { config: Record<string, unknown> }, onStart: (tr: Trainer) => void) {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsgan-health-image-'));
  const events: HealthEvent[] = [];
  const fed: { step: number; n: number; dim: number; classes: number }[] = [];
  const lr: { step: number; lrG: number }[] = [];
  try {
    const res = await train({
      ...opts,
      config: {
        data: { source: 'fashion-mnist', split: 'test' },
        batchSize: 16,
        logEvery: 10,
        sampleEvery: 100000,
        evalEvery: 0,
        ema: 0,
        ...opts.config,
      },
      runDir: path.join(dir, 'run'),
      progress: 'none',
      handleSignals: false,
      warn: () => {},
      monitors: [
        {
          onLog: (rec: StepRecord) =>
            void fed.push({
              step: rec.step,
              n: rec.features?.n ?? 0,
              dim: rec.features?.dim ?? 0,
              classes: rec.classes?.length ?? 0,
            }),
        },
      ],
      onStart: (tr) => {
        tr.events.on('health', (e: HealthEvent) => events.push(e));
        tr.events.on('log', (rec: { step: number }) => lr.push({ step: rec.step, lrG: tr.lr('G') }));
        onStart(tr);
      },
    });
    const file = path.join(res.runDir, 'health.jsonl');
    const lines = existsSync(file)
      ? readFileSync(file, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l) as HealthEvent)
      : [];
    res.trainer.dispose();
    return { res, events, lines, fed, lr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const lookupConfig = {
  model: { family: 'dcgan', width: 8 },
  steps: 120,
  lr: 1e-9,
  checkpointEvery: 20,
  sampleCount: 64,
};

test('image collapse mid-run (step 60): raised within 2 log records, rollback to step 60 + lower lr recovers', async () => {
  let collapsedAt = -1;
  const { res, events, lines, lr } = await run(
    {
      model: new LookupDCGAN({ width: 8 }),
      config: {
        ...lookupConfig,
        health: { enabled: true, remedies: { 'mode-collapse': { action: 'rollback', lrFactor: 0.5 } } },
      },
    },
    (tr) => {
      loadBank(tr);
      tr.events.on('checkpoint', ({ step }: { step: number }) => {
        if (step !== 60 || collapsedAt >= 0) return;
        collapsedAt = step; // every latent now gives the bank's mean image
        const pick = tr.model.networks.G.getLayer('pick');
        const zero = tf.zerosLike(pick.getWeights()[0]);
        pick.setWeights([zero]);
        zero.dispose();
      });
    },
  );
  assert.equal(collapsedAt, 60);
  const log = events.map((e) => `${e.step} ${e.kind}: ${e.message}`).join('\n');
  const collapse = events.filter((e) => e.kind === 'mode-collapse');
  assert.equal(collapse.length, 1, `exactly one collapse (none after the rollback):\n${log}`);
  assert.equal(collapse[0].step, 80, log);
  assert.equal(collapse[0].signals.onsetStep, 70);
  assert.ok(collapse[0].signals.diversity < 1e-3 * collapse[0].signals.referenceDiversity, log);
  assert.equal(collapse[0].signals.duplicateRate, 1);
  assert.ok(
    events.every((e) => e.severity !== 'critical' || e.kind === 'mode-collapse'),
    log,
  );
  assert.ok(
    lines.some((e) => e.kind === 'mode-collapse'),
    'written to health.jsonl',
  );
  // The rollback acted: the loop went back to step 60 (steps 70 and 80 are logged twice) with half the lr.
  assert.deepEqual(lr.filter((x) => x.step === 70).length, 2);
  const before = lr.find((x) => x.step === 60)!.lrG;
  assert.ok(Math.abs(lr.at(-1)!.lrG / before - 0.5) < 1e-9, `lr ${before} -> ${lr.at(-1)!.lrG}`);
  assert.equal(res.reason, 'completed');
  assert.equal(res.step, 120);
});

test('negative control: a generator that shows diverse real images raises no collapse, armed from step 0', async () => {
  const { res, events, fed } = await run(
    {
      model: new LookupDCGAN({ width: 8 }),
      config: { ...lookupConfig, steps: 100, health: { enabled: true, collapse: { armAfter: 0 } } },
    },
    loadBank,
  );
  const log = events.map((e) => `${e.step} ${e.kind}: ${e.message}`).join('\n');
  assert.equal(res.reason, 'completed', log);
  assert.deepEqual(
    events.filter((e) => e.kind === 'mode-collapse'),
    [],
    log,
  );
  // The detector did run: fmnist features (and classes) of the 64 fixed latents at every log step.
  assert.deepEqual(
    fed.map((f) => f.step),
    [10, 20, 30, 40, 50, 60, 70, 80, 90, 100],
  );
  assert.ok(
    fed.every((f) => f.n === 64 && f.dim === 128 && f.classes > 0),
    JSON.stringify(fed),
  );
});

test('conditional DCGAN whose G ignores z and labels: collapse raised at armAfter + 1 log record and the run stops', async () => {
  const { res, events } = await run(
    {
      preset: 'cgan-fmnist',
      config: {
        model: { width: 8 },
        steps: 100,
        checkpointEvery: 1000,
        health: { enabled: true, collapse: { armAfter: 20 }, remedies: { 'mode-collapse': { action: 'stop' } } },
      },
    },
    (tr) => {
      for (const l of tr.model.networks[tr.model.generatorName].layers) {
        const ws = l.getWeights();
        if (ws.length) l.setWeights(ws.map((w) => (w.shape.length >= 2 ? tf.zerosLike(w) : w)));
      }
      tr.scaleLearningRates(1e-9);
    },
  );
  const log = events.map((e) => `${e.step} ${e.kind}: ${e.message}`).join('\n');
  assert.equal(events[0]?.kind, 'mode-collapse', log);
  assert.equal(events[0].step, 30, log);
  assert.ok(events[0].signals.diversity < 1e-3 * events[0].signals.referenceDiversity, log);
  assert.ok(events[0].signals.classCoverage <= 0.1, log);
  assert.equal(res.reason, 'stopped');
  assert.equal(res.step, 30);
  assert.match(res.message ?? '', /Mode collapse: diversity .* classes in the fixed batch/);
});
