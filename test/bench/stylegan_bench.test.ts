// `tsgan bench stylegan` without the peer: rounds of timed steps after a warm-up each, the median
// round's fields on top, and a sentence for a bad count.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { benchStylegan, formatStyleganBench } from '../../src/bench/stylegan.js';

test('bench stylegan: rounds, each timed after its warm-up; the result is the median round', async () => {
  const r = await benchStylegan({
    size: 8,
    channelBase: 32,
    channelMax: 8,
    zDim: 8,
    batch: 2,
    steps: 2,
    warmup: 1,
    rounds: 3,
    peer: false,
  });
  assert.equal(r.rounds.length, 3);
  assert.equal(r.warmup, 1);
  for (const x of r.rounds) {
    assert.ok(x.train_ms_per_step > 0);
    assert.equal(x.peer_ms_per_step, null);
  }
  assert.ok(
    r.rounds.some((x) => x.train_ms_per_step === r.train_ms_per_step),
    'the top fields are one of the rounds',
  );
  const text = formatStyleganBench(r);
  assert.match(text, /2 steps after 1 untimed/);
  assert.match(text, /3 rounds, tsgan\/torch: /);
  await assert.rejects(
    benchStylegan({ size: 8, steps: 1, rounds: 0, peer: false }),
    /bench stylegan: --rounds must be a positive whole number, got 0/,
  );
});
