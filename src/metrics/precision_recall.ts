// Improved precision and recall. Kynkäänniemi, Karras, Laine, Lehtinen, Aila, "Improved Precision
// and Recall Metric for Assessing Generative Models", NeurIPS 2019.
//
// Definition used (k = 3, Euclidean distance in feature space): the manifold of a set is the union
// of the balls centred on its samples with radius the distance to the sample's k-th nearest other
// sample of the same set. A point is in the manifold if it is within (<=) the radius of at least
// one ball.
//   precision = fraction of fake samples inside the real manifold
//   recall    = fraction of real samples inside the fake manifold
import { checkPair, forEachDistanceRow, kthNeighbourDistances, type DistanceMode } from './knn.js';
import type { Features } from './linalg.js';

export interface PrecisionRecall {
  precision: number;
  recall: number;
}

/** Fraction of rows of `query` inside the manifold of `ref` (balls with `radii`). */
export function fractionInManifold(
  ref: Features,
  radii: Float64Array,
  query: Features,
  mode: DistanceMode = 'float64',
): number {
  let inside = 0;
  forEachDistanceRow(query, ref, mode, (_, row) => {
    for (let j = 0; j < ref.n; j++) {
      if (row[j] <= radii[j]) {
        inside++;
        break;
      }
    }
  });
  return inside / query.n;
}

/** k: neighbours defining the radii (3); distances: 'float64' (exact, default) or 'tfjs' (float32 matMul). */
export function precisionRecall(
  real: Features,
  fake: Features,
  opts: { k?: number; distances?: DistanceMode } = {},
): PrecisionRecall {
  checkPair(real, fake, 'precision/recall');
  const k = opts.k ?? 3;
  const mode = opts.distances ?? 'float64';
  const realRadii = kthNeighbourDistances(real, k, mode);
  const fakeRadii = kthNeighbourDistances(fake, k, mode);
  return {
    precision: fractionInManifold(real, realRadii, fake, mode),
    recall: fractionInManifold(fake, fakeRadii, real, mode),
  };
}
