// `tsgan project RUN IMAGE`: the w (or W+) of a StyleGAN2 run that reproduces an image.
import type { Command } from 'commander';

import { openStyleRun } from '../../style/control.js';
import { writeProjection } from '../../style/write.js';
import { choiceOption, intOption, numberOption } from '../options.js';
import { workProgress } from '../progress.js';

export function registerProject(program: Command): void {
  program
    .command('project <run> <image>')
    .description('StyleGAN2: find the w (or per-layer W+) whose image matches IMAGE (pixels + classifier features)')
    .option('-o, --out <dir>', 'output folder (projection.png: target | projection; w.json)', 'projection')
    .option('--space <space>', "'w' (one w) or 'w+' (one per layer)", choiceOption(['w', 'w+'] as const), 'w')
    .option('--steps <n>', 'optimization steps', intOption({ min: 1 }), 300)
    .option('--lr <lr>', "Adam's peak learning rate", numberOption(), 0.1)
    .option('--feature-weight <k>', 'weight of the classifier-feature distance (0 = pixels only)', numberOption(), 1)
    .option('--raw', 'use the raw generator weights, not the EMA copy')
    .addHelpText(
      'after',
      `
The image must have the model's size and mode (e.g. 32x32 grayscale for stylegan-fmnist32). Noise maps
are optimized too, with the paper's noise regularization.

Examples:
  $ tsgan project runs/stylegan-fmnist32-xyz shirt.png -o proj --space w+`,
    )
    .action(async (source: string, image: string, o: Record<string, unknown>) => {
      const run = await openStyleRun(source, { useEma: !o.raw, what: 'projection' });
      const bar = workProgress('projection');
      try {
        const out = o.out as string;
        const p = await writeProjection(run, image, out, {
          space: o.space as 'w' | 'w+',
          steps: o.steps as number,
          lr: o.lr as number,
          featureWeight: o.featureWeight as number,
          onProgress: (d, t) => bar.update(d, t),
        });
        bar.stop();
        process.stdout.write(
          `projected ${image}: PSNR ${p.psnr.toFixed(2)} dB; ${out}/projection.png and ${out}/w.json\n`,
        );
      } finally {
        bar.stop();
        run.dispose();
      }
    });
}
