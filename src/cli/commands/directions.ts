// `tsgan directions RUN`: GANSpace and SeFa directions of a StyleGAN2 run, with a strip per direction.
import type { Command } from 'commander';

import { openStyleRun } from '../../style/control.js';
import { writeDirections } from '../../style/write.js';
import { intListOption, intOption } from '../options.js';
import { workProgress } from '../progress.js';

export function registerDirections(program: Command): void {
  program
    .command('directions <run>')
    .description('StyleGAN2: interpretable directions in W (GANSpace PCA, SeFa), a JSON file and a strip + GIF each')
    .option('-o, --out <dir>', 'output folder', 'directions')
    .option('--count <k>', 'directions per method', intOption({ min: 1, max: 512 }), 8)
    .option('--samples <n>', 'sampled w for the PCA and the std of each direction', intOption({ min: 2 }), 10000)
    .option('--seeds <list>', 'seeds of the rows of each strip', intListOption(), [0, 1, 2, 3])
    .option('--raw', 'use the raw generator weights, not the EMA copy')
    .addHelpText(
      'after',
      `
Writes DIR/directions.json and DIR/<name>.png + .gif for ganspace-0.. and sefa-0..; each strip walks
-3..3 standard deviations. Apply one with: tsgan sample RUN --directions DIR/directions.json --edit ganspace-0:2

Examples:
  $ tsgan directions runs/stylegan-fmnist32-xyz -o dirs --count 5`,
    )
    .action(async (source: string, o: Record<string, unknown>) => {
      const run = await openStyleRun(source, { useEma: !o.raw, what: 'directions' });
      const bar = workProgress('directions');
      try {
        const out = o.out as string;
        const file = await writeDirections(run, out, {
          count: o.count as number,
          samples: o.samples as number,
          seeds: o.seeds as number[],
          onProgress: (d, t) => bar.update(d, t),
        });
        bar.stop();
        process.stdout.write(
          `${file.directions.length} directions written to ${out}/directions.json (strips and GIFs beside it)\n`,
        );
      } finally {
        bar.stop();
        run.dispose();
      }
    });
}
