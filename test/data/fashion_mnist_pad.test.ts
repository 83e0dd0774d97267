// Fashion-MNIST padded to 32x32 (data.size 32, for StyleGAN2's power-of-two sides) and the centre crop
// the -fmnist metrics take of such images: the crop gives back the originals exactly.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadFashionMnist } from '../../src/index.js';
import { asFmnist28 } from '../../src/metrics/fmnist_crop.js';

test('fashion-mnist size 32 pads with background; the metrics crop restores the 28x28 originals', () => {
  const a = loadFashionMnist({ limit: 5 });
  const b = loadFashionMnist({ limit: 5, size: 32 });
  assert.deepEqual([b.height, b.width, b.channels, b.n], [32, 32, 1, 5]);
  assert.equal(b.images[0], -1, 'border is background');
  assert.equal(b.images[32 * 32 - 1], -1);
  assert.deepEqual(Array.from(asFmnist28(b.images, 5, [32, 32, 1])!), Array.from(a.images));
  assert.equal(asFmnist28(a.images, 5, [28, 28, 1]), a.images);
  assert.equal(asFmnist28(b.images, 5, [32, 32, 3]), null);
  assert.throws(() => loadFashionMnist({ limit: 2, size: 64 }), /must be 28 \(the originals\) or 32/);
});
