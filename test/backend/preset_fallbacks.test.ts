// Every training preset (whatever PRESETS holds, so presets added later are covered) runs a few
// steps under tf.profile on the native backend, at a small batch to stay fast; the test fails when
// one kernel on the tfjs cpu fallback takes more than 5% of the step's kernel time. Kernels that
// only relabel a buffer (Reshape, Identity, ExpandDims) are not fallbacks. A native kernel's calls that it
// handed to the cpu kernel (another dtype or shape) count as fallback time.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { tf } from '../../src/index.js';
import { censusOf, trainerFor } from '../../src/bench/presets.js';
import { PRESETS } from '../../src/train/presets.js';

/** The most a single fallback kernel may take of a step's kernel time. */
const MAX_FALLBACK_SHARE = 0.05;
/** Small batch: the kernels a preset runs do not depend on it, the test's time does. */
const BATCH = 8;

/** Each kernel's fallback time as a share of the step's kernel time, largest first. */
function fallbackShares(census: Awaited<ReturnType<typeof censusOf>>): { kernel: string; share: number }[] {
  return census.rows
    .map((r) => ({
      kernel: r.kernel,
      share:
        r.kind === 'fallback'
          ? r.share
          : r.calls_per_step > 0
            ? (r.share * r.fallback_calls_per_step) / r.calls_per_step
            : 0,
    }))
    .filter((r) => r.share > 0)
    .sort((a, b) => b.share - a.share);
}

for (const name of Object.keys(PRESETS)) {
  test(`preset ${name}: no tfjs cpu fallback kernel above 5% of the step's kernel time`, {
    timeout: 120_000,
  }, async (t) => {
    assert.equal(tf.getBackend(), 'native', 'the test needs the native backend');
    const { trainer } = await trainerFor(name, { batchSize: BATCH });
    try {
      trainer.trainStep(); // warm-up: first-call allocations and lazy initialization
      let census = await censusOf(trainer, 2);
      assert.ok(census.rows.length > 0 && census.kernel_ms_per_step > 0, `${name}: the profile recorded no kernels`);
      let fallbacks = fallbackShares(census);
      // The machine may be shared: one preempted call can inflate a cheap kernel's share. A kernel
      // fails only when it is above the limit in a second census too.
      const first = new Set(fallbacks.filter((f) => f.share > MAX_FALLBACK_SHARE).map((f) => f.kernel));
      if (first.size > 0) {
        census = await censusOf(trainer, 2);
        fallbacks = fallbackShares(census).filter((f) => first.has(f.kernel) || f.share <= MAX_FALLBACK_SHARE);
      }
      t.diagnostic(
        `${name}: ${census.kernel_ms_per_step} ms/step in kernels, fallbacks ${(census.fallback_share * 100).toFixed(1)}%: ${fallbacks
          .slice(0, 5)
          .map((f) => `${f.kernel} ${(f.share * 100).toFixed(1)}%`)
          .join(', ')}`,
      );
      const over = fallbacks.filter((f) => f.share > MAX_FALLBACK_SHARE);
      assert.deepEqual(
        over.map((f) => `${f.kernel} ${(f.share * 100).toFixed(1)}%`),
        [],
        `${name}: fallback kernels above ${MAX_FALLBACK_SHARE * 100}% of the step's kernel time (give them a native kernel)`,
      );
    } finally {
      trainer.dispose();
    }
  });
}

// The census must see a fallback when there is one: cgan-fmnist with the class embedding's
// gradient put back on the cpu kernel (the state before the native UnsortedSegmentSum).
test('the census flags a kernel put back on the cpu fallback', { timeout: 120_000 }, async () => {
  const native = tf.getKernel('UnsortedSegmentSum', 'native')!;
  const cpu = tf.getKernel('UnsortedSegmentSum', 'cpu')!;
  const { trainer } = await trainerFor('cgan-fmnist', { batchSize: BATCH });
  tf.unregisterKernel('UnsortedSegmentSum', 'native');
  tf.registerKernel({ ...cpu, backendName: 'native' });
  try {
    trainer.trainStep();
    const census = await censusOf(trainer, 1);
    const row = census.rows.find((r) => r.kernel === 'UnsortedSegmentSum');
    assert.equal(row?.kind, 'fallback');
    assert.ok(row!.share > MAX_FALLBACK_SHARE, `UnsortedSegmentSum on cpu took only ${(row!.share * 100).toFixed(1)}%`);
    assert.ok(census.fallback_share >= row!.share);
  } finally {
    tf.unregisterKernel('UnsortedSegmentSum', 'native');
    tf.registerKernel(native);
    trainer.dispose();
  }
});
