// `tsgan augment RUN --per-class N -o DIR`: class-balanced labelled PNG folders from a conditional run.
import type { Command } from 'commander';

import { augmentFromRun } from '../../train/augment.js';
import { workProgress } from '../progress.js';

export function registerAugment(program: Command): void {
  program
    .command('augment')
    .description(
      'write N generated images per class from a class-conditional run, one sub-folder per class (the layout --data.source folder reads); labelled synthetic',
    )
    .argument('<run>', 'run folder or checkpoint of a conditional model (cgan, acgan)')
    .requiredOption('-o, --out <dir>', 'new folder for the class sub-folders')
    .option('--per-class <n>', 'images per class', '1000')
    .option(
      '--min-confidence <p>',
      'keep only samples the Fashion-MNIST classifier gives their label with this probability (0 = all)',
      '0',
    )
    .option('--seed <n>', 'base latent seed', '1')
    .option('--class-names <list>', 'comma-separated folder names, one per class')
    .option('--no-ema', 'use the trained generator instead of its EMA copy')
    .addHelpText(
      'after',
      '\nExamples:\n  tsgan augment runs/cgan-fmnist-<time> --per-class 1000 -o gan-fmnist\n  tsgan augment runs/cgan-fmnist-<time> --per-class 500 --min-confidence 0.9 -o filtered',
    )
    .action(
      async (
        run: string,
        o: { out: string; perClass: string; minConfidence: string; seed: string; classNames?: string; ema: boolean },
      ) => {
        const perClass = Number(o.perClass);
        const minConfidence = Number(o.minConfidence);
        const seed = Number(o.seed);
        if (!Number.isInteger(seed)) throw new Error(`--seed must be a whole number, got '${o.seed}'`);
        if (Number.isNaN(minConfidence))
          throw new Error(`--min-confidence must be a number in [0, 1), got '${o.minConfidence}'`);
        const bar = workProgress('images', { minTotal: 200 });
        try {
          const r = await augmentFromRun(run, o.out, {
            perClass,
            minConfidence,
            seed,
            classNames: o.classNames?.split(',').map((s) => s.trim()),
            useEma: o.ema,
            onProgress: (d, t) => bar.update(d, t),
            warn: (m) => process.stderr.write(`warning: ${m}\n`),
          });
          bar.stop();
          process.stdout.write(
            `${r.dir}: ${r.perClass} images in each of ${r.classes.length} classes (${r.classes.join(', ')})${minConfidence > 0 ? `; drawn per class: ${r.drawn.join(', ')}` : ''}\n`,
          );
        } finally {
          bar.stop();
        }
      },
    );
}
