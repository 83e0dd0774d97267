// `tsgan export`: the generator of a run/checkpoint to the TF.js layers-model format + manifest.json.
import type { Command } from 'commander';

import { FASHION_MNIST_CLASSES, exportFromCheckpoint, openGenerator } from '../../index.js';

export function registerExport(program: Command): void {
  program
    .command('export <source> <outDir>')
    .description('export the generator (EMA copy when the run kept one) as a TF.js layers model + manifest.json')
    .option('--raw', 'export the raw generator weights, not the EMA copy')
    .option('--class-names <list>', 'comma-separated class names to record in the manifest')
    .addHelpText(
      'after',
      `
The folder holds model.json, weight shards and manifest.json (latent size, classes, value range,
resolution, sha256). Load it in a browser with tf.loadLayersModel('.../model.json'), or in Node with
loadGenerator() from tsgan.

Examples:
  $ tsgan export runs/dcgan-fmnist-20260101-120000 exported/dcgan-fmnist
  $ tsgan export runs/cgan-fmnist-xyz/checkpoints/step-0001500.ckpt exported/cgan`,
    )
    .action(async (source: string, outDir: string, o: { raw?: boolean; classNames?: string }) => {
      const g = await openGenerator(source, { useEma: !o.raw, warn: (m) => process.stderr.write(`tsgan: ${m}\n`) });
      try {
        let names = o.classNames ? o.classNames.split(',').map((s) => s.trim()) : [];
        if (!names.length && g.trainer?.config.data.source === 'fashion-mnist' && g.numClasses === 10)
          names = [...FASHION_MNIST_CLASSES];
        const m = await exportFromCheckpoint(g, outDir, names);
        process.stdout.write(
          `exported ${m.model} generator (latent ${m.latentDim}, ${m.numClasses} classes, sha256 ${m.sha256.slice(0, 12)}...) to ${outDir}\n`,
        );
      } finally {
        g.dispose();
      }
    });
}
