// `tsgan sample`: images (a grid or one PNG each) from a run, a checkpoint or an exported generator.
import { mkdirSync } from 'node:fs';
import path from 'node:path';

import type { Command } from 'commander';

import { modelSha256, openGenerator, sample, tf, writeSamples } from '../../index.js';

const intList = (s: string) =>
  s.split(',').map((x) => {
    const n = Number(x.trim());
    if (!Number.isInteger(n)) throw new Error(`'${x}' is not an integer`);
    return n;
  });

export function registerSample(program: Command): void {
  program
    .command('sample <source>')
    .description('generate samples from a run folder, checkpoint file, or exported generator folder')
    .option('-n, --n <count>', 'number of samples', Number, 64)
    .option('--seed <n>', 'base seed: sample i uses seed+i', Number, 0)
    .option('--seeds <list>', 'explicit per-sample seeds, e.g. 1,2,3 (overrides -n/--seed)', intList)
    .option('--class <list>', 'class label(s) for conditional models, cycled, e.g. 3 or 0,1,2', intList)
    .option('--truncation <t>', 'truncation: redraw latent components with |z| > t (0 = off)', Number, 0)
    .option('-o, --out <path>', 'output PNG (grid) or folder (with --separate)', 'samples.png')
    .option('--separate', 'write one PNG per sample into the --out folder')
    .option('--cols <n>', 'grid columns', Number)
    .option('--scale <k>', 'integer upscaling of each tile', Number, 1)
    .option('--raw', 'use the raw generator weights, not the EMA copy')
    .addHelpText(
      'after',
      `
Every PNG carries text metadata saying it is GAN-generated, with the model hash and seeds.

Examples:
  $ tsgan sample runs/dcgan-fmnist-20260101-120000 -n 64 -o grid.png
  $ tsgan sample runs/cgan-fmnist-xyz --class 0,1,2,3,4,5,6,7,8,9 -n 100 --cols 10
  $ tsgan sample exported/ --seeds 7,8,9 --separate -o out/ --truncation 1.5`,
    )
    .action(async (source: string, o: Record<string, unknown>) => {
      const g = await openGenerator(source, { useEma: !o.raw, warn: (m) => process.stderr.write(`tsgan: ${m}\n`) });
      try {
        const { samples, seeds, labels } = sample(g, {
          n: o.n as number,
          seed: o.seed as number,
          seeds: o.seeds as number[] | undefined,
          classes: o.class as number[] | undefined,
          truncation: o.truncation as number,
        });
        const sha = await modelSha256(g.network);
        const prov = (s: string) => ({
          model: g.model,
          modelSha256: sha,
          seed: s,
          step: g.step ?? undefined,
          extra: { truncation: o.truncation as number },
        });
        try {
          if (o.separate) {
            const dir = o.out as string;
            mkdirSync(dir, { recursive: true });
            for (let i = 0; i < seeds.length; i++) {
              const one = tf.tidy(() => tf.slice(samples, [i], [1]));
              const file = path.join(dir, `seed-${seeds[i]}${labels ? `-class-${labels[i]}` : ''}.png`);
              await writeSamples(
                file,
                one,
                { ...prov(String(seeds[i])), kind: 'sample' },
                { scale: o.scale as number },
              );
              one.dispose();
            }
            process.stdout.write(`${seeds.length} samples written to ${dir}\n`);
          } else {
            const cols = (o.cols as number | undefined) ?? (g.numClasses > 0 && !o.class ? g.numClasses : undefined);
            await writeSamples(o.out as string, samples, prov(seeds.join(',')), { cols, scale: o.scale as number });
            process.stdout.write(`${seeds.length} samples written to ${o.out as string}\n`);
          }
        } finally {
          samples.dispose();
        }
      } finally {
        g.dispose();
      }
    });
}
