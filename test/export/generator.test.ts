import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { tf, tfl } from '../../src/index.js';
import { exportGenerator, loadGenerator, modelSha256 } from '../../src/export/generator_io.js';

/** A small DCGAN-like conditional generator: z [N, 8] and label [N, 1] → image [N, 8, 8, 1]. */
function makeGenerator(seed: number): tfl.LayersModel {
  const z = tfl.input({ shape: [8], name: 'z' });
  const label = tfl.input({ shape: [1], name: 'label', dtype: 'int32' });
  const emb = tfl.layers
    .flatten()
    .apply(
      tfl.layers
        .embedding({ inputDim: 3, outputDim: 4, embeddingsInitializer: tfl.initializers.randomNormal({ seed }) })
        .apply(label),
    ) as tfl.SymbolicTensor;
  let h = tfl.layers.concatenate().apply([z, emb]) as tfl.SymbolicTensor;
  h = tfl.layers
    .dense({ units: 4 * 4 * 6, kernelInitializer: tfl.initializers.glorotNormal({ seed: seed + 1 }) })
    .apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.reshape({ targetShape: [4, 4, 6] }).apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.batchNormalization().apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.reLU().apply(h) as tfl.SymbolicTensor;
  h = tfl.layers
    .conv2dTranspose({
      filters: 1,
      kernelSize: 4,
      strides: 2,
      padding: 'same',
      activation: 'tanh',
      kernelInitializer: tfl.initializers.glorotNormal({ seed: seed + 2 }),
    })
    .apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: [z, label], outputs: h, name: 'g' });
}

test('export → load gives the same images for the same latents, with a manifest', async () => {
  const g = makeGenerator(3);
  // Move BN statistics away from the defaults so they must be saved too.
  const bn = g.layers.find((l) => l.getClassName() === 'BatchNormalization')!;
  bn.setWeights(bn.getWeights().map((w, i) => tf.add(w, tf.scalar(0.1 * (i + 1)))));
  const dir = path.join(mkdtempSync(path.join(tmpdir(), 'tsgan-export-')), 'gen');
  const sha = await modelSha256(g);
  const manifest = await exportGenerator(g, dir, {
    model: 'tiny-cgan',
    latentDim: 8,
    numClasses: 3,
    classNames: ['a', 'b', 'c'],
    sha256: sha,
    extra: { step: 10 },
  });
  assert.equal(manifest.sha256, sha);
  assert.equal(manifest.resolution, 8);
  assert.equal(manifest.channels, 1);
  assert.deepEqual(manifest.outputShape, [8, 8, 1]);
  assert.deepEqual(manifest.valueRange, [-1, 1]);
  assert.equal(manifest.synthetic, true);
  assert.equal(manifest.createdBy, 'tsgan');
  assert.deepEqual(
    manifest.inputs.map((i) => [i.name, i.role, i.dtype]),
    [
      ['z', 'latent', 'float32'],
      ['label', 'label', 'int32'],
    ],
  );
  const modelJson = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
  assert.equal(modelJson.format, 'layers-model');
  assert.ok(modelJson.modelTopology && modelJson.weightsManifest[0].paths.length >= 1);
  for (const p of modelJson.weightsManifest[0].paths) assert.ok(existsSync(path.join(dir, p)));

  const { model, manifest: m2 } = await loadGenerator(dir);
  assert.deepEqual(m2, manifest);
  const z = tf.randomNormal([5, 8], 0, 1, 'float32', 17);
  const y = tf.tensor2d([[0], [1], [2], [1], [0]], [5, 1], 'int32');
  const a = g.predict([z, y]) as tf.Tensor;
  const b = model.predict([z, y]) as tf.Tensor;
  assert.deepEqual(b.shape, [5, 8, 8, 1]);
  const da = await a.data();
  const db = await b.data();
  let maxDiff = 0;
  for (let i = 0; i < da.length; i++) maxDiff = Math.max(maxDiff, Math.abs(da[i] - db[i]));
  assert.equal(maxDiff, 0, 'reloaded generator is bit-identical');
  // A different generator gives different outputs (the comparison can fail).
  const other = makeGenerator(4).predict([z, y]) as tf.Tensor;
  assert.ok(tf.max(tf.abs(tf.sub(other, a))).dataSync()[0] > 1e-3);
  assert.equal(await modelSha256(model), sha);
  tf.dispose([z, y, a, b, other]);
});

test('export refuses a wrong hash and foreign folders; load detects corruption and bad manifests', async () => {
  const g = makeGenerator(5);
  const root = mkdtempSync(path.join(tmpdir(), 'tsgan-export-bad-'));
  await assert.rejects(
    exportGenerator(g, path.join(root, 'x'), { model: 'm', latentDim: 8, sha256: '0'.repeat(64) }),
    /differs from the expected/,
  );
  assert.equal(existsSync(path.join(root, 'x')), false, 'nothing left behind');
  const foreign = path.join(root, 'foreign');
  mkdirSync(foreign);
  writeFileSync(path.join(foreign, 'notes.txt'), 'keep me');
  await assert.rejects(
    exportGenerator(g, foreign, { model: 'm', latentDim: 8 }),
    /holds files other than an exported generator/,
  );
  assert.equal(readFileSync(path.join(foreign, 'notes.txt'), 'utf8'), 'keep me');
  // Class names: one per class, refused otherwise (they used to be dropped without a word).
  await assert.rejects(
    exportGenerator(g, path.join(root, 'names'), { model: 'm', latentDim: 8, numClasses: 3, classNames: ['a', 'b'] }),
    /2 class names given for a generator with 3 classes/,
  );
  await assert.rejects(
    exportGenerator(g, path.join(root, 'names'), { model: 'm', latentDim: 8, classNames: ['a'] }),
    /1 class name given for an unconditional generator/,
  );
  // A file where the folder should go.
  writeFileSync(path.join(root, 'file'), 'keep me too');
  await assert.rejects(
    exportGenerator(g, path.join(root, 'file'), { model: 'm', latentDim: 8 }),
    /is a file, not a folder/,
  );
  assert.deepEqual(
    readdirSync(root)
      .filter((e) => e !== 'foreign')
      .sort(),
    ['file'],
    'nothing left behind (no temporary folders)',
  );

  const dir = path.join(root, 'ok');
  await exportGenerator(g, dir, { model: 'm', latentDim: 8 });
  await exportGenerator(g, dir, { model: 'm', latentDim: 8 }); // re-export over a previous export is fine
  const shard = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')).weightsManifest[0].paths[0];
  const bytes = readFileSync(path.join(dir, shard));
  bytes[10] ^= 0xff;
  writeFileSync(path.join(dir, shard), bytes);
  await assert.rejects(loadGenerator(dir), /sha256 mismatch/);

  const mPath = path.join(dir, 'manifest.json');
  const m = JSON.parse(readFileSync(mPath, 'utf8'));
  writeFileSync(mPath, JSON.stringify({ ...m, latentDim: -1, synthetic: false }));
  await assert.rejects(
    loadGenerator(dir),
    (e: Error) => e.message.includes(mPath) && /latentDim/.test(e.message) && /synthetic/.test(e.message),
  );
  await assert.rejects(loadGenerator(path.join(root, 'none')), /no manifest\.json/);
});
