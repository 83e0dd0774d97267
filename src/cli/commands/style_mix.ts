// `tsgan style-mix RUN`: the style-mixing grid of a StyleGAN2 run.
import type { Command } from 'commander';

import { openStyleRun } from '../../style/control.js';
import { writeStyleMix } from '../../style/write.js';
import { intListOption, intOption, numberOption } from '../options.js';

export function registerStyleMix(program: Command): void {
  program
    .command('style-mix <run>')
    .description("StyleGAN2: a grid mixing the rows' coarse styles with the columns' fine styles")
    .option('--rows <seeds>', 'seeds of the rows (their styles fill --row-layers)', intListOption(), [0, 1, 2, 3])
    .option(
      '--cols <seeds>',
      'seeds of the columns (their styles fill the other layers)',
      intListOption(),
      [10, 11, 12, 13, 14],
    )
    .option(
      '--row-layers <a-b>',
      "layers (w indices) that take the row's styles; default the coarse ones (0-3: 4x4 and 8x8)",
    )
    .option('--psi <psi>', 'truncation towards w_avg (1 = off)', numberOption(), 1)
    .option('--scale <k>', 'integer upscaling of each image', intOption({ min: 1, max: 64 }), 2)
    .option('-o, --out <file>', 'output PNG', 'style-mix.png')
    .option('--raw', 'use the raw generator weights, not the EMA copy')
    .addHelpText(
      'after',
      `
The first row shows the column sources, the first column the row sources; each other image takes the
row's styles on --row-layers and the column's on the rest. Coarse layers (low resolution) carry pose
and shape, fine layers texture and colour.

Examples:
  $ tsgan style-mix runs/stylegan-fmnist32-xyz -o mix.png
  $ tsgan style-mix runs/stylegan-emoji32-xyz --rows 1,2,3 --cols 4,5,6 --row-layers 0-1`,
    )
    .action(async (source: string, o: Record<string, unknown>) => {
      const run = await openStyleRun(source, { useEma: !o.raw, what: 'style mixing' });
      try {
        const out = o.out as string;
        const { rowLayers } = await writeStyleMix(run, out, {
          rowSeeds: o.rows as number[],
          colSeeds: o.cols as number[],
          rowLayers: o.rowLayers as string | undefined,
          psi: o.psi as number,
          scale: o.scale as number,
        });
        process.stdout.write(
          `style-mixing grid (rows' layers ${rowLayers[0]}-${rowLayers[1]} of 0-${run.model.numWs - 1}) written to ${out}\n`,
        );
      } finally {
        run.dispose();
      }
    });
}
