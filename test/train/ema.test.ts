// EMA of G's weights: ema <- beta * ema + (1 - beta) * G after each G update; before emaStart the
// copy tracks G exactly; samples come from the EMA copy.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Trainer, makeToy2d, parseConfig } from '../../src/index.js';

const flat = (ws: { read(): { dataSync(): ArrayLike<number> } }[]) =>
  ws.flatMap((w) => Array.from(w.read().dataSync()));

test('EMA update follows beta * ema + (1 - beta) * weights', () => {
  const t = new Trainer({
    config: parseConfig({ model: { family: 'vanilla', hidden: 8 }, batchSize: 8, ema: 0.8, lr: 1e-2 }),
    dataset: makeToy2d('ring8', 64, 0),
  });
  const g = t.model.networks.G;
  const ema = t.ema.G;
  assert.ok(ema && ema !== g, 'an EMA copy exists');
  assert.deepEqual(flat(ema.weights), flat(g.weights), 'starts equal to G');
  let prevEma = flat(ema.weights);
  for (let step = 0; step < 3; step++) {
    t.trainStep();
    const w = flat(g.weights);
    const e = flat(ema.weights);
    assert.notDeepEqual(w, prevEma, 'G moved');
    for (let i = 0; i < e.length; i++) {
      const want = 0.8 * prevEma[i] + 0.2 * w[i];
      assert.ok(Math.abs(e[i] - want) <= 1e-6 * Math.max(1, Math.abs(want)), `weight ${i}: ${e[i]} vs ${want}`);
    }
    prevEma = e;
  }
  assert.equal(t.sampleGenerator, ema, 'samples use the EMA copy');
  t.dispose();
});

test('before emaStart the EMA copy equals G', () => {
  const t = new Trainer({
    config: parseConfig({ model: { family: 'vanilla', hidden: 8 }, batchSize: 8, ema: 0.99, emaStart: 5 }),
    dataset: makeToy2d('ring8', 64, 0),
  });
  t.trainStep();
  t.trainStep();
  assert.deepEqual(flat(t.ema.G.weights), flat(t.model.networks.G.weights));
  t.dispose();
});
