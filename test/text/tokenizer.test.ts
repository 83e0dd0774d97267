// The text-to-image tokenizer: round trip of training captions, and each documented policy for bad
// prompts (empty, only unknown words, unknown words among known ones, too long).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { captionOf, makeShapes } from '../../src/data/shapes.js';
import { PAD_ID, splitWords, Tokenizer } from '../../src/text/tokenizer.js';

test('tokenizer: every varied shapes caption round-trips through encode and decode', () => {
  const ds = makeShapes({ n: 400, resolution: 8, captionStyle: 'varied', seed: 5 });
  const tok = Tokenizer.fromCaptions(ds.captions);
  assert.equal(tok.vocab[0], '<pad>');
  assert.equal(tok.vocab[1], '<unk>');
  assert.equal(tok.maxLen, Math.max(...ds.captions.map((c) => splitWords(c).length)));
  for (const c of ds.captions) {
    const e = tok.encode(c);
    assert.equal(e.ids.length, tok.maxLen);
    assert.deepEqual(e.unknown, []);
    assert.equal(tok.decode(e.ids), c);
    // padding only after the words
    const words = splitWords(c).length;
    for (let i = words; i < tok.maxLen; i++) assert.equal(e.ids[i], PAD_ID);
  }
  // the vocabulary is a function of the captions: rebuilding it from a spec changes nothing
  const again = new Tokenizer(tok.spec);
  assert.deepEqual(Array.from(again.encode(ds.captions[0]!).ids), Array.from(tok.encode(ds.captions[0]!).ids));
  assert.equal(tok.decode(tok.encode('A LARGE Blue  square!').ids), 'a large blue square');
  assert.deepEqual(splitWords('medium-sized, top-left.'), ['medium-sized', 'top-left']);
  void captionOf;
});

test('tokenizer policies: empty prompt, only unknown words, unknown words dropped, too long', () => {
  const tok = Tokenizer.fromCaptions(['a small red circle', 'a large blue square at the top left']);
  assert.throws(() => tok.encode(''), /the prompt is empty/);
  assert.throws(() => tok.encode('  ,.!  '), /the prompt is empty/);
  assert.throws(() => tok.encode('zebra unicorn'), /none of the words of the prompt \('zebra', 'unicorn'\)/);
  const e = tok.encode('a large sqaure zebra');
  assert.deepEqual(e.words, ['a', 'large']);
  assert.deepEqual(
    e.unknown.map((u) => u.word),
    ['sqaure', 'zebra'],
  );
  assert.equal(e.unknown[0]!.closest, 'square');
  const long = 'a large blue square at the top left a small red circle';
  assert.throws(() => tok.encode(long), /the prompt has 12 known words; this model's text encoder reads at most 8/);
  const cut = tok.encode(long, { overflow: 'truncate' });
  assert.equal(cut.truncated, 4);
  assert.equal(tok.decode(cut.ids), 'a large blue square at the top left');
  assert.throws(() => tok.decode([999]), /outside the vocabulary/);
  assert.throws(() => Tokenizer.fromCaptions(['', ' ']), /no words/);
});
