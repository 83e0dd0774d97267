// Class-conditional accuracy of a conditional generator, class by class: n samples per requested
// class (latent seeds from --seed), each classified by the project's Fashion-MNIST classifier
// (src/metrics/fmnist_classifier.ts); prints the fraction whose predicted class is the requested
// one, per class and overall (BENCHMARKS.md, cgan-fmnist). Not a test.
// Run: node --import tsx bench/class_accuracy.ts <run folder | checkpoint | export> [--n 1000] [--seed 1000000] [--json]
import { FmnistClassifier } from '../src/metrics/fmnist_classifier.js';
import { openGenerator, sample, tf } from '../src/index.js';

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : def;
}

const source = process.argv[2];
if (!source || source.startsWith('--')) {
  console.error(
    'usage: node --import tsx bench/class_accuracy.ts <run folder | checkpoint | export> [--n 1000] [--seed 1000000] [--json]',
  );
  process.exit(2);
}
const n = Number(arg('n', '1000'));
const seed = Number(arg('seed', '1000000'));
if (!Number.isInteger(n) || n < 1) throw new Error(`--n must be a positive integer, got ${arg('n', '')}`);
const g = await openGenerator(source);
if (g.numClasses === 0) throw new Error(`${source}: not a conditional generator (no classes)`);
const classifier = FmnistClassifier.load();
const perClass: number[] = [];
const batch = 250;
for (let c = 0; c < g.numClasses; c++) {
  let hits = 0;
  for (let b = 0; b < n; b += batch) {
    const m = Math.min(batch, n - b);
    const { samples } = sample(g, { n: m, seed: seed + c * n + b, classes: [c] });
    const images = (await samples.data()) as Float32Array;
    samples.dispose();
    hits += Math.round(classifier.accuracy(images, new Array(m).fill(c)) * m);
  }
  perClass.push(hits / n);
  if (!process.argv.includes('--json')) console.log(`class ${c}: ${(100 * perClass[c]!).toFixed(1)}%`);
}
const overall = perClass.reduce((a, b) => a + b, 0) / perClass.length;
if (process.argv.includes('--json')) console.log(JSON.stringify({ source, n, seed, perClass, overall }));
else console.log(`overall: ${(100 * overall).toFixed(1)}% (${n} samples per class)`);
tf.disposeVariables();
