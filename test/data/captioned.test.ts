// Captioned data for text-to-image: held-out colour-shape combinations never reach training, the
// held-out split holds only them, every caption's ids decode back to a caption parseCaption reads.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { captionedEmoji, captionedShapes, parseHeldOut } from '../../src/data/captioned.js';
import { parseCaption } from '../../src/data/shapes.js';
import { splitWords, Tokenizer } from '../../src/text/tokenizer.js';

test('captioned shapes: held-out combinations only in the heldout split; ids decode to the captions', () => {
  const d = captionedShapes({ n: 600, resolution: 16, seed: 2, heldOut: parseHeldOut('blue triangle, red star') });
  assert.equal(d.train.fields.image!.n, 600);
  assert.deepEqual(d.train.fields.image!.shape, [16, 16, 3]);
  const tok = new Tokenizer(d.train.tokenizer);
  const attrs = (ds: typeof d.train) =>
    ds.names.map((c, i) => {
      const ids = ds.fields.text!.data.subarray(i * tok.maxLen, (i + 1) * tok.maxLen);
      assert.equal(tok.decode(ids), c);
      const a = parseCaption(c);
      assert.ok(a, c);
      return `${a.color} ${a.shape}`;
    });
  const train = attrs(d.train);
  assert.ok(!train.includes('blue triangle') && !train.includes('red star'));
  assert.ok(train.includes('blue square') && train.includes('red circle'));
  const held = new Set(attrs(d.heldout!));
  assert.deepEqual([...held].sort(), ['blue triangle', 'red star']);
  assert.ok(!attrs(d.test).includes('blue triangle'));
  // same seed, same data
  const again = captionedShapes({ n: 600, resolution: 16, seed: 2, heldOut: parseHeldOut('blue triangle, red star') });
  assert.deepEqual(again.train.names, d.train.names);
  assert.equal(captionedShapes({ n: 50, resolution: 16, heldOut: [] }).heldout, null);
  assert.throws(() => parseHeldOut('blue dragon'), /must be a colour and a shape/);
});

test('captioned emoji: Twemoji images with their names as captions, categories as labels, test names encodable', async () => {
  const d = await captionedEmoji({ size: 16, limit: 40 });
  assert.equal(d.train.fields.image!.n, 40);
  assert.deepEqual(d.train.fields.image!.shape, [16, 16, 3]);
  const tok = new Tokenizer(d.train.tokenizer);
  d.train.names.forEach((c, i) => {
    assert.equal(c, c.toLowerCase());
    assert.equal(
      tok.decode(d.train.fields.text!.data.subarray(i * tok.maxLen, (i + 1) * tok.maxLen)),
      splitWords(c).join(' '),
    );
  });
  assert.ok(d.train.labels && d.train.classNames!.includes('Food & Drink'));
  // every held-out emoji kept has at least one word the training names use
  assert.ok(d.test.names.length > 0);
  for (const c of d.test.names) assert.ok(tok.encodeKnown(c) > 0, c);
  assert.equal(d.heldout, null);
});
