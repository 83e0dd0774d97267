// Density and coverage. Naeem, Oh, Uh, Choi, Yoo, "Reliable Fidelity and Diversity Metrics for
// Generative Models", ICML 2020.
//
// Definition used (k = 5, Euclidean distance in feature space), with N real samples X_i, M fake
// samples Y_j and r_i the distance from X_i to its k-th nearest other real sample:
//   density  = 1/(k M) * sum_j sum_i 1[ ||Y_j - X_i|| < r_i ]
//   coverage = 1/N * sum_i 1[ exists j: ||Y_j - X_i|| < r_i ]
// (strict inequality, as in the paper's formula B(X_i, NND_k(X_i)) taken as an open ball).
import { distanceRow, checkPair, kthNeighbourDistances } from './knn.js';
import type { Features } from './linalg.js';

export interface DensityCoverage {
  density: number;
  coverage: number;
}

export function densityCoverage(real: Features, fake: Features, opts: { k?: number } = {}): DensityCoverage {
  checkPair(real, fake, 'density/coverage');
  const k = opts.k ?? 5;
  const radii = kthNeighbourDistances(real, k);
  const row = new Float64Array(fake.n);
  let inBalls = 0;
  let covered = 0;
  for (let i = 0; i < real.n; i++) {
    distanceRow(real, i, fake, row);
    let any = false;
    for (let j = 0; j < fake.n; j++) {
      if (row[j] < radii[i]) {
        inBalls++;
        any = true;
      }
    }
    if (any) covered++;
  }
  return { density: inBalls / (k * fake.n), coverage: covered / real.n };
}
