// The emoji classifier of fid-emoji: the committed weights load (sha256 checked), classify held-out
// emoji of both styles well above the most frequent category, and give an FID that tells the target
// style from the other style and from grayscale copies, at 64 and 32 pixels.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import '../../src/index.js';
import { listEmoji, readEmojiImages, splitEmoji } from '../../src/data/emoji.js';
import { EmojiClassifier } from '../../src/metrics/emoji_classifier.js';

test('emoji classifier: held-out accuracy, and fid-emoji separates styles and colour', async (t) => {
  const ec = EmojiClassifier.load();
  assert.equal(ec.categories.length, 10);
  const all = listEmoji(false);
  const train = splitEmoji(all, 'train', 0.1, 0);
  const test = splitEmoji(all, 'test', 0.1, 0);
  const googleTrain = { data: await readEmojiImages('google', train, 64), n: train.length, side: 64 };
  const google = await readEmojiImages('google', test, 64);
  const twitter = await readEmojiImages('twitter', test, 64);
  const labels = test.map((e) => ec.categories.indexOf(e.category));
  const acc = ec.accuracy(google, labels, 64);
  t.diagnostic(`held-out accuracy (Noto style): ${(100 * acc).toFixed(1)}%`);
  assert.ok(acc > 0.55, `accuracy ${acc}`);
  const gray = new Float32Array(google.length);
  for (let i = 0; i < google.length; i += 3)
    gray[i] = gray[i + 1] = gray[i + 2] = (google[i]! + google[i + 1]! + google[i + 2]!) / 3;
  const same = ec.fid({ data: google, n: test.length, side: 64 }, googleTrain);
  const other = ec.fid({ data: twitter, n: test.length, side: 64 }, googleTrain);
  const grey = ec.fid({ data: gray, n: test.length, side: 64 }, googleTrain);
  const small = ec.fid({ data: await readEmojiImages('google', test, 32), n: test.length, side: 32 }, googleTrain);
  t.diagnostic(
    `fid-emoji to the Noto training set: Noto ${same.toFixed(2)}, Twemoji ${other.toFixed(2)}, grey ${grey.toFixed(2)}, Noto at 32 px ${small.toFixed(2)}`,
  );
  assert.ok(same < other && other < grey, `${same} < ${other} < ${grey}`);
  assert.ok(small < other, `resized Noto (${small}) is closer than the other style (${other})`);
});
