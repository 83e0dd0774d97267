// `tsgan distill`: a narrower student of a tiny DCGAN run learns the teacher's outputs (its loss falls,
// and its images end closer to the teacher's than the untrained student's); the student is a run that
// sample, export (tfjs and ONNX) and the checkpoint reader accept, with the teacher's D; bad inputs are
// one sentence each.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { createModel, distill, exportRun, openGenerator, openRunTrainer, Rng, tf } from '../../src/index.js';
import { runCli } from '../helpers/cli.js';
import { tinyRun } from '../helpers/tiny_runs.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-distill-'));
let teacherRun = '';

before(async () => {
  // No EMA: the teacher is the raw generator, whose outputs two large steps have spread.
  teacherRun = await tinyRun('dcgan', tmp, { ema: 0 });
});
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Mean |a - b| of two generators' outputs on the same seeded latents. */
function meanDiff(a: tf.LayersModelLike, b: tf.LayersModelLike, latentDim: number): number {
  return tf.tidy(() => {
    const z = tf.tensor2d(new Rng(21).normals(32 * latentDim), [32, latentDim]);
    return tf.mean(tf.abs(tf.sub(a.predict(z) as tf.Tensor, b.predict(z) as tf.Tensor))).dataSync()[0]!;
  });
}

test('distill: the student learns the teacher, and is a run that sample and export read', async () => {
  const studentRun = path.join(tmp, 'student');
  const out = await runCli([
    'distill',
    teacherRun,
    '--width',
    '3',
    '--steps',
    '60',
    '--batch',
    '16',
    '--lr',
    '3e-3',
    '--feature-weight',
    '0.1',
    '--log-every',
    '10',
    '--run-dir',
    studentRun,
  ]);
  assert.match(out, /distilled a [\d,]+-parameter generator from a [\d,]+-parameter one in 60 steps/);
  const log = readFileSync(path.join(studentRun, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { step: number; distillLoss: number; featureLoss: number });
  assert.equal(log.length, 6);
  assert.ok(log.every((r) => Number.isFinite(r.featureLoss)));
  assert.ok(log[5]!.distillLoss < log[0]!.distillLoss, `the loss falls: ${log.map((r) => r.distillLoss.toFixed(4))}`);
  const info = JSON.parse(readFileSync(path.join(studentRun, 'distill.json'), 'utf8'));
  assert.ok(info.student.params < info.teacher.params);

  const teacher = openRunTrainer(teacherRun);
  const student = openRunTrainer(studentRun);
  try {
    assert.equal(student.model.options.widthG, 3);
    assert.equal(student.step, 60);
    const tG = teacher.sampleGenerator;
    const sG = student.sampleGenerator;
    // The untrained student: the same architecture, initialized as the trainer does (seed 0).
    const fresh = createModel('dcgan', student.model.options);
    const dz = teacher.model.latentDim;
    const before = meanDiff(fresh.networks.G!, tG, dz);
    const after = meanDiff(sG, tG, dz);
    assert.ok(after < 0.5 * before, `student-teacher mean |diff| ${after} vs untrained ${before}`);
    fresh.dispose();
    // The student's D is the teacher's.
    const dT = teacher.model.networks.D!.getWeights().map((w) => w.dataSync());
    student.model.networks.D!.getWeights().forEach((w, i) => {
      assert.deepEqual([...w.dataSync()], [...dT[i]!]);
    });
  } finally {
    teacher.dispose();
    student.dispose();
  }
  const g = await openGenerator(studentRun);
  assert.deepEqual(g.outputShape, [28, 28, 1]);
  g.dispose();
  await exportRun(studentRun, path.join(tmp, 'student-tfjs'), { page: false });
  await exportRun(studentRun, path.join(tmp, 'student-onnx'), { format: 'onnx' });
  assert.deepEqual(
    readdirSync(tmp).filter((e) => e.includes('.tmp-')),
    [],
    'the temporary folder was moved into place',
  );
});

test('distill: bad inputs are one sentence each', async () => {
  const target = path.join(tmp, 'bad');
  await assert.rejects(distill(teacherRun, target, { width: 2.5 }), /distill: width: /);
  await assert.rejects(
    runCli(['distill', teacherRun, '--width', 'wide'], { quiet: true }),
    /--width must be a number, got 'wide'/,
  );
  const empty = path.join(tmp, 'empty');
  mkdirSync(path.join(empty, 'checkpoints'), { recursive: true });
  await assert.rejects(
    distill(empty, target, { width: 4 }),
    /holds no checkpoint: it has no trained generator to distill/,
  );
  await assert.rejects(distill(teacherRun, teacherRun, { width: 4 }), /must differ from the teacher run/);
  const pix = await tinyRun('pix2pix', tmp);
  await assert.rejects(
    distill(pix, target, { width: 2 }),
    /distill narrows the generators of dcgan, cgan, vanilla runs; .* holds a pix2pix model/,
  );
  const vanilla = await tinyRun('vanilla', tmp);
  await assert.rejects(
    distill(vanilla, target, { width: 4, featureWeight: 1 }),
    /feature matching needs the teacher's D/,
  );
  // A folder that holds a run is not replaced without overwrite.
  await assert.rejects(distill(teacherRun, path.join(tmp, 'student'), { width: 3, steps: 1 }), /already holds a run/);
  // None of the refused distillations left a temporary folder or a student folder behind.
  assert.deepEqual(
    readdirSync(tmp).filter((e) => e.includes('.tmp-') || e === 'bad'),
    [],
  );
});
