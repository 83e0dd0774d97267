// Class coverage and classifier confidence of generated samples, judged by a classifier trained on
// the real data (for Fashion-MNIST: src/metrics/fmnist_classifier.ts). The usual diagnostics of
// conditional GANs (e.g. Odena et al. 2017, "Conditional Image Synthesis with Auxiliary Classifier
// GANs", report classifier accuracy on samples), defined here as:
//   classCoverage   = (number of classes that are the classifier's argmax for >= minCount samples) / C
//   confidence      = mean over samples of max_c p(c|x)
//   classHistogram  = count of samples per argmax class
// and, when the labels the samples were generated for are given (conditional models):
//   conditionalAccuracy    = fraction of samples whose argmax is the requested label
//   conditionalConfidence  = mean over samples of p(requested label | x)
import { checkFeatures, type Features } from './linalg.js';

export interface ClassCoverage {
  numClasses: number;
  classCoverage: number;
  confidence: number;
  classHistogram: number[];
  conditionalAccuracy?: number;
  conditionalConfidence?: number;
}

export function classCoverage(
  probs: Features,
  opts: { labels?: ArrayLike<number>; minCount?: number } = {},
): ClassCoverage {
  checkFeatures(probs, 'class probabilities');
  const { n, dim: c, data } = probs;
  const minCount = opts.minCount ?? 1;
  const hist = new Array<number>(c).fill(0);
  let conf = 0;
  let hits = 0;
  let condConf = 0;
  const labels = opts.labels;
  if (labels && labels.length !== n) throw new Error(`classCoverage: ${labels.length} labels for ${n} samples`);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < c; j++) if (data[i * c + j] > data[i * c + best]) best = j;
    hist[best]++;
    conf += data[i * c + best];
    if (labels) {
      const y = labels[i];
      if (!Number.isInteger(y) || y < 0 || y >= c)
        throw new Error(`classCoverage: label ${y} of sample ${i} is outside 0..${c - 1}`);
      if (best === y) hits++;
      condConf += data[i * c + y];
    }
  }
  const out: ClassCoverage = {
    numClasses: c,
    classCoverage: hist.filter((h) => h >= minCount).length / c,
    confidence: conf / n,
    classHistogram: hist,
  };
  if (labels) {
    out.conditionalAccuracy = hits / n;
    out.conditionalConfidence = condConf / n;
  }
  return out;
}
