// StyleGAN2 control (src/style/): truncation psi -> 0 gives the mean image, style-mixing layer
// ranges (all layers from the row give the row's image; ranges checked), GANSpace and SeFa
// directions (orthonormal, ordered, the top one is the largest-variance / largest-style-change
// direction; a walk along it moves the image monotonically away from the start), edits, and the
// clear errors: a DCGAN run, a bad layer range, an unknown direction.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { loadFashionMnist, tf, train } from '../../src/index.js';
import { StyleGAN2 } from '../../src/models/stylegan2.js';
import { initializeWeights } from '../../src/nn/init.js';
import { Rng } from '../../src/train/rng.js';
import { openStyleRun, parseLayerRange, sampleStyle, styleMixGrid, wForSeeds } from '../../src/style/control.js';
import { findDirections, modulationWeights, parseEdits, symmetricEigen } from '../../src/style/directions.js';
import { directionWalk } from '../../src/style/write.js';

function tinyRun() {
  const model = new StyleGAN2({
    resolution: 16,
    channels: 1,
    latentDim: 8,
    wDim: 8,
    mappingLayers: 2,
    channelBase: 64,
    channelMax: 8,
  });
  initializeWeights(model.networks.G!, new Rng(4), 'dcgan');
  // a w_avg away from 0, as after training
  model.wAvg = Float32Array.from({ length: 8 }, (_, i) => Math.sin(i));
  return { model, generator: model.networks.G!, step: 0 };
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;

test('truncation psi -> 0 gives the mean image (the image of w_avg) for every seed', () => {
  const run = tinyRun();
  const mean = run.model.synthesize(tf.tensor2d(run.model.wAvg, [1, 8]));
  const at0 = sampleStyle(run, [1, 2, 3], { psi: 0 });
  for (let i = 0; i < 3; i++) assert.ok(maxDiff(tf.slice(at0, [i, 0, 0, 0], [1, -1, -1, -1]), mean) < 1e-5);
  // the spread of the samples shrinks with psi
  const spread = (psi: number) =>
    tf.mean(tf.moments(sampleStyle(run, [1, 2, 3, 4, 5], { psi }), 0).variance).dataSync()[0]!;
  assert.ok(spread(0.1) < spread(0.5) && spread(0.5) < spread(1), 'variance grows with psi');
  assert.throws(() => sampleStyle(run, [1], { psi: -0.5 }), /psi must be a number from 0/);
});

test("style mixing: the row's layers from the row, the rest from the column; ranges checked", () => {
  const run = tinyRun();
  const L = run.model.numWs; // 6 at 16x16
  const rows = [1, 2];
  const cols = [5, 6, 7];
  const all = styleMixGrid(run, rows, cols, { rowLayers: [0, L - 1] }); // [(2+1)*(3+1), H, W, C]
  assert.deepEqual(all.shape, [12, 16, 16, 1]);
  const tile = (g: tf.Tensor, r: number, c: number) => tf.slice(g, [r * 4 + c, 0, 0, 0], [1, -1, -1, -1]);
  // every layer from the row: each cell is its row source (first column)
  for (const r of [1, 2]) for (const c of [1, 2, 3]) assert.ok(maxDiff(tile(all, r, c), tile(all, r, 0)) < 1e-5);
  const coarse = styleMixGrid(run, rows, cols, { rowLayers: [0, 2] });
  const wr = wForSeeds(run, [1]);
  const wc = wForSeeds(run, [6]);
  const expect = run.model.synthesize([wr, wr, wr, wc, wc, wc]);
  assert.ok(maxDiff(tile(coarse, 1, 2), expect) < 1e-5, 'row 1 x column 6 takes layers 0-2 from the row');
  assert.ok(maxDiff(tile(coarse, 1, 2), tile(coarse, 1, 0)) > 1e-3, 'and differs from the row source');
  assert.ok(maxDiff(tile(coarse, 1, 2), tile(coarse, 0, 2)) > 1e-3, 'and from the column source');
  assert.deepEqual(parseLayerRange('2-4', L), [2, 4]);
  assert.deepEqual(parseLayerRange('3', L), [3, 3]);
  assert.throws(() => parseLayerRange('4-9', L), /outside the model's layers 0-5/);
  assert.throws(() => parseLayerRange('x', L), /write FROM-TO/);
});

test('directions: GANSpace and SeFa are orthonormal and ordered; the top ones maximize their criteria; walks are monotonic', () => {
  const run = tinyRun();
  const f = findDirections(run, { count: 4, samples: 400 });
  const gs = f.directions.filter((d) => d.method === 'ganspace');
  const sf = f.directions.filter((d) => d.method === 'sefa');
  assert.equal(gs.length, 4);
  assert.equal(sf.length, 4);
  const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);
  for (const set of [gs, sf])
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) assert.ok(Math.abs(dot(set[i]!.vector, set[j]!.vector) - (i === j ? 1 : 0)) < 1e-6);
  for (let i = 1; i < 4; i++) {
    assert.ok(gs[i - 1]!.std >= gs[i]!.std - 1e-9, 'GANSpace by decreasing variance');
    assert.ok(sf[i - 1]!.eigenvalue >= sf[i]!.eigenvalue - 1e-9, 'SeFa by decreasing |A^T n|^2');
  }
  const { data, cols } = modulationWeights(run.model, run.generator);
  const styleChange = (n: number[]) => {
    let s = 0;
    for (let c = 0; c < cols; c++) {
      let p = 0;
      for (let i = 0; i < 8; i++) p += n[i]! * data[i * cols + c]!;
      s += p * p;
    }
    return s;
  };
  const r = new Rng(9);
  for (let t = 0; t < 20; t++) {
    const v = Array.from(r.normals(8));
    const norm = Math.sqrt(dot(v, v));
    const u = v.map((x) => x / norm);
    assert.ok(styleChange(sf[0]!.vector) >= styleChange(u) - 1e-6, 'SeFa-0 changes the styles most');
  }
  // a walk along the top direction moves the image further from its start at each step
  for (const d of [gs[0]!, sf[0]!]) {
    const walk = directionWalk(run, d, [3], [0, 0.5, 1, 1.5, 2, 2.5, 3]); // [1, 7, H, W, C]
    const frames = tf.unstack(tf.squeeze(walk, [0]));
    const dist = frames.map((x) => tf.norm(tf.sub(x, frames[0]!)).dataSync()[0]!);
    for (let k = 1; k < dist.length; k++)
      assert.ok(dist[k]! > dist[k - 1]!, `${d.name}: ${dist.map((x) => x.toFixed(3))}`);
  }
  // edits: strength in std units
  const edits = parseEdits(['ganspace-0:2'], f, 8);
  assert.ok(Math.abs(edits[0]!.strength - 2 * gs[0]!.std) < 1e-12);
  assert.throws(() => parseEdits(['nope-1:2'], f, 8), /no direction 'nope-1'/);
  assert.throws(() => parseEdits(['ganspace-0'], f, 8), /NAME:STRENGTH/);
  // the eigen solver on a known matrix
  const e = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
  assert.ok(Math.abs(e.values[0]! - 3) < 1e-12 && Math.abs(e.values[1]! - 1) < 1e-12);
});

test('control commands refuse a DCGAN run with a sentence', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-style-'));
  try {
    const r = await train({
      config: {
        model: { family: 'dcgan', width: 2, latentDim: 4 },
        batchSize: 4,
        steps: 1,
        checkpointEvery: 1,
        sampleEvery: 1000,
      },
      runDir: path.join(tmp, 'dc'),
      dataset: loadFashionMnist({ limit: 8 }),
      progress: 'none',
      handleSignals: false,
    });
    r.trainer.dispose();
    await assert.rejects(
      openStyleRun(path.join(tmp, 'dc'), { what: 'style mixing' }),
      /holds a dcgan model, which has no W space: style mixing works on StyleGAN2 runs/,
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
