// `tsgan export`: the generator of a run/checkpoint to the TF.js layers-model format + manifest.json,
// with a web page (index.html) and a local copy of TensorFlow.js beside it (see `tsgan serve`).
import type { Command } from 'commander';

import { checkExportTarget, exportFromCheckpoint, openGenerator, resolveClassNames } from '../../index.js';

export function registerExport(program: Command): void {
  program
    .command('export <source> <outDir>')
    .description(
      'export the generator (EMA copy when the run kept one) as a TF.js layers model + manifest.json + a web page',
    )
    .option('--raw', 'export the raw generator weights, not the EMA copy')
    .option('--class-names <list>', 'comma-separated class names to record in the manifest (one per class)')
    .option('--no-page', 'do not write the web page (index.html) and its TensorFlow.js copy (tf.min.js)')
    .addHelpText(
      'after',
      `
The folder holds model.json, weight shards and manifest.json (latent size, classes, value range,
resolution, sha256), and for image generators index.html with tf.min.js (TensorFlow.js, so the page
works offline). Browsers do not load the model from a page opened as a file: serve the folder over
HTTP with 'tsgan serve <outDir>' (or 'python3 -m http.server' inside it) and open the address shown.
In Node, load it with loadGenerator() from tsgan.

Examples:
  $ tsgan export runs/dcgan-fmnist-20260101-120000 exported/dcgan-fmnist
  $ tsgan serve exported/dcgan-fmnist
  $ tsgan export runs/cgan-fmnist-xyz/checkpoints/step-0001500.ckpt exported/cgan --class-names a,b,c,d,e,f,g,h,i,j`,
    )
    .action(async (source: string, outDir: string, o: { raw?: boolean; classNames?: string; page: boolean }) => {
      checkExportTarget(outDir); // before loading anything: a file path or a foreign folder fails at once
      const g = await openGenerator(source, { useEma: !o.raw, warn: (m) => process.stderr.write(`tsgan: ${m}\n`) });
      try {
        const names = resolveClassNames(o.classNames, g);
        const m = await exportFromCheckpoint(g, outDir, names, { webDemo: o.page });
        process.stdout.write(
          `exported ${m.model} generator (latent ${m.latentDim}, ${m.numClasses} classes, sha256 ${m.sha256.slice(0, 12)}...) to ${outDir}\n`,
        );
        if (o.page && m.resolution > 0)
          process.stdout.write(`web page: ${outDir}/index.html; view it with: tsgan serve ${outDir}\n`);
        else if (o.page) process.stdout.write('no web page: this generator outputs points, not images\n');
      } finally {
        g.dispose();
      }
    });
}
