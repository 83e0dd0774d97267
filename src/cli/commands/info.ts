// `tsgan info`: what a run folder, checkpoint file or exported generator holds.
import type { Command } from 'commander';

import { describeArtifact } from '../../index.js';

export function registerInfo(program: Command): void {
  program
    .command('info <source>')
    .description(
      'describe a run folder, checkpoint file or exported generator (model, step, optimizers, EMA, RNG, config)',
    )
    .option('--json', 'print everything as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ tsgan info runs/dcgan-fmnist-20260101-120000
  $ tsgan info runs/dcgan-fmnist-20260101-120000/checkpoints/step-0001500.ckpt --json
  $ tsgan info exported/dcgan-fmnist`,
    )
    .action(async (source: string, o: { json?: boolean }) => {
      const d = await describeArtifact(source);
      if (o.json) {
        process.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
        return;
      }
      const lines = [
        `source:      ${String(d.source)} ${String(d.path)}`,
        `model:       ${String(d.model)}  step ${String(d.step)}  latent ${String(d.latentDim)}  classes ${String(d.numClasses)}  output [${String(d.outputShape)}]`,
        `generator:   sha256 ${String(d.generatorSha256)}`,
      ];
      const desc = d.description as
        | { paper?: string; networks?: Record<string, { params: number; layers: number }> }
        | undefined;
      if (desc) {
        lines.push(`paper:       ${desc.paper ?? ''}`);
        for (const [n, s] of Object.entries(desc.networks ?? {}))
          lines.push(`network ${n.padEnd(4)} ${s.params.toLocaleString('en-US')} params, ${s.layers} layers`);
      }
      if (d.optimizers) {
        for (const [n, s] of Object.entries(
          d.optimizers as Record<string, { t: number; lr: number; variables: number }>,
        )) {
          lines.push(`optimizer ${n.padEnd(2)} Adam, ${s.t} updates, lr ${s.lr}, ${s.variables} variables`);
        }
        lines.push(`ema:         ${d.ema ? JSON.stringify(d.ema) : 'none'}`);
        lines.push(`rng state:   ${JSON.stringify(d.rng)}   sampler: ${JSON.stringify(d.sampler)}`);
        const c = d.checkpoint as { file: string; savedAt: string; bytes: number };
        lines.push(`checkpoint:  ${c.file} (${(c.bytes / 1e6).toFixed(1)} MB, saved ${c.savedAt})`);
        lines.push(`preset:      ${String(d.preset)}   (--json for the whole config)`);
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
