// Word-level tokenizer for the text-to-image models: a vocabulary built from the training captions
// (every word that occurs, most frequent first, ties alphabetical), saved inside the model's options
// so a run's checkpoint carries the exact vocabulary its text encoder was trained with.
//
// Words: the text is lowercased (NFKC), and split on anything that is not a letter, a digit, an
// apostrophe or a hyphen ("medium-sized" is one word; "top-left," is "top-left").
// Ids: 0 is padding (<pad>), 1 is <unk> (reserved; never produced by encode), words from 2 on.
// A prompt becomes exactly `maxLen` ids: its known words, then padding.
//
// Policies for prompts (each is a sentence a user reads, or a documented behaviour):
// - empty prompt (no words at all): error "the prompt is empty ...";
// - unknown words (not in the training captions): dropped, and reported in `unknown` with the
//   closest known word, so a caller can warn ("'sqaure' is not a word this model knows: did you
//   mean 'square'?"); the text encoder is a mean over word embeddings, so dropping a word is what
//   an embedding of nothing would give;
// - only unknown words: error naming them and a few words the model knows;
// - more known words than the encoder reads (maxLen, the longest training caption): error by
//   default ("the prompt has 14 words; this model reads at most 9"), or, with `overflow:
//   'truncate'`, the first maxLen words are kept and `truncated` says how many were cut.

/** What a tokenizer needs to be rebuilt: its words (index = id) and the number of ids per prompt. */
export interface TokenizerSpec {
  /** vocab[0] = '<pad>', vocab[1] = '<unk>', then the words. */
  vocab: string[];
  /** Ids per encoded prompt (padded with 0). */
  maxLen: number;
}

export const PAD_ID = 0;
export const UNK_ID = 1;
const SPECIALS = ['<pad>', '<unk>'];

/** Lowercased words of a text (see the header for what splits words). */
export function splitWords(text: string): string[] {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .split(/[^\p{L}\p{N}'-]+/u)
    .map((w) => w.replace(/^[-']+|[-']+$/g, ''))
    .filter((w) => w.length > 0);
}

/** The result of encoding one prompt. */
export interface Encoded {
  /** [maxLen] ids, padded with 0. */
  ids: Int32Array;
  /** Words that were kept, in order. */
  words: string[];
  /** Words not in the vocabulary (dropped), with the closest known word. */
  unknown: { word: string; closest: string }[];
  /** Known words cut because the prompt was longer than maxLen (overflow 'truncate' only). */
  truncated: number;
}

export interface EncodeOptions {
  /** What a prompt with more than maxLen known words does: 'error' (default) or 'truncate'. */
  overflow?: 'error' | 'truncate';
}

/** Levenshtein distance (for "did you mean"). */
function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

export class Tokenizer {
  readonly vocab: string[];
  readonly maxLen: number;
  private readonly index = new Map<string, number>();

  constructor(spec: TokenizerSpec) {
    if (spec.vocab[0] !== SPECIALS[0] || spec.vocab[1] !== SPECIALS[1])
      throw new Error("a tokenizer's vocabulary starts with '<pad>' and '<unk>'");
    if (!Number.isInteger(spec.maxLen) || spec.maxLen < 1)
      throw new Error(`a tokenizer reads at least one word, got maxLen ${spec.maxLen}`);
    this.vocab = [...spec.vocab];
    this.maxLen = spec.maxLen;
    this.vocab.forEach((w, i) => {
      if (this.index.has(w)) throw new Error(`the vocabulary lists '${w}' twice`);
      this.index.set(w, i);
    });
  }

  /** A vocabulary of every word of `captions`; maxLen: the longest caption (in words) unless given. */
  static fromCaptions(captions: readonly string[], opts: { maxLen?: number } = {}): Tokenizer {
    const counts = new Map<string, number>();
    let longest = 0;
    for (const c of captions) {
      const words = splitWords(c);
      longest = Math.max(longest, words.length);
      for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
    }
    if (counts.size === 0) throw new Error('the captions hold no words to build a vocabulary from');
    const words = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
    return new Tokenizer({
      vocab: [...SPECIALS, ...words.filter((w) => !SPECIALS.includes(w))],
      maxLen: opts.maxLen ?? longest,
    });
  }

  get spec(): TokenizerSpec {
    return { vocab: [...this.vocab], maxLen: this.maxLen };
  }

  /** Vocabulary size, the two special ids included. */
  get size(): number {
    return this.vocab.length;
  }

  has(word: string): boolean {
    return this.index.has(word) && this.index.get(word)! >= SPECIALS.length;
  }

  private closest(word: string): string {
    let best = '';
    let bestD = Number.POSITIVE_INFINITY;
    for (const w of this.vocab.slice(SPECIALS.length)) {
      const d = editDistance(word, w);
      if (d < bestD) {
        bestD = d;
        best = w;
      }
    }
    return best;
  }

  /** Encodes a prompt under the policies of the file header (throws a sentence for a bad prompt). */
  encode(text: string, opts: EncodeOptions = {}): Encoded {
    const all = splitWords(text);
    if (all.length === 0) throw new Error("the prompt is empty: write what to draw, e.g. 'a large blue square'");
    const words: string[] = [];
    const unknown: Encoded['unknown'] = [];
    for (const w of all) {
      if (this.has(w)) words.push(w);
      else unknown.push({ word: w, closest: this.closest(w) });
    }
    if (words.length === 0) {
      const known = this.vocab.slice(SPECIALS.length, SPECIALS.length + 8).join(', ');
      throw new Error(
        `none of the words of the prompt (${unknown.map((u) => `'${u.word}'`).join(', ')}) are in this model's vocabulary of ${this.size - SPECIALS.length} words (it knows e.g. ${known})`,
      );
    }
    let truncated = 0;
    if (words.length > this.maxLen) {
      if ((opts.overflow ?? 'error') === 'error')
        throw new Error(
          `the prompt has ${words.length} known words; this model's text encoder reads at most ${this.maxLen} (its longest training caption): shorten it`,
        );
      truncated = words.length - this.maxLen;
      words.length = this.maxLen;
    }
    const ids = new Int32Array(this.maxLen);
    words.forEach((w, i) => {
      ids[i] = this.index.get(w)!;
    });
    return { ids, words, unknown, truncated };
  }

  /** How many words of `text` the vocabulary knows (0 for an empty text). */
  encodeKnown(text: string): number {
    return splitWords(text).filter((w) => this.has(w)).length;
  }

  /** [n * maxLen] ids of many captions (training data: every word must be known, none may overflow). */
  encodeAll(captions: readonly string[]): Int32Array {
    const out = new Int32Array(captions.length * this.maxLen);
    captions.forEach((c, i) => {
      const e = this.encode(c);
      if (e.unknown.length) throw new Error(`caption '${c}' has words outside the vocabulary`);
      out.set(e.ids, i * this.maxLen);
    });
    return out;
  }

  /** The words of ids (padding and <unk> skipped), joined by spaces. */
  decode(ids: ArrayLike<number>): string {
    const out: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      if (id === PAD_ID || id === UNK_ID) continue;
      const w = this.vocab[id];
      if (w === undefined) throw new Error(`token id ${id} is outside the vocabulary of ${this.size}`);
      out.push(w);
    }
    return out.join(' ');
  }
}
