// `tsgan generate RUN --prompt "a large blue square" -n 8 -o grid.png`: images from prompts with a
// text2image run (one row per prompt), or a walk between two prompts (--interpolate STEPS).
import type { Command } from 'commander';

import { generateFromPrompts } from '../../text/generate.js';
import { intOption, truncationOption } from '../options.js';

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('draw images from text prompts with a text-to-image run (a labelled PNG grid, one row per prompt)')
    .argument('<run>', 'run folder or checkpoint file of a text2image model')
    .requiredOption('--prompt <text>', 'what to draw (repeat for several rows)', (v: string, prev: string[] = []) => [
      ...prev,
      v,
    ])
    .option('-n, --n <count>', 'images per prompt', intOption({ min: 1, max: 256 }), 8)
    .option('--seed <n>', 'image i of every prompt uses the latent of seed + i', intOption(), 0)
    .option('--truncation <t>', 'truncation: redraw latent components with |z| > t (0 = off)', truncationOption(), 0)
    .option(
      '--interpolate <steps>',
      'walk from the first prompt to the second in this many images',
      intOption({ min: 2, max: 64 }),
    )
    .option('-o, --out <file>', 'output PNG', 'generated.png')
    .option('--scale <k>', 'integer upscaling of each image', intOption({ min: 1, max: 16 }), 2)
    .option('--raw', 'use the raw generator weights, not the EMA copy')
    .addHelpText(
      'after',
      `
Words the model never saw in training are left out (with a warning naming the closest known word);
an empty prompt, a prompt of only unknown words, and one longer than the model's text encoder reads
are errors.

Examples:
  $ tsgan generate runs/t2i-shapes-<time> --prompt "a large blue square" -n 8 -o grid.png
  $ tsgan generate runs/t2i-shapes-<time> --prompt "a small red circle at the top left" --prompt "a big cyan cross" -o two.png
  $ tsgan generate runs/t2i-shapes-<time> --prompt "a large red square" --prompt "a large blue square" --interpolate 8 -o walk.png`,
    )
    .action(async (run: string, o: Record<string, unknown>) => {
      const prompts = o.prompt as string[];
      const r = await generateFromPrompts(run, prompts, {
        out: o.out as string,
        n: o.n as number,
        seed: o.seed as number,
        truncation: o.truncation as number,
        interpolateSteps: o.interpolate as number | undefined,
        scale: o.scale as number,
        raw: Boolean(o.raw),
        warn: (m) => process.stderr.write(`tsgan: ${m}\n`),
      });
      process.stdout.write(`${r.images} images (${r.rows} row${r.rows === 1 ? '' : 's'}) written to ${r.file}\n`);
    });
}
