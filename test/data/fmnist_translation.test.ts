// The Fashion-MNIST translation tasks: edge maps that outline the garment, padding with the
// background value, and disjoint unpaired sneaker / ankle-boot domains.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { fmnistClassDomains, fmnistEdgePairs, padImages, sobelEdges } from '../../src/data/fmnist_translation.js';
import { loadFashionMnist } from '../../src/index.js';

test('padImages centres 28x28 in 32x32 with -1 around', () => {
  const img = new Float32Array(28 * 28).fill(0.5);
  const p = padImages(img, 1, 28, 32);
  assert.equal(p[0], -1);
  assert.equal(p[2 * 32 + 2], 0.5);
  assert.equal(p[29 * 32 + 29], 0.5);
  assert.equal(p[30 * 32 + 30], -1);
  assert.throws(() => padImages(img, 1, 28, 16), /cannot pad/);
});

test('sobelEdges: a filled square gives bright edges on its border and dark inside and outside', () => {
  const s = 16;
  const img = new Float32Array(s * s).fill(-1);
  for (let y = 4; y < 12; y++) for (let x = 4; x < 12; x++) img[y * s + x] = 1;
  const e = sobelEdges(img, 1, s);
  assert.ok(e[4 * s + 8]! > 0.4, 'top edge');
  assert.equal(e[8 * s + 8], -1, 'inside');
  assert.equal(e[0], -1, 'outside');
});

test('edge pairs and class domains from Fashion-MNIST', () => {
  const ds = loadFashionMnist({ limit: 200 });
  const pairs = fmnistEdgePairs(ds);
  assert.deepEqual(pairs.fields.input!.shape, [32, 32, 1]);
  assert.equal(pairs.fields.target!.n, 200);
  const dom = fmnistClassDomains(ds);
  assert.equal(dom.paired, false);
  const sneakers = Array.from(ds.labels!).filter((c, i) => c === 7 && i % 2 === 0).length;
  assert.equal(dom.fields.A!.n, sneakers);
  assert.ok(dom.fields.B!.n > 0);
  assert.throws(() => fmnistClassDomains(ds, 7, 42), /no images of class 42/);
});
