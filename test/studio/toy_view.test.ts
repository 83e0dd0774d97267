import assert from 'node:assert/strict';
import { test } from 'node:test';

import '../../src/index.js';
import { loadDatasetFromConfig } from '../../src/train/data_source.js';
import { resolveConfig } from '../../src/train/run.js';
import { Trainer } from '../../src/train/trainer.js';
import { toyView } from '../../src/studio/toy_view.js';

test('2-D view: decision surface in (0, 1), generated points with one gradient arrow each, real points once; packed D too', async () => {
  for (const pack of [1, 4]) {
    const config = resolveConfig('vanilla-ring8', {
      model: { hidden: 16, depth: 2, pack },
      data: { points: 600 },
      batchSize: 32,
    });
    const ds = await loadDatasetFromConfig(config.data, config.seed, () => {});
    const t = new Trainer({ config, dataset: ds });
    try {
      const view = toyView(t, { gridSize: 12, points: 40, realPoints: 100 });
      assert.ok(view, 'a points run has a 2-D view');
      const f = view.frame(true);
      assert.equal(f.surface.length, 12 * 12);
      assert.ok(f.surface.every((p) => p >= 0 && p <= 1));
      assert.equal(f.fake.length, 80);
      assert.equal(f.arrows.length, 80);
      assert.ok(
        f.arrows.some((a) => a !== 0),
        'D has a gradient at the generated points',
      );
      assert.equal(f.real?.length, 200);
      const [x0, x1, y0, y1] = f.bounds;
      assert.ok(x0 < -1 && x1 > 1 && y0 < -1 && y1 > 1, `the ring of radius 1 is inside ${f.bounds}`);
      // Training moves the picture; later frames leave the real points out.
      for (let i = 0; i < 3; i++) t.trainStep();
      const g = view.frame(false);
      assert.equal(g.real, undefined);
      assert.equal(g.step, 3);
      assert.notDeepEqual(g.fake, f.fake);
    } finally {
      t.dispose();
    }
  }
});

test('2-D view: none for image runs', async () => {
  const config = resolveConfig('dcgan-fmnist', {
    model: { width: 8 },
    data: { limit: 64 },
    batchSize: 8,
    evalEvery: 0,
  });
  const ds = await loadDatasetFromConfig(config.data, config.seed, () => {});
  const t = new Trainer({ config, dataset: ds });
  try {
    assert.equal(toyView(t), null);
  } finally {
    t.dispose();
  }
});
