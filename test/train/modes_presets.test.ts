// Issue 18's regression guard: tsgan's stabilized mode-collapse presets, at one seed each, still
// cover the toy mixtures with sharp modes (PacGAN protocol: 2,500 samples, high quality within 3
// sigma): vanilla-ring8-stable >= 7/8 modes and vanilla-grid25-stable >= 23/25, each with >= 90%
// high-quality samples. The two runs are the 'stabilized' row of `tsgan bench modes` at seed 1, in
// two child processes at once (one thread each), so the pair takes one run's time on two cores.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);

async function stabilizedRun(task: 'ring8' | 'grid25') {
  const script = `
    import '${new URL('../../src/index.ts', import.meta.url).href}';
    import { MODES_VARIANTS, runModesVariant } from '${new URL('../../src/bench/modes.ts', import.meta.url).href}';
    const v = MODES_VARIANTS.find((x) => x.name === 'stabilized');
    const { run } = await runModesVariant('${task}', v, 1);
    console.log(JSON.stringify(run));`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, TSGAN_NUM_THREADS: '1' },
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as { modes: number; highQuality: number; reverseKL: number };
}

test('the stabilized presets keep >= 7/8 (ring8) and >= 23/25 (grid25) modes with >= 90% high-quality samples', async () => {
  const [ring, grid] = await Promise.all([stabilizedRun('ring8'), stabilizedRun('grid25')]);
  const say = (r: typeof ring) => `${r.modes} modes, ${(100 * r.highQuality).toFixed(1)}% high quality`;
  assert.ok(ring.modes >= 7, `vanilla-ring8-stable, seed 1: ${say(ring)}`);
  assert.ok(ring.highQuality >= 0.9, `vanilla-ring8-stable, seed 1: ${say(ring)}`);
  assert.ok(grid.modes >= 23, `vanilla-grid25-stable, seed 1: ${say(grid)}`);
  assert.ok(grid.highQuality >= 0.9, `vanilla-grid25-stable, seed 1: ${say(grid)}`);
});
