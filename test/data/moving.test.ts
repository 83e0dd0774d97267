// Moving shapes and moving Fashion-MNIST clips: shapes of the `clip` field, determinism from the
// seed (clip i depends on (seed, i) only), motion labels that match what the frames show, bad options.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { checkFieldDataset, FieldSampler } from '../../src/data/fields.js';
import {
  type ClipDataset,
  clipFrame,
  ITEM_MOTIONS,
  makeMovingItems,
  makeMovingShapes,
  SHAPE_MOTIONS,
} from '../../src/data/moving.js';
import { loadFashionMnist } from '../../src/index.js';

/** Centre of mass (x, y in pixels) and mass of the bright pixels of frame f of clip i. */
function centroid(ds: ClipDataset, i: number, f: number): { x: number; y: number; mass: number } {
  const fr = clipFrame(ds, i, f);
  const { resolution: r, channels: c } = ds;
  let m = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < r; y++)
    for (let x = 0; x < r; x++) {
      let v = 0;
      for (let k = 0; k < c; k++) v += fr[(y * r + x) * c + k]! + 1;
      m += v;
      sx += v * x;
      sy += v * y;
    }
  return { x: sx / m, y: sy / m, mass: m };
}

test('moving shapes: [N, 16, 32, 32, 3] clips in [-1, 1], five motion labels, a FieldDataset the sampler draws from', () => {
  const ds = makeMovingShapes({ n: 60, seed: 3 });
  checkFieldDataset(ds);
  assert.deepEqual(ds.fields.clip!.shape, [16, 32, 32, 3]);
  assert.equal(ds.fields.clip!.data.length, 60 * 16 * 32 * 32 * 3);
  assert.deepEqual(ds.classNames, [...SHAPE_MOTIONS]);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of ds.fields.clip!.data) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  assert.ok(lo >= -1 && hi <= 1 && hi > 0, `values in [-1, 1] with a visible object (${lo}..${hi})`);
  assert.equal(new Set(ds.labels).size, SHAPE_MOTIONS.length, 'every motion type occurs in 60 clips');
  const batch = new FieldSampler(ds, 4, 1).next(['clip']);
  assert.deepEqual(batch.clip!.shape, [4, 16, 32, 32, 3]);
  const big = makeMovingShapes({ n: 2, resolution: 64, frames: 8 });
  assert.deepEqual(big.fields.clip!.shape, [8, 64, 64, 3]);
});

test('moving shapes: the same seed gives the same clips, clip i does not depend on n, another seed differs', () => {
  const a = makeMovingShapes({ n: 6, seed: 11 });
  const b = makeMovingShapes({ n: 3, seed: 11 });
  const c = makeMovingShapes({ n: 3, seed: 12 });
  assert.deepEqual(a.fields.clip!.data.subarray(0, b.fields.clip!.data.length), b.fields.clip!.data);
  assert.deepEqual(a.names.slice(0, 3), b.names);
  assert.notDeepEqual(c.fields.clip!.data, b.fields.clip!.data);
});

test('moving shapes: each motion label shows its motion (path of the centre of mass, size, stillness)', () => {
  for (const motion of SHAPE_MOTIONS) {
    const ds = makeMovingShapes({ n: 8, seed: 5, motions: [motion] });
    assert.ok(ds.labels.every((l) => SHAPE_MOTIONS[l] === motion));
    for (let i = 0; i < ds.fields.clip!.n; i++) {
      const pts = Array.from({ length: 16 }, (_, f) => centroid(ds, i, f));
      const step = pts.slice(1).map((p, f) => Math.hypot(p.x - pts[f]!.x, p.y - pts[f]!.y));
      const travel = Math.hypot(pts[15]!.x - pts[0]!.x, pts[15]!.y - pts[0]!.y);
      const path = step.reduce((s, d) => s + d, 0);
      const massRatio = pts[15]!.mass / pts[0]!.mass;
      const what = `${ds.names[i]} (travel ${travel.toFixed(1)}, path ${path.toFixed(1)}, mass x${massRatio.toFixed(2)})`;
      if (motion === 'linear') assert.ok(travel > 8 && path < travel * 1.15, `straight line: ${what}`);
      if (motion === 'bounce') assert.ok(path > 15, `fast: ${what}`);
      if (motion === 'circular') assert.ok(path > 2 * travel && path > 15, `loops around: ${what}`);
      if (motion === 'zoom')
        assert.ok(path < 2 && (massRatio > 4 || massRatio < 0.25), `grows or shrinks in place: ${what}`);
      if (motion === 'spin') {
        assert.ok(travel < 2 && path < 6, `stays in place: ${what}`);
        const f0 = clipFrame(ds, i, 0);
        const f3 = clipFrame(ds, i, 3);
        let diff = 0;
        for (let k = 0; k < f0.length; k++) diff += Math.abs(f0[k]! - f3[k]!);
        assert.ok(diff > 5, `frames change: ${what}`);
      }
    }
  }
});

test('moving Fashion-MNIST: [N, 16, 32, 32, 1] clips of test-split items that drift or bounce inside the frame', () => {
  const items = loadFashionMnist({ limit: 300 });
  const ds = makeMovingItems(items, { n: 40, seed: 2 });
  checkFieldDataset(ds);
  assert.deepEqual(ds.fields.clip!.shape, [16, 32, 32, 1]);
  assert.deepEqual(ds.classNames, [...ITEM_MOTIONS]);
  assert.equal(new Set(ds.labels).size, 2);
  assert.ok(Array.from(ds.content).every((c) => c >= 0 && c < 10));
  const again = makeMovingItems(items, { n: 40, seed: 2 });
  assert.deepEqual(again.fields.clip!.data, ds.fields.clip!.data);
  for (let i = 0; i < ds.fields.clip!.n; i++) {
    const pts = Array.from({ length: 16 }, (_, f) => centroid(ds, i, f));
    const path = pts.slice(1).reduce((s, p, f) => s + Math.hypot(p.x - pts[f]!.x, p.y - pts[f]!.y), 0);
    const travel = Math.hypot(pts[15]!.x - pts[0]!.x, pts[15]!.y - pts[0]!.y);
    // The item keeps its brightness (it stays inside the frame) and moves.
    for (const p of pts) assert.ok(Math.abs(p.mass / pts[0]!.mass - 1) < 0.1, `${ds.names[i]} stays whole`);
    if (ITEM_MOTIONS[ds.labels[i]!] === 'linear')
      assert.ok(path < travel * 1.15 && travel > 3, `${ds.names[i]} straight`);
    else assert.ok(path > 10, `${ds.names[i]} moves fast (path ${path.toFixed(1)})`);
  }
  const big = makeMovingItems(items, { n: 2, resolution: 64 });
  assert.deepEqual(big.fields.clip!.shape, [16, 64, 64, 1]);
});

test('clip datasets: bad options are one clear sentence', () => {
  assert.throws(() => makeMovingShapes({ n: 0 }), /number of clips must be a positive integer/);
  assert.throws(() => makeMovingShapes({ frames: 1 }), /frames per clip/);
  assert.throws(() => makeMovingShapes({ resolution: 8 }), /frame side/);
  assert.throws(() => makeMovingShapes({ motions: ['wobble' as never] }), /unknown motion 'wobble'/);
  const items = loadFashionMnist({ limit: 10 });
  assert.throws(() => makeMovingItems(items, { itemSize: 40 }), /item side/);
});
