// `tsgan bench lighter RUN [STUDENT...]`: size, load and Node inference time, and image change of the
// quantized (float16, uint8) and distilled generators against the float32 one (src/bench/lighter.ts).
import type { Command } from 'commander';

import { benchLighter, formatLighter } from '../../bench/lighter.js';
import { intOption } from '../options.js';

export function registerBenchLighter(bench: Command): void {
  bench
    .command('lighter <run> [students...]')
    .description(
      'quantized and distilled generators against the float32 one: weight bytes, inference time, image change',
    )
    .option('--batch <n>', 'latents per timed forward pass', intOption({ min: 1 }), 64)
    .option('--reps <n>', 'timed passes (the median is reported)', intOption({ min: 1 }), 20)
    .option('--keep <dir>', 'keep the exported folders here (then: tsgan eval <dir>/uint8 --metrics fid-fmnist)')
    .option('--onnx', 'also time the ONNX export in onnxruntime-web (wasm, one thread)')
    .option(
      '--browser [backends]',
      'also time the TF.js exports in headless Chromium on these backends (comma-separated; default cpu,webgl)',
    )
    .option(
      '--browser-reps <n>',
      'timed passes per generator in the browser (the median is reported)',
      intOption({ min: 1 }),
      5,
    )
    .option('--json', 'print the rows as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ tsgan distill runs/dcgan-fmnist-<time> --width 16
  $ tsgan bench lighter runs/dcgan-fmnist-<time> runs/dcgan-fmnist-<time>-distilled-w16 --keep lighter/
  $ tsgan eval lighter/uint8 --metrics fid-fmnist
  $ tsgan bench lighter runs/dcgan-fmnist-<time> --browser cpu,webgl   # also in headless Chromium`,
    )
    .action(
      async (
        run: string,
        students: string[],
        o: {
          batch: number;
          reps: number;
          keep?: string;
          json?: boolean;
          onnx?: boolean;
          browser?: string | boolean;
          browserReps: number;
        },
      ) => {
        const rows = await benchLighter(run, students, {
          batch: o.batch,
          reps: o.reps,
          onnx: o.onnx ?? false,
          ...(o.browser
            ? {
                browser: typeof o.browser === 'string' ? o.browser.split(',').map((b) => b.trim()) : ['cpu', 'webgl'],
                browserReps: o.browserReps,
                log: (m: string) => process.stderr.write(`${m}\n`),
              }
            : {}),
          ...(o.keep ? { keep: o.keep } : {}),
        });
        process.stdout.write(o.json ? `${JSON.stringify(rows)}\n` : `${formatLighter(rows, o.batch)}\n`);
      },
    );
}
