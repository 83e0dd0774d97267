// Output locations: folders created one level at a time, files written through a temporary file
// that is renamed into place when complete (and removed when anything fails), and file-system
// errors turned into sentences that name the path ("the file system is read-only", "it is a folder").
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  type Stats,
  writeSync,
} from 'node:fs';
import path from 'node:path';

/** The reason of a file-system error in words (falls back to the error's own message). */
export function fsReason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'EROFS':
      return 'the file system is read-only';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'the disk is full';
    case 'EDQUOT':
      return 'the disk quota is exceeded';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOENT':
      return 'a folder on the path does not exist';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    default:
      return e instanceof Error ? e.message : String(err);
  }
}

function statOrNull(p: string): Stats | null {
  try {
    return statSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null; // missing, or below a file (reported by the caller)
    throw new Error(`cannot look at '${p}': ${fsReason(e)}`);
  }
}

/** Creates `dir` and its missing parents one level at a time; errors name `dir` and the reason. */
export function ensureFolder(dir: string): void {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  for (let p = abs; ; ) {
    const st = statOrNull(p);
    if (st) {
      if (!st.isDirectory()) throw new Error(`cannot create the folder '${dir}': '${p}' is a file, not a folder`);
      break;
    }
    missing.push(p);
    const up = path.dirname(p);
    if (up === p) break;
    p = up;
  }
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && statOrNull(m)?.isDirectory()) continue;
      // ENOENT here means the parent exists but refuses new entries (e.g. a virtual file system).
      const why = code === 'ENOENT' ? 'the file system does not allow creating it' : fsReason(e);
      throw new Error(`cannot create the folder '${dir}': ${why}`);
    }
  }
}

/** Checks that `file` can be written as a file (it is not a folder) and creates its folder. */
export function prepareOutputFile(file: string): void {
  if (statOrNull(file)?.isDirectory())
    throw new Error(
      `cannot write '${file}': it is an existing folder; give a file name such as ${path.join(file, 'out.png')}`,
    );
  ensureFolder(path.dirname(file));
}

/** Marks the signal handlers of AtomicFileWriter (several writers may be open at once). */
const CLEANUP = Symbol('tsgan temporary file cleanup');

/**
 * A file written in pieces through a temporary file next to it: `commit()` renames it
 * into place, `abort()` (or any failed write) removes it, so no half-written file is ever left.
 */
export class AtomicFileWriter {
  /** The temporary file being written. */
  readonly tmp: string;
  private fd: number | null;
  /** Signal handlers installed by `cleanupOnSignal` (removed on commit/abort). */
  private readonly handlers: [NodeJS.Signals, () => void][] = [];

  /**
   * `cleanupOnSignal`: for long writes, SIGINT/SIGTERM/SIGHUP remove the temporary file and then end
   * the process as the signal would have; only where nothing else handles that signal.
   */
  constructor(
    readonly file: string,
    opts: { cleanupOnSignal?: boolean } = {},
  ) {
    prepareOutputFile(file);
    this.tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
    try {
      this.fd = openSync(this.tmp, 'w');
    } catch (e) {
      throw new Error(`cannot write '${file}': ${fsReason(e)}`);
    }
    if (opts.cleanupOnSignal) {
      for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
        if (process.listeners(sig).some((l) => !(CLEANUP in l))) continue; // someone else handles it
        const h = Object.assign(
          () => {
            this.abort();
            process.kill(process.pid, sig); // no handler left: the default action ends the process
          },
          { [CLEANUP]: true },
        );
        process.once(sig, h);
        this.handlers.push([sig, h]);
      }
    }
  }

  private release(): void {
    for (const [sig, h] of this.handlers.splice(0)) process.removeListener(sig, h);
  }

  /** Appends bytes (all of them: short writes are continued). */
  write(bytes: Uint8Array): void {
    if (this.fd === null) throw new Error(`'${this.file}' is already closed`);
    try {
      for (let off = 0; off < bytes.length; ) off += writeSync(this.fd, bytes, off, bytes.length - off);
    } catch (e) {
      this.abort();
      throw new Error(`cannot write '${this.file}': ${fsReason(e)}`);
    }
  }

  /** Closes the temporary file (after an fsync when `sync`) and renames it to the target. */
  commit(sync = false): void {
    if (this.fd === null) throw new Error(`'${this.file}' is already closed`);
    try {
      if (sync) fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = null;
      renameSync(this.tmp, this.file);
      this.release();
    } catch (e) {
      this.abort();
      throw new Error(`cannot write '${this.file}': ${fsReason(e)}`);
    }
  }

  /** Closes and removes the temporary file (safe to call more than once). */
  abort(): void {
    this.release();
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed by the system; the file is removed below
      }
      this.fd = null;
    }
    rmSync(this.tmp, { force: true });
  }
}

/** Writes bytes to `file` atomically (temporary file, then rename), creating folders. */
export function writeFileAtomic(file: string, bytes: Uint8Array): void {
  const w = new AtomicFileWriter(file);
  w.write(bytes);
  w.commit();
}
