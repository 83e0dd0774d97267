// What the StyleGAN2 control commands do between parsing their options and writing files: each is a
// library function (the CLI in src/cli/commands only declares options and calls these).
import { readFileSync } from 'node:fs';

import { openStyleRun } from './control.js';
import { parseDirections, parseEdits } from './directions.js';
import { writeStyleSamples } from './write.js';

/** `tsgan sample RUN --psi P [--edit NAME:K --directions FILE]`: a grid of W-truncated, edited samples. */
export async function sampleStyleRun(
  source: string,
  o: {
    out?: unknown;
    n?: unknown;
    seed?: unknown;
    seeds?: unknown;
    class?: unknown;
    psi?: unknown;
    edit?: unknown;
    directions?: unknown;
    cols?: unknown;
    scale?: unknown;
    useEma?: boolean;
  },
): Promise<{ seeds: number[] }> {
  const run = await openStyleRun(source, { useEma: o.useEma, what: '--psi and --edit' });
  try {
    const edits = (o.edit as string[] | undefined) ?? [];
    if (edits.length && !o.directions)
      throw new Error('--edit needs --directions FILE (write one with tsgan directions RUN)');
    let parsed: ReturnType<typeof parseEdits> = [];
    if (edits.length) {
      const file = o.directions as string;
      let json: unknown;
      try {
        json = JSON.parse(readFileSync(file, 'utf8'));
      } catch (e) {
        throw new Error(`cannot read the directions file ${file}: ${e instanceof Error ? e.message : String(e)}`);
      }
      parsed = parseEdits(edits, parseDirections(json, file), run.model.options.wDim);
    }
    const seeds =
      (o.seeds as number[] | undefined) ??
      Array.from({ length: (o.n as number | undefined) ?? 16 }, (_, i) => ((o.seed as number | undefined) ?? 0) + i);
    const labels =
      run.model.numClasses > 0
        ? ((o.class as number[] | undefined) ?? seeds.map((_, i) => i % run.model.numClasses))
        : undefined;
    await writeStyleSamples(run, (o.out as string | undefined) ?? 'samples.png', {
      seeds,
      psi: (o.psi as number | undefined) ?? 1,
      edits: parsed,
      editNames: edits,
      labels,
      cols: o.cols as number | undefined,
      scale: o.scale as number | undefined,
    });
    return { seeds };
  } finally {
    run.dispose();
  }
}
