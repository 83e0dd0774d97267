// `tsgan bench text2image-quality RUN`: does a text-to-image run draw what its prompts say? On the
// captioned shapes (data.source shapes-text): one image per held-out caption (new images of the
// attribute combinations seen in training) and per caption of the held-out combinations (never
// seen: compositional generalization), scored by the project's attribute classifier (the rate at
// which each attribute of the caption is found, beside chance and beside the same captions' real
// images) and by R-precision with the run's own text-image encoders (1 true caption among 100).
import * as tf from '@tensorflow/tfjs-core';

import type { Text2Image } from '../models/text2image.js';
import { openPromptGenerator } from '../text/generate.js';
import {
  ATTRIBUTES,
  type Attribute,
  CHANCE_RATES,
  type SplitScores,
  scoreSplit,
  trainAttributeClassifier,
} from '../text/measure.js';
import { loadT2IData } from '../train/text2image_loop.js';

export interface Text2ImageQuality {
  run: string;
  step: number;
  n: number;
  classifierAccuracy: Record<Attribute, number>;
  chance: Record<Attribute, number>;
  seen: SplitScores;
  heldout: SplitScores | null;
  heldOutCombinations: string[];
  seconds: number;
}

/** Scores a shapes-text run (see the file header); `n` captions per split (default 500). */
export async function text2imageQuality(
  run: string,
  o: { n?: number; raw?: boolean; onProgress?: (what: string) => void } = {},
): Promise<Text2ImageQuality> {
  const t0 = performance.now();
  const g = openPromptGenerator(run, { useEma: !o.raw });
  try {
    const config = g.trainer.config;
    if (config.data.source !== 'shapes-text')
      throw new Error(`${run} trained on ${config.data.source}; the attribute measures need a shapes-text run`);
    o.onProgress?.('data');
    const data = await loadT2IData(config.data, 'text2image', config);
    o.onProgress?.('attribute classifier');
    const clf = trainAttributeClassifier({ resolution: (g.model as Text2Image).outputShape[0] });
    try {
      o.onProgress?.('scoring');
      const n = o.n ?? 500;
      const seen = scoreSplit(g.model, g.generator, data.test, data.test, clf, { n });
      const heldout = data.heldout ? scoreSplit(g.model, g.generator, data.heldout, data.test, clf, { n }) : null;
      const combos = data.heldout
        ? [...new Set(data.heldout.names.map((c) => c.split(' ').slice(2, 4).join(' ')))]
        : [];
      return {
        run,
        step: g.step,
        n,
        classifierAccuracy: clf.heldOutAccuracy,
        chance: CHANCE_RATES,
        seen,
        heldout,
        heldOutCombinations: combos,
        seconds: Math.round((performance.now() - t0) / 100) / 10,
      };
    } finally {
      clf.dispose();
    }
  } finally {
    g.dispose();
    void tf;
  }
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

export function formatText2ImageQuality(q: Text2ImageQuality): string {
  const lines = [`${q.run} (step ${q.step}): ${q.n} captions per split, ${q.seconds} s`];
  lines.push(
    `attribute classifier accuracy on its own held-out shapes: ${ATTRIBUTES.map((a) => `${a} ${pct(q.classifierAccuracy[a])}`).join(', ')}`,
  );
  lines.push(
    '| split | images | shape | colour | size | position | R-precision (1 of 100) |',
    '|---|---|---|---|---|---|---|',
  );
  const row = (split: string, who: string, s: SplitScores['generated']) =>
    `| ${split} | ${who} | ${ATTRIBUTES.map((a) => pct(s.attributes![a])).join(' | ')} | ${pct(s.rPrecision)} |`;
  lines.push(row('seen combinations', 'generated', q.seen.generated), row('seen combinations', 'real', q.seen.real));
  if (q.heldout)
    lines.push(
      row(`held out (${q.heldOutCombinations.join(', ')})`, 'generated', q.heldout.generated),
      row('held out', 'real', q.heldout.real),
    );
  lines.push(`| chance | | ${ATTRIBUTES.map((a) => pct(q.chance[a])).join(' | ')} | 1.0% |`);
  return lines.join('\n');
}
