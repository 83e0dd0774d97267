// `tsgan interpolate`: a latent walk between seeds, as a PNG strip and an animated GIF (or APNG).
import type { Command } from 'commander';

import { interpolate, modelSha256, openGenerator, writeLatentWalk } from '../../index.js';

const intList = (s: string) => s.split(',').map((x) => Number(x.trim()));

export function registerInterpolate(program: Command): void {
  program
    .command('interpolate <source>')
    .description('walk the latent space between seeds: a PNG strip and an animated GIF/APNG')
    .option('--seeds <list>', 'seeds of the key latents, in order', intList, [0, 1])
    .option('--steps <n>', 'frames per segment', Number, 8)
    .option('--mode <m>', 'slerp | linear', 'slerp')
    .option('--class <list>', 'class label(s) for conditional models (spread over the walk)', intList)
    .option('--truncation <t>', 'latent truncation (0 = off)', Number, 0)
    .option('--loop', 'return to the first seed')
    .option('-o, --out <base>', 'output path without extension (writes BASE.png and BASE.gif)', 'interpolation')
    .option('--apng', 'write an APNG (BASE.apng) instead of a GIF')
    .option('--fps <n>', 'animation frames per second', Number, 12)
    .option('--scale <k>', 'integer upscaling of each image', Number, 2)
    .addHelpText(
      'after',
      `
Examples:
  $ tsgan interpolate runs/dcgan-fmnist-20260101-120000 --seeds 1,2,3 --steps 12 -o walk
  $ tsgan interpolate exported/ --seeds 5,9 --mode linear --apng --loop`,
    )
    .action(async (source: string, o: Record<string, unknown>) => {
      const g = await openGenerator(source, { warn: (m) => process.stderr.write(`tsgan: ${m}\n`) });
      try {
        if (g.outputShape.length !== 3) throw new Error('interpolate works on image generators');
        const { frames, count } = interpolate(g, {
          seeds: o.seeds as number[],
          steps: o.steps as number,
          mode: o.mode as 'slerp' | 'linear',
          classes: o.class as number[] | undefined,
          truncation: o.truncation as number,
          loop: Boolean(o.loop),
        });
        const base = o.out as string;
        try {
          const prov = {
            model: g.model,
            modelSha256: await modelSha256(g.network),
            seed: (o.seeds as number[]).join(','),
            step: g.step ?? undefined,
          };
          const files = o.apng
            ? { png: `${base}.png`, apng: `${base}.apng` }
            : { png: `${base}.png`, gif: `${base}.gif` };
          await writeLatentWalk(files, frames, prov, {
            delayMs: Math.round(1000 / (o.fps as number)),
            scale: o.scale as number,
            pingPong: !o.loop,
          });
          process.stdout.write(`${count} frames: ${Object.values(files).join(' and ')}\n`);
        } finally {
          frames.dispose();
        }
      } finally {
        g.dispose();
      }
    });
}
