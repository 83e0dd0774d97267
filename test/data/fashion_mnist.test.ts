import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';

import {
  embeddedFashionMnistDir,
  FASHION_MNIST_CLASSES,
  loadFashionMnist,
  SYSTEM_FASHION_MNIST_DIR,
} from '../../src/data/fashion_mnist.js';
import { encodeIdx } from '../../src/data/idx.js';

test('embedded Fashion-MNIST test split: 10,000 images 28x28 in [-1, 1], 1,000 per class', () => {
  const ds = loadFashionMnist();
  assert.equal(ds.kind, 'image');
  assert.equal(ds.n, 10000);
  assert.deepEqual([ds.height, ds.width, ds.channels], [28, 28, 1]);
  assert.equal(ds.images.length, 10000 * 784);
  assert.equal(ds.numClasses, 10);
  assert.deepEqual(ds.classNames, [...FASHION_MNIST_CLASSES]);
  let lo = Infinity;
  let hi = -Infinity;
  let mean = 0;
  for (const v of ds.images) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
    mean += v;
  }
  mean /= ds.images.length;
  assert.equal(lo, -1);
  assert.equal(hi, 1);
  // Mostly black background: the mean pixel is well below mid-gray.
  assert.ok(mean < -0.3 && mean > -0.8, `mean ${mean}`);
  const counts = new Array(10).fill(0);
  for (const l of ds.labels!) counts[l]++;
  assert.deepEqual(counts, new Array(10).fill(1000));
  // The pixels are exactly the IDX bytes rescaled.
  const raw = gunzipSync(readFileSync(path.join(embeddedFashionMnistDir(), 't10k-images-idx3-ubyte.gz')));
  for (const i of [0, 400, 783, 784 * 5000 + 300]) assert.equal(ds.images[i], Math.fround(raw[16 + i] / 127.5 - 1));
});

test('Fashion-MNIST from a folder of IDX files, gzipped or not; limit; all = train + test', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsgan-fm-'));
  // A tiny "train" split (uncompressed) next to the real test split (gzipped).
  const n = 6;
  const imgs = new Uint8Array(n * 784).map((_, i) => i % 251);
  writeFileSync(
    path.join(dir, 'train-images-idx3-ubyte'),
    encodeIdx({ dtype: 'uint8', dims: [n, 28, 28], data: imgs }),
  );
  writeFileSync(
    path.join(dir, 'train-labels-idx1-ubyte'),
    encodeIdx({ dtype: 'uint8', dims: [n], data: Uint8Array.from([9, 8, 7, 6, 5, 4]) }),
  );
  for (const f of ['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz'])
    copyFileSync(path.join(embeddedFashionMnistDir(), f), path.join(dir, f));
  const train = loadFashionMnist({ split: 'train', path: dir });
  assert.equal(train.n, n);
  assert.deepEqual([...train.labels!], [9, 8, 7, 6, 5, 4]);
  assert.equal(train.images[250], Math.fround(250 / 127.5 - 1));
  const all = loadFashionMnist({ split: 'all', path: dir });
  assert.equal(all.n, n + 10000);
  assert.deepEqual([...all.labels!.subarray(0, 6)], [9, 8, 7, 6, 5, 4]);
  const test10k = loadFashionMnist({ path: dir, limit: 100 });
  assert.equal(test10k.n, 100);
  assert.deepEqual([...test10k.labels!], [...loadFashionMnist().labels!.subarray(0, 100)]);
  assert.throws(
    () => loadFashionMnist({ path: dir, limit: 0 }),
    (e: Error) =>
      /^Fashion-MNIST: the number of images to load must be a whole number of 1 or more, got 0$/.test(e.message),
  );
});

test('Fashion-MNIST: missing files, mismatched counts and bad labels are clear errors', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsgan-fm-bad-'));
  assert.throws(
    () => loadFashionMnist({ split: 'train', path: dir }),
    (e: Error) => e.message.includes(dir) && /train-images-idx3-ubyte/.test(e.message),
  );
  assert.throws(() => loadFashionMnist({ path: path.join(dir, 'nope') }), /does not exist/);
  writeFileSync(
    path.join(dir, 't10k-images-idx3-ubyte'),
    encodeIdx({ dtype: 'uint8', dims: [2, 28, 28], data: new Uint8Array(2 * 784) }),
  );
  writeFileSync(
    path.join(dir, 't10k-labels-idx1-ubyte'),
    encodeIdx({ dtype: 'uint8', dims: [3], data: Uint8Array.from([1, 2, 3]) }),
  );
  assert.throws(() => loadFashionMnist({ path: dir }), /3 labels for 2 images/);
  writeFileSync(
    path.join(dir, 't10k-labels-idx1-ubyte'),
    encodeIdx({ dtype: 'uint8', dims: [2], data: Uint8Array.from([1, 12]) }),
  );
  assert.throws(() => loadFashionMnist({ path: dir }), /label 12 at index 1 is outside 0\.\.9/);
  const sub = path.join(dir, 'small');
  mkdirSync(sub);
  writeFileSync(
    path.join(sub, 't10k-images-idx3-ubyte'),
    encodeIdx({ dtype: 'uint8', dims: [1, 14, 14], data: new Uint8Array(196) }),
  );
  writeFileSync(
    path.join(sub, 't10k-labels-idx1-ubyte'),
    encodeIdx({ dtype: 'uint8', dims: [1], data: Uint8Array.from([0]) }),
  );
  assert.throws(() => loadFashionMnist({ path: sub }), /expected 28x28 images, got 14x14/);
});

test('Fashion-MNIST train split without a path: the system folder when installed, else an error naming the package', () => {
  if (existsSync(SYSTEM_FASHION_MNIST_DIR)) {
    const ds = loadFashionMnist({ split: 'train', limit: 100 });
    assert.equal(ds.n, 100);
    assert.equal(ds.name, 'fashion-mnist-train');
  } else {
    assert.throws(
      () => loadFashionMnist({ split: 'train' }),
      /dataset-fashion-mnist .*\/usr\/share\/datasets\/fashion-mnist/,
    );
  }
  assert.throws(() => loadFashionMnist({ split: 'validation' as never }), /split must be test, train or all/);
});
