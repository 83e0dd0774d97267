// The committed Fashion-MNIST feature classifier: its weights load only with the right sha256, it
// classifies the embedded test split exactly as recorded in its manifest and at least at the issue's
// target of 93%, and it yields 128-d features and softmax rows. Also: weights of every architecture
// (BatchNorm's moving statistics included) survive a serialize/load round trip.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { loadFashionMnist } from '../../src/data/fashion_mnist.js';
import { tf } from '../../src/index.js';
import {
  buildFmnistClassifier,
  classifierDir,
  FMNIST_CLASSIFIER_ARCHS,
  FMNIST_CLASSIFIER_NAME,
  FMNIST_FEATURE_DIM,
  FmnistClassifier,
  loadWeightsInto,
  serializeWeights,
} from '../../src/metrics/fmnist_classifier.js';

test('fmnist classifier: the recorded test accuracy (>= 93%), 128-d features, softmax rows', () => {
  const clf = FmnistClassifier.load();
  const ds = loadFashionMnist({ split: 'test' });
  const acc = clf.accuracy(ds.images, ds.labels!);
  const recorded = clf.manifest.training?.testAccuracy as number;
  assert.ok(Math.abs(acc - recorded) < 1e-9, `test accuracy ${acc}, manifest says ${recorded}`);
  assert.ok(acc >= 0.93, `test accuracy ${acc}`);
  const { features, probs } = clf.extract(ds.images.subarray(0, 50 * 784), 50);
  assert.equal(features.dim, FMNIST_FEATURE_DIM);
  assert.equal(features.data.length, 50 * FMNIST_FEATURE_DIM);
  assert.ok(
    features.data.every((v) => v >= 0 && Number.isFinite(v)),
    'ReLU features',
  );
  for (let i = 0; i < 50; i++) {
    const s = probs.data.subarray(i * 10, i * 10 + 10).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(s - 1) < 1e-4, `row ${i} sums to ${s}`);
  }
});

test('fmnist classifier: a weights file that does not match its sha256 is refused', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsgan-clf-'));
  try {
    const src = classifierDir();
    copyFileSync(path.join(src, `${FMNIST_CLASSIFIER_NAME}.json`), path.join(dir, `${FMNIST_CLASSIFIER_NAME}.json`));
    const bin = readFileSync(path.join(src, `${FMNIST_CLASSIFIER_NAME}.bin`));
    bin[1000] ^= 0xff;
    writeFileSync(path.join(dir, `${FMNIST_CLASSIFIER_NAME}.bin`), bin);
    assert.throws(() => FmnistClassifier.load(dir), /sha256 mismatch/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('fmnist classifier: every architecture round-trips through serializeWeights/loadWeightsInto, BatchNorm statistics included', () => {
  const x = tf.randomUniform([8, 28, 28, 1], -1, 1, 'float32', 3); // [8, 28, 28, 1]
  for (const arch of FMNIST_CLASSIFIER_ARCHS) {
    const a = buildFmnistClassifier(0, arch);
    // One training-mode pass moves BatchNorm's moving statistics away from their initial values.
    tf.tidy(() => a.trunk.apply(x, { training: true }));
    const { bin, manifest } = serializeWeights(a.classifier, `test-${arch}`);
    const moving = manifest.weights.filter((w) => /moving_(mean|variance)$/.test(w.name));
    if (arch === 'v3') assert.equal(moving.length, 8, `${arch}: 4 BatchNorm layers, mean and variance each`);
    const b = buildFmnistClassifier(1, arch);
    loadWeightsInto(b.classifier, bin, manifest, arch);
    const pa = a.classifier.predict(x) as tf.Tensor; // [8, 10]
    const pb = b.classifier.predict(x) as tf.Tensor; // [8, 10]
    const diff = tf.max(tf.abs(tf.sub(pa, pb))).dataSync()[0];
    assert.ok(diff === 0, `${arch}: predictions differ by ${diff} after the round trip`);
    if (moving.length > 0) {
      const mean = b.classifier.weights
        .find((w) => w.originalName === moving[0].name)!
        .read()
        .dataSync();
      assert.ok(
        mean.some((v) => v !== 0),
        `${arch}: moving mean was not restored`,
      );
    }
    tf.dispose([pa, pb]);
    a.classifier.dispose();
    b.classifier.dispose();
  }
  x.dispose();
  assert.throws(() => buildFmnistClassifier(0, 'v9'), /unknown fmnist classifier architecture 'v9'/);
});
