// Checkpoint files: one binary file per checkpoint holding the whole training state.
// Layout:  "TSGANCK1" | u32 LE header length | header JSON (UTF-8, space-padded to 4 bytes)
//          | float32 LE tensor data, in header order | 32-byte sha256 of everything before | "TSGANEND"
// A file is written fully to a temporary name (every write's byte count checked), fsynced, read
// back and compared, then renamed over its final name (atomic on POSIX) and its folder fsynced, so
// neither a crash nor a full disk leaves a half-written checkpoint under a real name. A truncated or
// corrupted file fails the length / end-marker / sha256 checks, and `loadLatestCheckpoint` falls
// back to the previous one.
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';

const MAGIC = Buffer.from('TSGANCK1', 'ascii');
const END = Buffer.from('TSGANEND', 'ascii');
export const CHECKPOINT_EXT = '.ckpt';

/** A named float32 tensor in a checkpoint. */
export interface CheckpointTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** Everything but the tensors: JSON-serializable. */
export interface CheckpointHeader {
  format: 'tsgan-checkpoint';
  version: 1;
  /** Training step (completed G updates). */
  step: number;
  /** Model family and resolved options: what rebuilds the same networks. */
  model: { family: string; options: Record<string, unknown> };
  /** Anything else the trainer saves (config, RNG state, sampler state, optimizer steps...). */
  state: Record<string, unknown>;
  /** Creation time, ISO 8601. */
  savedAt: string;
}

export interface Checkpoint {
  header: CheckpointHeader;
  tensors: CheckpointTensor[];
}

export class CheckpointError extends Error {
  override name = 'CheckpointError';
  /** The file-system error code behind it, when there is one ('ENOSPC'...). */
  code?: string;
}

/** Serializes a checkpoint to bytes. */
export function encodeCheckpoint(ck: Checkpoint): Buffer {
  const index = ck.tensors.map((t) => {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length)
      throw new CheckpointError(`tensor ${t.name}: shape [${t.shape}] needs ${n} values, has ${t.data.length}`);
    return { name: t.name, shape: t.shape };
  });
  let json = JSON.stringify({ ...ck.header, tensors: index });
  const pad = (4 - ((Buffer.byteLength(json) + MAGIC.length + 4) % 4)) % 4;
  json += ' '.repeat(pad);
  const headerBytes = Buffer.from(json, 'utf8');
  const dataBytes = ck.tensors.reduce((s, t) => s + t.data.length * 4, 0);
  const body = Buffer.alloc(MAGIC.length + 4 + headerBytes.length + dataBytes);
  MAGIC.copy(body, 0);
  body.writeUInt32LE(headerBytes.length, MAGIC.length);
  headerBytes.copy(body, MAGIC.length + 4);
  let off = MAGIC.length + 4 + headerBytes.length;
  for (const t of ck.tensors) {
    const src = Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    if (isLittleEndian()) src.copy(body, off);
    else for (let i = 0; i < t.data.length; i++) body.writeFloatLE(t.data[i], off + 4 * i);
    off += t.data.byteLength;
  }
  const digest = createHash('sha256').update(body).digest();
  return Buffer.concat([body, digest, END]);
}

function isLittleEndian(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

/** Parses and verifies checkpoint bytes; `name` is used in error messages. */
export function decodeCheckpoint(bytes: Uint8Array, name = '<buffer>'): Checkpoint {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const minLen = MAGIC.length + 4 + 32 + END.length;
  if (buf.length < minLen || !buf.subarray(0, MAGIC.length).equals(MAGIC)) {
    throw new CheckpointError(`${name} is not a tsgan checkpoint (bad magic or too short: ${buf.length} bytes)`);
  }
  if (!buf.subarray(buf.length - END.length).equals(END)) {
    throw new CheckpointError(`${name} is truncated (no end marker; ${buf.length} bytes)`);
  }
  const body = buf.subarray(0, buf.length - END.length - 32);
  const digest = buf.subarray(buf.length - END.length - 32, buf.length - END.length);
  if (!createHash('sha256').update(body).digest().equals(digest)) {
    throw new CheckpointError(`${name} is corrupt (sha256 mismatch)`);
  }
  const hlen = body.readUInt32LE(MAGIC.length);
  const hstart = MAGIC.length + 4;
  if (hstart + hlen > body.length) throw new CheckpointError(`${name}: header length ${hlen} runs past the file`);
  const parsed = JSON.parse(body.subarray(hstart, hstart + hlen).toString('utf8')) as CheckpointHeader & {
    tensors: { name: string; shape: number[] }[];
  };
  if (parsed.format !== 'tsgan-checkpoint')
    throw new CheckpointError(`${name}: unknown format '${String(parsed.format)}'`);
  const { tensors: index, ...header } = parsed;
  let off = hstart + hlen;
  const tensors: CheckpointTensor[] = [];
  for (const t of index) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (off + 4 * n > body.length) throw new CheckpointError(`${name}: tensor ${t.name} runs past the data`);
    const data = new Float32Array(n);
    if (isLittleEndian()) new Uint8Array(data.buffer).set(body.subarray(off, off + 4 * n));
    else for (let i = 0; i < n; i++) data[i] = body.readFloatLE(off + 4 * i);
    tensors.push({ name: t.name, shape: t.shape, data });
    off += 4 * n;
  }
  if (off !== body.length)
    throw new CheckpointError(`${name}: ${body.length - off} unexpected bytes after the tensors`);
  return { header: header as CheckpointHeader, tensors };
}

/** A file-system error as a sentence: what failed and why ("no space left on device (ENOSPC)"). */
export function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const why: Record<string, string> = {
    ENOSPC: 'no space left on device',
    EDQUOT: 'disk quota exceeded',
    EROFS: 'read-only file system',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EIO: 'input/output error',
    ENOTDIR: 'a part of the path is a file, not a folder',
    ENOENT: 'no such file or folder',
  };
  if (err?.code && why[err.code]) return `${why[err.code]} (${err.code})`;
  return err instanceof Error ? err.message : String(e);
}

/** Writes all of `bytes` to `fd`, checking each write's byte count (a short write is retried; none is an error). */
function writeFully(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) {
    const n = writeSync(fd, bytes, off, bytes.length - off);
    if (n <= 0) {
      const e = new Error(`wrote ${off} of ${bytes.length} bytes`) as NodeJS.ErrnoException;
      e.code = 'ENOSPC';
      throw e;
    }
    off += n;
  }
}

/** fsync of a folder, so a rename in it survives a crash (a no-op where folders cannot be fsynced). */
function fsyncDir(dir: string): void {
  let fd: number | null = null;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EINVAL' && code !== 'EPERM' && code !== 'EBADF') throw e;
  } finally {
    if (fd != null) closeSync(fd);
  }
}

/**
 * Writes a checkpoint atomically: every byte to a temp file in the same folder (each write's count
 * checked), fsync, read back and compared, rename over the final name, fsync of the folder. On any
 * failure (a full disk: ENOSPC) the temp file is removed, nothing is renamed, and a CheckpointError
 * says why; the folder's other checkpoints are untouched.
 */
export function writeCheckpointFile(file: string, ck: Checkpoint): void {
  const dir = path.dirname(file);
  const tmp = `${file}.tmp-${process.pid}`;
  let stage = 'create the folder of';
  try {
    mkdirSync(dir, { recursive: true });
    const bytes = encodeCheckpoint(ck);
    stage = 'write';
    const fd = openSync(tmp, 'w');
    try {
      writeFully(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    stage = 'verify';
    if (!readFileSync(tmp).equals(bytes)) throw new Error(`${tmp} does not read back as written`);
    stage = 'rename into place';
    renameSync(tmp, file);
    fsyncDir(dir);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // not created, or already renamed
    }
    if (e instanceof CheckpointError) throw e;
    const err = new CheckpointError(`could not ${stage} checkpoint ${file}: ${describeFsError(e)}`);
    err.code = (e as NodeJS.ErrnoException).code;
    throw err;
  }
}

export function readCheckpointFile(file: string): Checkpoint {
  if (!existsSync(file)) throw new CheckpointError(`checkpoint not found: ${file}`);
  return decodeCheckpoint(readFileSync(file), file);
}

/** File name of the checkpoint of `step`. */
export function checkpointName(step: number): string {
  return `step-${String(step).padStart(7, '0')}${CHECKPOINT_EXT}`;
}

/** Checkpoint files in a folder, newest step first. */
export function listCheckpoints(dir: string): { file: string; step: number }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => /^step-(\d+)\.ckpt$/.exec(f))
    .filter((m): m is RegExpExecArray => m != null)
    .map((m) => ({ file: path.join(dir, m[0]), step: Number(m[1]) }))
    .sort((a, b) => b.step - a.step);
}

/** Deletes all but the newest `keep` checkpoints (and stale temp files). */
export function pruneCheckpoints(dir: string, keep: number): string[] {
  const removed: string[] = [];
  for (const c of listCheckpoints(dir).slice(Math.max(1, keep))) {
    unlinkSync(c.file);
    removed.push(c.file);
  }
  for (const f of existsSync(dir) ? readdirSync(dir) : []) {
    if (/\.ckpt\.tmp-\d+$/.test(f) && !f.endsWith(`.tmp-${process.pid}`)) {
      try {
        unlinkSync(path.join(dir, f));
      } catch {
        // another process may own it
      }
    }
  }
  return removed;
}

/**
 * The newest checkpoint of a folder that reads back intact. Broken ones are reported through
 * `warn` (truncated by a crash, corrupted on disk) and skipped.
 */
export function loadLatestCheckpoint(
  dir: string,
  warn: (msg: string) => void = () => {},
): { file: string; checkpoint: Checkpoint } {
  const all = listCheckpoints(dir);
  if (all.length === 0) throw new CheckpointError(`no checkpoint in ${dir}`);
  const errors: string[] = [];
  for (const c of all) {
    try {
      return { file: c.file, checkpoint: readCheckpointFile(c.file) };
    } catch (e) {
      const msg = (e as Error).message;
      errors.push(msg);
      warn(`skipping checkpoint ${c.file}: ${msg}; trying the previous one`);
    }
  }
  throw new CheckpointError(`no readable checkpoint in ${dir}:\n  ${errors.join('\n  ')}`);
}
