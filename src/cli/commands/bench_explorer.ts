// `tsgan bench explorer RUN`: the studio explorer's grid time in headless Chromium (src/bench/explorer.ts).
import type { Command } from 'commander';

import { benchExplorer, formatExplorerBench } from '../../bench/explorer.js';

export function registerBenchExplorer(bench: Command): void {
  bench
    .command('explorer <runDir>')
    .description("time the studio explorer drawing a grid of a run's generator in headless Chromium (cpu, webgl)")
    .option('--n <images>', 'images per grid: 16, 36 or 64', (v) => Number(v), 64)
    .option('--backends <list>', 'TF.js backends in the page', 'cpu,webgl')
    .option('--repeats <k>', 'grids timed after the first', (v) => Number(v), 5)
    .option('--json', 'print JSON instead of the table')
    .addHelpText('after', '\nExample:\n  tsgan bench explorer runs/dcgan-fmnist-20260101-120000 --n 64')
    .action(async (runDir: string, o: { n: number; backends: string; repeats: number; json?: boolean }) => {
      if (!Number.isInteger(o.repeats) || o.repeats < 1 || o.repeats > 100)
        throw new Error(`--repeats must be an integer from 1 to 100, got ${o.repeats}`);
      const rows = await benchExplorer(runDir, {
        n: o.n,
        backends: o.backends
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean),
        repeats: o.repeats,
        log: (m) => process.stderr.write(`${m}\n`),
      });
      process.stdout.write(o.json ? `${JSON.stringify(rows, null, 2)}\n` : `${formatExplorerBench(rows)}\n`);
    });
}
