// `tsgan interpolate`: a latent walk between seeds, as a PNG strip and an animated GIF (or APNG).
import type { Command } from 'commander';

import { modelSha256, openGenerator, writeLatentWalkFiles } from '../../index.js';
import { choiceOption, intListOption, intOption, numberOption, truncationOption } from '../options.js';
import { workProgress } from '../progress.js';

export function registerInterpolate(program: Command): void {
  program
    .command('interpolate <source>')
    .description('walk the latent space between seeds: a PNG strip and an animated GIF/APNG')
    .option('--seeds <list>', 'seeds of the key latents, in order (at least 2)', intListOption({}, 2), [0, 1])
    .option('--steps <n>', 'frames per segment', intOption({ min: 1 }), 8)
    .option('--mode <m>', 'slerp | linear', choiceOption(['slerp', 'linear'] as const), 'slerp')
    .option('--class <list>', 'class label(s) for conditional models (spread over the walk)', intListOption({ min: 0 }))
    .option('--truncation <t>', 'latent truncation (0 = off)', truncationOption(), 0)
    .option('--loop', 'return to the first seed')
    .option(
      '-o, --out <base>',
      'output path without extension (writes BASE.png and BASE.gif; a .png/.gif/.apng ending is dropped)',
      'interpolation',
    )
    .option('--apng', 'write an APNG (BASE.apng) instead of a GIF')
    .option('--fps <n>', 'animation frames per second (0.1 to 100)', numberOption({ min: 0.1, max: 100 }), 12)
    .option('--scale <k>', 'integer upscaling of each image', intOption({ min: 1, max: 64 }), 2)
    .addHelpText(
      'after',
      `
The PNG strip wraps after 64 frames. Long walks are generated and written a batch at a time.

Examples:
  $ tsgan interpolate runs/dcgan-fmnist-20260101-120000 --seeds 1,2,3 --steps 12 -o walk
  $ tsgan interpolate exported/ --seeds 5,9 --mode linear --apng --loop`,
    )
    .action(async (source: string, o: Record<string, unknown>) => {
      const g = await openGenerator(source, { warn: (m) => process.stderr.write(`tsgan: ${m}\n`) });
      const bar = workProgress('frames');
      try {
        if (g.outputShape.length !== 3) throw new Error('interpolate works on image generators; this one makes points');
        const base = (o.out as string).replace(/\.(png|gif|apng)$/i, '');
        const files = o.apng
          ? { png: `${base}.png`, apng: `${base}.apng` }
          : { png: `${base}.png`, gif: `${base}.gif` };
        const seeds = o.seeds as number[];
        const prov = {
          model: g.model,
          modelSha256: await modelSha256(g.network),
          seed: seeds.join(','),
          step: g.step ?? undefined,
        };
        const { frames } = await writeLatentWalkFiles(
          g,
          files,
          {
            seeds,
            steps: o.steps as number,
            mode: o.mode as 'slerp' | 'linear',
            classes: o.class as number[] | undefined,
            truncation: o.truncation as number,
            loop: Boolean(o.loop),
          },
          {
            delayMs: Math.round(1000 / (o.fps as number)),
            scale: o.scale as number,
            pingPong: !o.loop,
            onProgress: (done, total) => bar.update(done, total),
          },
          prov,
        );
        bar.stop();
        process.stdout.write(`${frames} frames: ${Object.values(files).join(' and ')}\n`);
      } finally {
        bar.stop();
        g.dispose();
      }
    });
}
