// Checkpoint files: round trip, atomic write, pruning, truncated/corrupt files detected and the
// previous checkpoint used, a checkpoint of another model rejected with a clear error.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import {
  CheckpointError,
  Trainer,
  decodeCheckpoint,
  encodeCheckpoint,
  listCheckpoints,
  loadFashionMnist,
  loadLatestCheckpoint,
  makeToy2d,
  parseConfig,
  pruneCheckpoints,
  readCheckpointFile,
  train,
  writeCheckpointFile,
  type Checkpoint,
} from '../../src/index.js';

const sample: Checkpoint = {
  header: {
    format: 'tsgan-checkpoint',
    version: 1,
    step: 5,
    model: { family: 'x', options: { a: 1 } },
    state: { rng: [1, 2, 3, 4] },
    savedAt: 'now',
  },
  tensors: [
    { name: 'a', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, -6.5]) },
    { name: 'b', shape: [], data: Float32Array.from([Math.PI]) },
  ],
};

test('encode/decode round trip keeps header and every float', () => {
  const back = decodeCheckpoint(encodeCheckpoint(sample));
  assert.deepEqual(back.header, sample.header);
  assert.deepEqual(
    back.tensors.map((t) => [t.name, t.shape, Array.from(t.data)]),
    sample.tensors.map((t) => [t.name, t.shape, Array.from(t.data)]),
  );
});

test('truncation and corruption are detected', () => {
  const bytes = encodeCheckpoint(sample);
  assert.throws(() => decodeCheckpoint(bytes.subarray(0, bytes.length - 20), 'f'), /truncated/);
  assert.throws(() => decodeCheckpoint(bytes.subarray(0, 10), 'f'), /not a tsgan checkpoint/);
  const bad = Buffer.from(bytes);
  bad[bad.length - 60] ^= 0xff;
  assert.throws(() => decodeCheckpoint(bad, 'f'), /corrupt \(sha256 mismatch\)/);
});

test('atomic write leaves no temp file; pruning keeps the newest K; truncated latest falls back to the previous', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-ck-'));
  try {
    for (const step of [10, 20, 30, 40])
      writeCheckpointFile(path.join(dir, `step-${String(step).padStart(7, '0')}.ckpt`), {
        ...sample,
        header: { ...sample.header, step },
      });
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('.tmp')),
      [],
    );
    pruneCheckpoints(dir, 2);
    assert.deepEqual(
      listCheckpoints(dir).map((c) => c.step),
      [40, 30],
    );
    // A crash in the middle of copying the newest file: it is cut short.
    const newest = listCheckpoints(dir)[0].file;
    truncateSync(newest, Math.floor(readFileSync(newest).length / 2));
    const warnings: string[] = [];
    const got = loadLatestCheckpoint(dir, (m) => warnings.push(m));
    assert.equal(got.checkpoint.header.step, 30);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /step-0000040\.ckpt.*truncated.*previous/);
    // Every checkpoint broken: a clear error listing them.
    writeFileSync(got.file, 'garbage');
    assert.throws(() => loadLatestCheckpoint(dir), /no readable checkpoint/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('resume uses the previous checkpoint when the newest is truncated', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-ck-'));
  try {
    const dataset = makeToy2d('ring8', 128, 0);
    const cfg = {
      model: { family: 'vanilla' as const, hidden: 8 },
      batchSize: 8,
      steps: 4,
      checkpointEvery: 2,
      sampleEvery: 1000,
    };
    const r = await train({ config: cfg, runDir: dir, dataset, progress: 'none', handleSignals: false });
    r.trainer.dispose();
    const cks = listCheckpoints(path.join(dir, 'checkpoints'));
    assert.deepEqual(
      cks.map((c) => c.step),
      [4, 2],
    );
    truncateSync(cks[0].file, 100);
    const warnings: string[] = [];
    const resumed = await train({
      resume: dir,
      config: { steps: 6 },
      dataset,
      progress: 'none',
      handleSignals: false,
      warn: (m) => warnings.push(m),
    });
    resumed.trainer.dispose();
    assert.equal(resumed.step, 6);
    assert.ok(
      warnings.some((w) => /step-0000004\.ckpt/.test(w)),
      warnings.join('\n'),
    );
    assert.ok(existsSync(path.join(dir, 'checkpoints', 'step-0000006.ckpt')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a checkpoint of another model is rejected with an error saying what differs', () => {
  const dataset = loadFashionMnist({ limit: 16 });
  const mk = (model: Record<string, unknown>) => new Trainer({ config: parseConfig({ model, batchSize: 4 }), dataset });
  const dcgan = mk({ family: 'dcgan', width: 2, latentDim: 4 });
  const ck = dcgan.toCheckpoint();
  const cgan = mk({ family: 'cgan', width: 2, latentDim: 4 });
  assert.throws(
    () => cgan.restore(ck, 'run/step-1.ckpt'),
    (e: Error) =>
      e instanceof CheckpointError && /holds a 'dcgan' model, but this run builds a 'cgan' model/.test(e.message),
  );
  const wider = mk({ family: 'dcgan', width: 3, latentDim: 4 });
  assert.throws(() => wider.restore(ck, 'c'), /different dcgan model: width is 2 there, 3 here/);
  // Same model: restores fine and gives identical weights.
  const same = mk({ family: 'dcgan', width: 2, latentDim: 4, init: 'glorot' });
  same.restore(ck, 'c');
  assert.deepEqual(
    Array.from(same.model.networks.G.weights[0].read().dataSync()),
    Array.from(dcgan.model.networks.G.weights[0].read().dataSync()),
  );
  // A checkpoint written before an option existed (here widthG/widthD) restores when this model
  // uses the option's default; a non-default value shows up as a tensor-shape error instead.
  const old = {
    ...ck,
    header: { ...ck.header, model: { ...ck.header.model, options: { ...ck.header.model.options } } },
  };
  delete old.header.model.options.widthG;
  delete old.header.model.options.widthD;
  same.restore(old, 'old');
  const widerG = mk({ family: 'dcgan', width: 2, widthG: 3, latentDim: 4 });
  assert.throws(() => widerG.restore(old, 'old'), /old: tensor '.*' has shape \[.*\], this model needs/);
  for (const t of [dcgan, cgan, wider, same, widerG]) t.dispose();
  // A file that is not a checkpoint at all.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsgan-ck-'));
  try {
    writeFileSync(path.join(dir, 'x.ckpt'), 'hello');
    assert.throws(() => readCheckpointFile(path.join(dir, 'x.ckpt')), /not a tsgan checkpoint/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
