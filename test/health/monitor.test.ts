// The health monitor on synthetic record streams: each event is provoked on purpose and must be
// detected within a bounded number of records; healthy streams raise nothing; remedies act
// through a recording TrainingControl (rollback to the last healthy checkpoint + lower lrs,
// DiffAugment, stop with an explanation).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { referenceStats } from '../../src/health/diversity.js';
import { HealthMonitor } from '../../src/health/monitor.js';
import type { HealthEvent, StepRecord, TrainingControl } from '../../src/health/types.js';
import { mulberry32 } from '../../src/metrics/rng.js';

/** A plausible healthy non-saturating GAN record stream (noisy losses around their usual levels). */
function healthy(step: number, r: () => number): StepRecord {
  return {
    step,
    lossG: 0.9 + 0.3 * (r() - 0.5),
    lossD: 1.2 + 0.3 * (r() - 0.5),
    dReal: 0.4 + 0.4 * (r() - 0.5),
    dFake: -0.4 + 0.4 * (r() - 0.5),
    gradNormG: 1 + 0.4 * r(),
    gradNormD: 2 + 0.8 * r(),
  };
}

/** n points [n, dim] spread around the first `centres` of a fixed set of random centres, noise `s`. */
function batch(n: number, dim: number, centres: number, s: number, r: () => number) {
  const c = mulberry32(1234);
  const centre = Array.from({ length: centres }, () => Array.from({ length: dim }, () => 10 * c()));
  const data = new Float32Array(n * dim);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < dim; k++) data[i * dim + k] = centre[i % centres][k] + s * (r() - 0.5);
  return { n, dim, data };
}

class RecordingControl implements TrainingControl {
  calls: string[] = [];
  restoreCheckpoint(step: number) {
    this.calls.push(`restore ${step}`);
  }
  scaleLearningRates(f: number) {
    this.calls.push(`lr x${f}`);
  }
  enableDiffAugment(p: string) {
    this.calls.push(`diffaugment ${p}`);
  }
  stop(reason: string) {
    this.calls.push(`stop: ${reason}`);
  }
}

/** Feeds records until the first event of `kind`; returns it and how many records it took. */
function firstEvent(m: HealthMonitor, records: Iterable<StepRecord>, kind: HealthEvent['kind']) {
  let count = 0;
  for (const rec of records) {
    count++;
    const ev = m.observe(rec).find((e) => e.kind === kind);
    if (ev) return { ev, count };
  }
  return { ev: undefined, count };
}

test('a healthy stream raises no event over 2,000 records, with features every 50 steps', () => {
  const r = mulberry32(1);
  const m = new HealthMonitor();
  const m2 = new HealthMonitor({ collapse: referenceStats(batch(64, 16, 64, 0.5, mulberry32(9))) });
  for (let s = 0; s < 2000; s++) {
    const rec = healthy(s, r);
    if (s % 50 === 0) rec.features = batch(64, 16, 64, 0.5, r);
    assert.deepEqual(m.observe(rec), [], `step ${s}`);
    assert.deepEqual(m2.observe(rec), [], `step ${s} (with reference)`);
  }
  assert.ok(m.healthy);
});

test('NaN and Inf are detected on the record they appear in', () => {
  const r = mulberry32(2);
  for (const bad of [{ lossD: NaN }, { lossG: Infinity }, { gradNormD: NaN }, { dFake: -Infinity }]) {
    const m = new HealthMonitor();
    for (let s = 0; s < 30; s++) assert.deepEqual(m.observe(healthy(s, r)), []);
    const ev = m.observe({ ...healthy(30, r), ...bad });
    assert.equal(ev.length, 1);
    assert.equal(ev[0].kind, 'non-finite');
    assert.equal(ev[0].severity, 'critical');
    assert.match(ev[0].message, /Non-finite/);
    assert.ok(!m.healthy);
  }
});

test('divergence: losses exploding (as with a learning rate 50x too high) are caught within 15 records', () => {
  const r = mulberry32(3);
  const m = new HealthMonitor();
  const stream = function* () {
    for (let s = 0; s < 100; s++) yield healthy(s, r);
    // From step 100 the generator loss grows geometrically and D's logits run away.
    for (let s = 100; s < 200; s++) {
      const g = 1.5 ** (s - 100);
      yield { ...healthy(s, r), lossG: 1 + g, dReal: 0.4 + g, dFake: -0.4 - g };
    }
  };
  const { ev, count } = firstEvent(m, stream(), 'divergence');
  assert.ok(ev, 'divergence not detected');
  assert.ok(count - 100 <= 15, `detected ${count - 100} records after onset`);
  assert.ok(ev.signals.onsetStep >= 100);
});

test('divergence relative to the running level also works for WGAN critics (no absolute limits)', () => {
  const r = mulberry32(4);
  const m = new HealthMonitor({ loss: 'wgan-gp' });
  const stream = function* () {
    for (let s = 0; s < 100; s++) yield { ...healthy(s, r), lossG: 2 + r(), lossD: -1 + r() };
    for (let s = 100; s < 200; s++) yield { ...healthy(s, r), lossG: 400 + 10 * r(), lossD: -300 };
  };
  const { ev, count } = firstEvent(m, stream(), 'divergence');
  assert.ok(ev);
  assert.ok(count - 100 <= 12, `took ${count - 100}`);
});

test('D overpowering: accuracy pinned at 1 is reported after `patience` records', () => {
  const r = mulberry32(5);
  const m = new HealthMonitor({ overpowering: { patience: 40 } });
  const stream = function* () {
    for (let s = 0; s < 50; s++) yield { ...healthy(s, r), dAccuracy: 0.7 };
    for (let s = 50; s < 200; s++) yield { ...healthy(s, r), dReal: 12, dFake: -12 };
  };
  const { ev, count } = firstEvent(m, stream(), 'd-overpowering');
  assert.ok(ev);
  assert.equal(count - 50, 40);
  assert.equal(ev.severity, 'warning');
  assert.equal(ev.remedy.action, 'diffaugment');
});

test('gradient-norm spike: one norm 100x its running median is flagged at once', () => {
  const r = mulberry32(6);
  const m = new HealthMonitor();
  for (let s = 0; s < 60; s++) assert.deepEqual(m.observe(healthy(s, r)), []);
  const ev = m.observe({ ...healthy(60, r), gradNormD: 250 });
  assert.equal(ev.length, 1);
  assert.equal(ev[0].kind, 'grad-spike');
  assert.match(ev[0].message, /of D/);
});

test('mode collapse: a one-mode generator is caught within 2 feature checks (diversity and near-duplicates)', () => {
  const r = mulberry32(7);
  const refs = referenceStats(batch(64, 16, 64, 0.5, mulberry32(9)));
  const ref = refs.referenceDiversity;
  const m = new HealthMonitor({ collapse: refs });
  let checks = 0;
  let found: HealthEvent | undefined;
  for (let s = 0; s < 1000 && !found; s++) {
    const rec = healthy(s, r);
    if (s % 50 === 0) {
      // Diverse until step 300, then every sample of the fixed batch is the same image (plus noise).
      rec.features = s < 300 ? batch(64, 16, 64, 0.5, r) : batch(64, 16, 1, 1e-3, r);
      if (s >= 300) checks++;
    }
    found = m.observe(rec).find((e) => e.kind === 'mode-collapse');
  }
  assert.ok(found);
  assert.equal(checks, 2);
  assert.ok(found.signals.duplicateRate > 0.9);
  assert.ok(found.signals.diversity < 0.01 * ref);
});

test('mode collapse without a reference (highest diversity seen) and through class coverage', () => {
  const r = mulberry32(8);
  const m = new HealthMonitor({ warmup: 0 });
  let found: HealthEvent | undefined;
  for (let s = 0; s < 20 && !found; s++) {
    const rec = healthy(s, r);
    rec.features = s < 10 ? batch(64, 16, 64, 0.5, r) : batch(64, 16, 1, 0.01, r);
    found = m.observe(rec).find((e) => e.kind === 'mode-collapse');
    if (found) assert.ok(s === 11, `found at ${s}`);
  }
  assert.ok(found);
  const m2 = new HealthMonitor();
  const classes = (k: number) => Array.from({ length: 100 }, (_, i) => i % k);
  assert.deepEqual(m2.observe({ ...healthy(0, r), classes: classes(10), numClasses: 10 }), []);
  assert.deepEqual(m2.observe({ ...healthy(1, r), classes: classes(2), numClasses: 10 }), []);
  const ev = m2.observe({ ...healthy(2, r), classes: classes(2), numClasses: 10 });
  assert.equal(ev[0]?.kind, 'mode-collapse');
  assert.match(ev[0].message, /only 2 of 10 classes/);
});

test('remedy rollback: restores the newest checkpoint saved before the onset and lowers the lrs', async () => {
  const r = mulberry32(9);
  const m = new HealthMonitor();
  const control = new RecordingControl();
  let event: HealthEvent | undefined;
  for (let s = 0; s < 300 && !event; s++) {
    const rec = s < 250 ? healthy(s, r) : { ...healthy(s, r), lossG: 80, dReal: 90 };
    event = m.observe(rec).find((e) => e.kind === 'divergence');
    if (s % 100 === 0 || s === 252) m.checkpointSaved(s); // 252 is mid-streak: not healthy
  }
  assert.ok(event);
  assert.deepEqual(m.healthyCheckpointSteps, [0, 100, 200]);
  const out = await m.applyRemedy(event, control);
  assert.deepEqual(out, { applied: 'rollback', restoredStep: 200 });
  assert.deepEqual(control.calls, ['restore 200', 'lr x0.5']);
  assert.equal(m.rollbackCount, 1);
  // After the rollback the run is healthy again and the stream continues without events.
  for (let s = 200; s < 300; s++) assert.deepEqual(m.observe(healthy(s, r)), []);
});

test('remedy rollback without a healthy checkpoint, or past maxRollbacks, stops with an explanation', async () => {
  const r = mulberry32(10);
  const m = new HealthMonitor({ maxRollbacks: 1 });
  const control = new RecordingControl();
  const nan = m.observe({ ...healthy(5, r), lossD: NaN })[0];
  const out = await m.applyRemedy(nan, control);
  assert.equal(out.applied, 'stop');
  assert.match(control.calls[0], /^stop: .*Non-finite.*no healthy checkpoint before step 5/);

  const m2 = new HealthMonitor({ maxRollbacks: 1, cooldown: 0 });
  const c2 = new RecordingControl();
  for (let s = 0; s < 10; s++) m2.observe(healthy(s, r));
  m2.checkpointSaved(9);
  const e1 = m2.observe({ ...healthy(10, r), lossG: NaN })[0];
  assert.equal((await m2.applyRemedy(e1, c2)).applied, 'rollback');
  const e2 = m2.observe({ ...healthy(10, r), lossG: NaN })[0];
  assert.equal((await m2.applyRemedy(e2, c2)).applied, 'stop');
  assert.match(c2.calls.at(-1)!, /1 rollbacks already/);
});

test('remedy diffaugment turns it on once; stop and warn do what they say', async () => {
  const r = mulberry32(11);
  const m = new HealthMonitor({
    overpowering: { patience: 5 },
    cooldown: 0,
    remedies: { 'grad-spike': { action: 'stop' } },
  });
  const c = new RecordingControl();
  let ev: HealthEvent | undefined;
  for (let s = 0; s < 10 && !ev; s++) ev = m.observe({ ...healthy(s, r), dAccuracy: 1 })[0];
  assert.equal(ev?.kind, 'd-overpowering');
  assert.deepEqual(await m.applyRemedy(ev!, c), { applied: 'diffaugment' });
  assert.deepEqual(c.calls, ['diffaugment color,translation,cutout']);
  assert.equal((await m.applyRemedy(ev!, c)).applied, 'warn');
  for (let s = 10; s < 40; s++) m.observe(healthy(s, r));
  const spike = m.observe({ ...healthy(40, r), gradNormG: 1e4 }).find((e) => e.kind === 'grad-spike')!;
  assert.equal((await m.applyRemedy(spike, c)).applied, 'stop');
  assert.match(c.calls.at(-1)!, /stopping: Gradient norm of G spiked/);
});

test('bad health config is rejected with a readable error', () => {
  assert.throws(
    () => new HealthMonitor({ remedies: { divergence: { action: 'explode' } } } as never),
    /action|invalid/i,
  );
  assert.throws(() => new HealthMonitor({ overpowering: { acuracy: 0.9 } } as never), /acuracy|unrecognized/i);
});
