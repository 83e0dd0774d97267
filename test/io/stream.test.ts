// Streaming writers: a grid or a latent walk written a row / a batch at a time gives the same pixels
// as the in-memory writers; a failure mid-way leaves neither the file nor its temporary file; output
// locations that cannot be written are sentences naming the path.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import sharp from 'sharp';

import { readGifInfo, writeWalkStream } from '../../src/io/anim.js';
import { AtomicFileWriter, ensureFolder, writeFileAtomic } from '../../src/io/files.js';
import { makeGrid, writeGridPngStream } from '../../src/io/grid.js';
import { isLabelledSynthetic, readPngChunks, readPngText } from '../../src/io/png.js';

/** Deterministic tile values in [-1, 1]: tile t, pixel i. */
const value = (t: number, i: number) => Math.sin(t * 1.7 + i * 0.31);
function tiles(start: number, count: number, per: number): Float32Array {
  const out = new Float32Array(count * per);
  for (let t = 0; t < count; t++) for (let i = 0; i < per; i++) out[t * per + i] = value(start + t, i);
  return out;
}

/** Decoded pixels with `channels` channels (sharp expands gray to 3: the first one is kept). */
async function pixels(file: string, channels: number) {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  const out = Buffer.alloc(info.width * info.height * channels);
  for (let i = 0; i < info.width * info.height; i++)
    for (let c = 0; c < channels; c++) out[i * channels + c] = data[i * info.channels + c];
  return { data: out, width: info.width, height: info.height };
}

test('a grid written a row at a time has the pixels of the in-memory grid, progress per row, a label', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-stream-'));
  try {
    for (const [n, tile, cols, scale] of [
      [23, [5, 4, 1], 6, 1],
      [10, [3, 3, 3], 4, 2],
    ] as [number, [number, number, number], number, number][]) {
      const per = tile[0] * tile[1] * tile[2];
      const file = path.join(tmp, `g${n}.png`);
      const calls: [number, number][] = [];
      const asked: number[] = [];
      await writeGridPngStream(
        file,
        n,
        tile,
        async (start, count) => {
          asked.push(count);
          return tiles(start, count, per);
        },
        { model: 'test', seed: 'x' },
        { cols, scale, onProgress: (d, t) => calls.push([d, t]) },
      );
      assert.ok(Math.max(...asked) <= cols, 'never more than one grid row of tiles at once');
      assert.deepEqual(calls[calls.length - 1], [n, n]);
      assert.equal(calls.length, Math.ceil(n / cols));
      const ref = makeGrid({ data: tiles(0, n, per), shape: [n, ...tile] }, { cols, scale });
      const got = await pixels(file, tile[2]);
      assert.deepEqual([got.width, got.height], [ref.width, ref.height]);
      assert.ok(Buffer.from(ref.data).equals(got.data), 'same pixels as makeGrid');
      assert.ok(isLabelledSynthetic(readPngText(file)));
      // Several IDAT chunks may come out of the stream; the file still parses with valid CRCs.
      assert.ok(readPngChunks(readFileSync(file)).some((c) => c.type === 'IDAT'));
    }
    assert.deepEqual(
      readdirSync(tmp).filter((f) => f.includes('.tmp-')),
      [],
    );
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('a failure in the middle of a streamed grid or walk leaves no file and no temporary file', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-stream-'));
  try {
    const file = path.join(tmp, 'grid.png');
    await assert.rejects(
      writeGridPngStream(file, 20, [4, 4, 1], async (start, count) => {
        if (start >= 8) throw new Error('generator failed');
        return tiles(start, count, 16);
      }),
      /generator failed/,
    );
    const walkFiles = { png: path.join(tmp, 'w.png'), gif: path.join(tmp, 'w.gif') };
    await assert.rejects(
      writeWalkStream(walkFiles, {
        count: 200,
        tile: [4, 4, 1],
        framesOf: async (idx) => {
          if (idx[0] >= 64) throw new Error('walk failed');
          return tiles(idx[0], idx.length, 16);
        },
      }),
      /walk failed/,
    );
    assert.deepEqual(readdirSync(tmp), []);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('a walk written a batch at a time: strip wrapped after 64 frames, ping-pong GIF, APNG frame count', async () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-stream-'));
  try {
    const per = 3 * 3;
    const asked: number[] = [];
    const src = {
      count: 70,
      tile: [3, 3, 1] as [number, number, number],
      framesOf: async (idx: number[]) => {
        asked.push(idx.length);
        const out = new Float32Array(idx.length * per);
        idx.forEach((f, k) => {
          for (let i = 0; i < per; i++) out[k * per + i] = value(f, i);
        });
        return out;
      },
    };
    const files = { png: path.join(tmp, 'w.png'), gif: path.join(tmp, 'w.gif') };
    const progress: number[] = [];
    const r = await writeWalkStream(files, src, { seed: '1,2' }, { scale: 1, onProgress: (d) => progress.push(d) });
    assert.deepEqual(r, { frames: 70, animationFrames: 70 + 68 });
    assert.ok(Math.max(...asked) <= 64, 'frames made at most 64 at a time');
    assert.equal(
      asked.reduce((a, b) => a + b, 0),
      70,
      'the way back reuses the frames drawn on the way out',
    );
    assert.equal(progress[progress.length - 1], 70 + 68);
    // Without the cache the way back makes its frames again: the same GIF, byte for byte.
    asked.length = 0;
    const again = path.join(tmp, 'again.gif');
    await writeWalkStream({ gif: again }, src, { seed: '1,2' }, { scale: 1, cacheBytes: 0 });
    assert.equal(
      asked.reduce((a, b) => a + b, 0),
      70 + 68,
    );
    // Up to the provenance comment (its creation time differs).
    const frames = (b: Buffer) => b.subarray(0, b.lastIndexOf(Buffer.from([0x21, 0xfe])));
    assert.ok(frames(readFileSync(again)).equals(frames(readFileSync(files.gif))), 'same frames');
    // Strip: 64 columns, 2 rows, same pixels as makeGrid of the 70 frames.
    const all = await src.framesOf(Array.from({ length: 70 }, (_, i) => i));
    const ref = makeGrid({ data: all, shape: [70, 3, 3, 1] }, { cols: 64, scale: 1 });
    const strip = await pixels(files.png, 1);
    assert.deepEqual([strip.width, strip.height], [ref.width, ref.height]);
    assert.ok(Buffer.from(ref.data).equals(strip.data), 'strip pixels');
    const gif = readGifInfo(readFileSync(files.gif));
    assert.deepEqual([gif.width, gif.height, gif.frames], [7, 7, 138]);
    assert.ok(
      gif.comments.some((c) => /generated by a GAN/i.test(c)),
      'GIF comment',
    );
    // sharp decodes every page of the streamed GIF.
    const meta = await sharp(files.gif, { pages: -1 }).metadata();
    assert.equal(meta.pages, 138);
    const apng = path.join(tmp, 'w.apng');
    await writeWalkStream({ apng }, src, {}, { scale: 1, pingPong: false });
    const chunks = readPngChunks(readFileSync(apng));
    const actl = chunks.find((c) => c.type === 'acTL')!;
    assert.equal(new DataView(actl.data.buffer, actl.data.byteOffset).getUint32(0), 70);
    assert.equal(chunks.filter((c) => c.type === 'fcTL').length, 70);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('output locations: a folder as a file name, a file as a folder, a read-only mount are sentences', (t) => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsgan-out-'));
  try {
    mkdirSync(path.join(tmp, 'dir.png'));
    assert.throws(
      () => writeFileAtomic(path.join(tmp, 'dir.png'), new Uint8Array(4)),
      /cannot write '.*dir\.png': it is an existing folder; give a file name such as/,
    );
    writeFileSync(path.join(tmp, 'file'), 'x');
    assert.throws(() => ensureFolder(path.join(tmp, 'file', 'sub')), /'.*file' is a file, not a folder/);
    assert.throws(() => writeFileAtomic(path.join(tmp, 'file', 'x.png'), new Uint8Array(4)), /is a file, not a folder/);
    // Nested folders are created; the temporary file is gone after commit and after abort.
    const deep = path.join(tmp, 'a', 'b', 'c.bin');
    writeFileAtomic(deep, new Uint8Array([1, 2, 3]));
    assert.deepEqual([...readFileSync(deep)], [1, 2, 3]);
    const w = new AtomicFileWriter(path.join(tmp, 'aborted.bin'));
    w.write(new Uint8Array(10));
    assert.ok(existsSync(w.tmp));
    w.abort();
    assert.deepEqual(readdirSync(tmp).sort(), ['a', 'dir.png', 'file']);
    // A read-only mount (root only; skipped elsewhere).
    const ro = path.join(tmp, 'ro');
    mkdirSync(ro);
    const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', ro]);
    if (m.status !== 0) {
      t.diagnostic('read-only case skipped: mounting a tmpfs is not allowed here');
      return;
    }
    try {
      assert.throws(
        () => writeFileAtomic(path.join(ro, 'x.png'), new Uint8Array(4)),
        /cannot write '.*x\.png': the file system is read-only/,
      );
      assert.throws(() => ensureFolder(path.join(ro, 'sub', 'deeper')), /the file system is read-only/);
    } finally {
      spawnSync('umount', [ro]);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
