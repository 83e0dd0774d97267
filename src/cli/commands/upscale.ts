// `tsgan upscale RUN INPUT... --scale 4 -o DIR`: super-resolution with an SRResNet/SRGAN run.
import type { Command } from 'commander';

import { upscaleFiles } from '../../train/upscale.js';
import { workProgress } from '../progress.js';

export function registerUpscale(program: Command): void {
  program
    .command('upscale')
    .description(
      'upscale images with a super-resolution (srgan) run: any size, tiled, memory bounded by the tile; outputs labelled synthetic',
    )
    .argument('<run>', 'run folder, checkpoint file, or an export of one (tsgan export)')
    .argument('<inputs...>', 'image files (PNG, JPEG, WebP, GIF, TIFF, AVIF)')
    .requiredOption('-o, --out <dir>', 'folder for the upscaled PNGs (same base names)')
    .option('--scale <n>', 'upscale factor (must be the one the model was trained for)')
    .option('--tile <n>', 'tile side in input pixels', '96')
    .option(
      '--pad <n>',
      "input pixels read around each tile (default: the generator's receptive radius: exact, seamless)",
    )
    .option('--no-ema', 'use the trained generator instead of its EMA copy')
    .addHelpText(
      'after',
      '\nExamples:\n  tsgan upscale runs/srresnet-emoji-x4-<time> small.png -o out --scale 4\n  tsgan upscale runs/srgan-emoji-x4-<time> photos/*.jpg -o big --tile 128',
    )
    .action(
      async (
        run: string,
        inputs: string[],
        o: { out: string; scale?: string; tile: string; pad?: string; ema: boolean },
      ) => {
        const num = (v: string | undefined, name: string) => {
          if (v === undefined) return undefined;
          const n = Number(v);
          if (!Number.isInteger(n) || n < (name === '--pad' ? 0 : 1))
            throw new Error(`${name} must be a whole number${name === '--pad' ? ' >= 0' : ' >= 1'}, got '${v}'`);
          return n;
        };
        const scale = num(o.scale, '--scale');
        const tile = num(o.tile, '--tile');
        const pad = num(o.pad, '--pad');
        let bar: ReturnType<typeof workProgress> | null = null;
        let current = '';
        await upscaleFiles(run, inputs, o.out, {
          scale,
          tile,
          pad,
          useEma: o.ema,
          warn: (m) => process.stderr.write(`warning: ${m}\n`),
          onTile: (file, done, total) => {
            if (file !== current) {
              bar?.stop();
              bar = workProgress(`tiles of ${file}`, { minTotal: 8 });
              current = file;
            }
            bar?.update(done, total);
          },
          onFile: (written, i, n) => {
            bar?.stop();
            bar = null;
            current = '';
            process.stdout.write(`[${i + 1}/${n}] ${written}\n`);
          },
        });
      },
    );
}
