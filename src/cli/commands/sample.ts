// `tsgan sample`: images (a grid or one PNG each) from a run, a checkpoint or an exported generator.
import path from 'node:path';

import type { Command } from 'commander';

import { describeSeeds, modelSha256, openGenerator, writeSampleFiles, writeSampleGrid } from '../../index.js';
import { sampleStyleRun } from '../../style/cli_support.js';
import { intListOption, intOption, numberOption, truncationOption } from '../options.js';
import { workProgress } from '../progress.js';
import { refuseVideoModel, sampleVideo } from '../../video/clips.js';

/** The grid file must be a PNG: every image tsgan writes carries the synthetic-image label in PNG text. */
function checkGridName(out: string): void {
  const ext = path.extname(out).toLowerCase();
  if (ext !== '.png')
    throw new Error(
      `-o ${out}: tsgan writes PNG images only (the PNG text chunks carry the synthetic-image label and provenance); ` +
        `give a name ending in .png${ext ? '' : ', or add --separate to write one PNG per sample into a folder'}`,
    );
}

export function registerSample(program: Command): void {
  program
    .command('sample <source>')
    .description('generate samples from a run folder, checkpoint file, or exported generator folder')
    .option('-n, --n <count>', 'number of samples', intOption({ min: 1 }), 64)
    .option('--seed <n>', 'base seed: sample i uses seed+i', intOption(), 0)
    .option('--seeds <list>', 'explicit per-sample seeds, e.g. 1,2,3 (overrides -n/--seed)', intListOption())
    .option(
      '--class <list>',
      'class label(s) for conditional models, cycled, e.g. 3 or 0,1,2',
      intListOption({ min: 0 }),
    )
    .option(
      '--truncation <t>',
      'truncation: redraw latent components with |z| > t (0 = off); on a StyleGAN2 run, psi in W (towards w_avg)',
      truncationOption(),
      0,
    )
    .option(
      '--psi <psi>',
      'StyleGAN2 runs: truncation in W, w_avg + psi (w - w_avg) (1 = off, 0 = the mean image)',
      numberOption(),
    )
    .option(
      '--edit <name:strength...>',
      'StyleGAN2 runs: move w along a direction of --directions (strength in std units)',
    )
    .option('--directions <file>', 'the directions.json of tsgan directions (for --edit)')
    .option('-o, --out <path>', 'output PNG (grid) or folder (with --separate)', 'samples.png')
    .option('--separate', 'write one PNG per sample, at the model resolution, into the --out folder')
    .option('--cols <n>', 'grid columns', intOption({ min: 1 }))
    .option('--scale <k>', 'integer upscaling of each image', intOption({ min: 1, max: 64 }), 1)
    .option('--raw', 'use the raw generator weights, not the EMA copy')
    .option('--video', 'video models (mocogan): the clips as one animated grid, GIF (-o *.gif) or APNG (-o *.png)')
    .option('--content-seed <n>', "video: seed of the clips' content (default --seed)", intOption())
    .option('--motion-seed <n>', "video: seed of the clips' motion (default --seed)", intOption())
    .addHelpText(
      'after',
      `
Every PNG carries text metadata saying it is GAN-generated, with the model hash and seeds.

Examples:
  $ tsgan sample runs/dcgan-fmnist-20260101-120000 -n 64 -o grid.png
  $ tsgan sample runs/cgan-fmnist-xyz --class 0,1,2,3,4,5,6,7,8,9 -n 100 --cols 10
  $ tsgan sample exported/ --seeds 7,8,9 --separate -o out/ --truncation 1.5
  $ tsgan sample runs/stylegan-fmnist32-xyz --psi 0.7 -n 16        # StyleGAN2: truncation towards w_avg
  $ tsgan sample runs/stylegan-fmnist32-xyz --directions dirs/directions.json --edit ganspace-0:2`,
    )
    .action(async (source: string, o: Record<string, unknown>) => {
      const out = o.out as string;
      if (!o.separate && !o.video) checkGridName(out);
      if (o.psi !== undefined || o.edit !== undefined) {
        if (o.separate) throw new Error('--psi and --edit write a grid: leave out --separate');
        const r = await sampleStyleRun(source, { ...o, useEma: !o.raw });
        process.stdout.write(`${r.seeds.length} samples written to ${out}\n`);
        return;
      }
      const g = await openGenerator(source, { useEma: !o.raw, warn: (m) => process.stderr.write(`tsgan: ${m}\n`) });
      if (g.model === 'stylegan2' && (o.truncation as number) > 0 && !o.separate) {
        // A StyleGAN2 run truncates in W: --truncation is psi there (towards w_avg), as in its paper.
        g.dispose();
        const r = await sampleStyleRun(source, { ...o, psi: o.truncation, useEma: !o.raw });
        process.stdout.write(`${r.seeds.length} samples written to ${out} (truncation in W, psi ${o.truncation})\n`);
        return;
      }
      if (o.video) {
        try {
          const seed = o.seed as number;
          const [n, t] = sampleVideo(
            g,
            out,
            {
              n: o.n as number,
              contentSeed: (o.contentSeed as number | undefined) ?? seed,
              motionSeed: (o.motionSeed as number | undefined) ?? seed,
              cols: o.cols as number | undefined,
              scale: o.scale as number,
            },
            { model: g.model, modelSha256: await modelSha256(g.network), step: g.step ?? undefined },
          );
          process.stdout.write(`${n} clips of ${t} frames written to ${out}\n`);
          return;
        } finally {
          g.dispose();
        }
      }
      const bar = workProgress('samples');
      try {
        refuseVideoModel(g);
        const opts = {
          n: o.n as number,
          seed: o.seed as number,
          seeds: o.seeds as number[] | undefined,
          classes: o.class as number[] | undefined,
          truncation: o.truncation as number,
          cols: o.cols as number | undefined,
          scale: o.scale as number,
          onProgress: (done: number, total: number) => bar.update(done, total),
          warn: (m: string) => process.stderr.write(`tsgan: ${m}\n`),
        };
        const prov = {
          model: g.model,
          modelSha256: await modelSha256(g.network),
          step: g.step ?? undefined,
          extra: { truncation: o.truncation as number },
        };
        if (o.separate) {
          const { seeds } = await writeSampleFiles(g, out, opts, prov);
          bar.stop();
          process.stdout.write(`${seeds.length} samples written to ${out}\n`);
        } else {
          const n = opts.seeds?.length ?? opts.n;
          const seeds = opts.seeds ?? Array.from({ length: n }, (_, i) => opts.seed + i);
          await writeSampleGrid(g, out, opts, { ...prov, seed: describeSeeds(seeds) });
          bar.stop();
          process.stdout.write(`${seeds.length} samples written to ${out}\n`);
        }
      } finally {
        bar.stop();
        g.dispose();
      }
    });
}
