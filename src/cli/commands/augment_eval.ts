// `tsgan augment-eval -o DIR`: the GAN data-augmentation protocol of src/augment/eval.ts.
import type { Command } from 'commander';

import { AUGMENT_ROWS, type AugmentRow, augmentEval } from '../../augment/eval.js';
import { type WorkProgress, workProgress } from '../progress.js';

const list = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');

const num = (s: string) => (/^\s*-?\d+(\.\d+)?(e-?\d+)?\s*$/i.test(s) ? Number(s) : Number.NaN);

export function registerAugmentEval(program: Command): void {
  program
    .command('augment-eval')
    .description(
      'does GAN augmentation help? Fashion-MNIST subsets, a cGAN trained on each subset only, a fixed small classifier trained on real / real + flips and shifts / real + GAN samples / GAN samples only, test accuracy over seeds',
    )
    .requiredOption('-o, --out <dir>', 'folder for the results (rerun with the same folder to resume)')
    .option('--sizes <list>', 'labelled training images, comma-separated (multiples of 10)', '600,6000,60000')
    .option('--seeds <n>', 'seeds per size (mean and spread over them)', '3')
    .option('--first-seed <n>', 'the first seed (run later seeds in another process and folder)', '1')
    .option('--gan-steps <n>', 'training steps of each cGAN (the cgan-fmnist preset has 1500)', '1500')
    .option('--classifier-steps <n>', 'classifier updates of 64 images in every cell', '2000')
    .option('--synthetic-ratio <x>', 'generated images per real image in the GAN rows', '1')
    .option('--rows <list>', `rows to compute: ${AUGMENT_ROWS.join(',')}`, AUGMENT_ROWS.join(','))
    .option('--data-path <dir>', "Fashion-MNIST IDX folder (default: Debian's dataset-fashion-mnist)")
    .addHelpText(
      'after',
      '\nExamples:\n  tsgan augment-eval -o augment-eval --sizes 600,6000 --gan-steps 500 --classifier-steps 1500\n  tsgan augment-eval -o augment-eval --sizes 600 --seeds 1 --rows real,gan',
    )
    .action(
      async (o: {
        out: string;
        sizes: string;
        seeds: string;
        firstSeed: string;
        ganSteps: string;
        classifierSteps: string;
        syntheticRatio: string;
        rows: string;
        dataPath?: string;
      }) => {
        const ui: { bar: WorkProgress | null } = { bar: null };
        let current = '';
        const t0 = Date.now();
        const stamp = () => `[${((Date.now() - t0) / 60000).toFixed(1)} min]`;
        try {
          const r = await augmentEval(
            o.out,
            {
              sizes: list(o.sizes).map(num),
              seeds: num(o.seeds),
              firstSeed: num(o.firstSeed),
              ganSteps: num(o.ganSteps),
              classifierSteps: num(o.classifierSteps),
              syntheticRatio: num(o.syntheticRatio),
              rows: list(o.rows) as AugmentRow[],
              dataPath: o.dataPath,
            },
            {
              ganProgress: 'auto',
              log: (m) => {
                ui.bar?.stop();
                process.stderr.write(`${stamp()} ${m}\n`);
              },
              onProgress: (what, d, t) => {
                if (what !== current) {
                  ui.bar?.stop();
                  ui.bar = workProgress(what, { minTotal: 0, everyMs: 30000 });
                  current = what;
                }
                ui.bar?.update(d, t);
              },
            },
          );
          ui.bar?.stop();
          process.stdout.write(
            `test accuracy (%), mean ± standard deviation over seeds; results in ${r.dir}\n${r.table}\n`,
          );
        } finally {
          ui.bar?.stop();
        }
      },
    );
}
