// Density and coverage. Naeem, Oh, Uh, Choi, Yoo, "Reliable Fidelity and Diversity Metrics for
// Generative Models", ICML 2020.
//
// Definition used (k = 5, Euclidean distance in feature space), with N real samples X_i, M fake
// samples Y_j and r_i the distance from X_i to its k-th nearest other real sample:
//   density  = 1/(k M) * sum_j sum_i 1[ ||Y_j - X_i|| < r_i ]
//   coverage = 1/N * sum_i 1[ exists j: ||Y_j - X_i|| < r_i ]
// (strict inequality, as in the paper's formula B(X_i, NND_k(X_i)) taken as an open ball).
import { checkPair, forEachDistanceRow, kthNeighbourDistances, type DistanceMode } from './knn.js';
import type { Features } from './linalg.js';

export interface DensityCoverage {
  density: number;
  coverage: number;
}

/** k: neighbours defining the radii (5); distances: 'float64' (exact, default) or 'tfjs' (float32 matMul). */
export function densityCoverage(
  real: Features,
  fake: Features,
  opts: { k?: number; distances?: DistanceMode } = {},
): DensityCoverage {
  checkPair(real, fake, 'density/coverage');
  const k = opts.k ?? 5;
  const mode = opts.distances ?? 'float64';
  const radii = kthNeighbourDistances(real, k, mode);
  let inBalls = 0;
  let covered = 0;
  forEachDistanceRow(real, fake, mode, (i, row) => {
    let any = false;
    for (let j = 0; j < fake.n; j++) {
      if (row[j] < radii[i]) {
        inBalls++;
        any = true;
      }
    }
    if (any) covered++;
  });
  return { density: inBalls / (k * fake.n), coverage: covered / real.n };
}
