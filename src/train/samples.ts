// Writing generated samples through src/io: image batches as a labelled PNG grid, 2-D points as a
// labelled scatter plot (true modes drawn as rings).
import type * as tf from '@tensorflow/tfjs-core';

import { writeGridPng } from '../io/grid.js';
import type { Provenance } from '../io/png.js';
import { writeScatterPng } from '../io/scatter.js';

/** Writes samples: a grid for images [N, H, W, C], a scatter plot for points [N, 2]. */
export async function writeSamples(
  file: string,
  samples: tf.Tensor,
  provenance: Provenance,
  opts: { cols?: number; modes?: ArrayLike<number>; modeRadius?: number; scale?: number } = {},
): Promise<void> {
  if (samples.rank === 4) {
    await writeGridPng(file, samples, provenance, { cols: opts.cols, scale: opts.scale });
  } else if (samples.rank === 2 && samples.shape[1] === 2) {
    const pts = await samples.data();
    writeScatterPng(
      file,
      pts,
      { kind: `scatter of ${samples.shape[0]} points`, ...provenance },
      { modes: opts.modes, modeRadius: opts.modeRadius },
    );
  } else {
    throw new Error(`writeSamples: cannot draw samples of shape [${samples.shape}]`);
  }
}
