// `tsgan bench modes`: the PacGAN mode-collapse table (src/bench/modes.ts) over seeds.
import type { Command } from 'commander';

import {
  benchModes,
  formatModesTable,
  MODES_TASKS,
  MODES_VARIANTS,
  resolveModesVariants,
  type ModesBenchResult,
  type ModesTask,
} from '../../bench/modes.js';

function parseInteger(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got '${v}'`);
    return n;
  };
}

export function registerBenchModes(bench: Command): void {
  bench
    .command('modes')
    .description(
      'mode collapse on the toy mixtures (PacGAN Table 1): modes, high-quality samples and reverse KL over seeds for minimax, non-saturating, PacGAN2/3/4, WGAN-GP, hinge + R1 and the stabilized preset',
    )
    .option('--task <name>', `${MODES_TASKS.join(' | ')} (default: both)`)
    .option('--seeds <n>', 'seeds 1..n per variant', parseInteger('--seeds'), 5)
    .option('--variants <list>', `comma list of ${MODES_VARIANTS.map((v) => v.name).join(', ')} (default: all)`)
    .option('--steps <n>', "training steps instead of the preset's (quick looks only)", parseInteger('--steps'))
    .option('--scatter <dir>', "write each run's 2,500 samples as a scatter PNG into this folder")
    .option('--json', 'print one JSON object per task instead of the table')
    .addHelpText(
      'after',
      '\nExamples:\n  tsgan bench modes --task ring8 --seeds 5\n  tsgan bench modes --task grid25 --variants minimax,stabilized --seeds 2 --json\n\nThe comparison rows train their base preset (5,000 or 8,000 steps: 1-3 minutes a run on an idle core), the stabilized row the tsgan preset (16,000-20,000 steps: a few minutes); progress goes to stderr.',
    )
    .action(
      async (o: {
        task?: string;
        seeds: number;
        variants?: string;
        steps?: number;
        scatter?: string;
        json?: boolean;
      }) => {
        if (o.task != null && !(MODES_TASKS as readonly string[]).includes(o.task))
          throw new Error(`--task must be one of ${MODES_TASKS.join(', ')}, got '${o.task}'`);
        if (o.seeds > 100) throw new Error(`--seeds must be at most 100, got ${o.seeds}`);
        const variants = o.variants
          ?.split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        resolveModesVariants(variants); // unknown names fail before any training
        const tasks = o.task ? [o.task as ModesTask] : [...MODES_TASKS];
        const results: ModesBenchResult[] = [];
        for (const task of tasks) {
          const r = await benchModes({
            task,
            seeds: o.seeds,
            variants,
            steps: o.steps,
            scatterDir: o.scatter,
            onProgress: (line) => process.stderr.write(`${line}\n`),
          });
          results.push(r);
          console.log(o.json ? JSON.stringify(r) : `${formatModesTable(r)}\n`);
        }
      },
    );
}
