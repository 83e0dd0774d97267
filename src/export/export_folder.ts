// Writing an export folder all at once: its files go into a temporary folder beside the target,
// which is renamed into place when every file is written; a failure removes it. The target must be
// absent, or a folder holding only files an export of the same kind writes (a previous export is
// replaced), so no unrelated folder is ever overwritten and nothing half-written is left.
import { existsSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { ensureFolder, fsReason } from '../io/files.js';

/**
 * Checks that `dir` can receive an export whose files satisfy `owned`: absent, or a folder holding
 * nothing else. Throws a sentence naming the path otherwise.
 */
export function checkExportFolder(dir: string, owned: (name: string) => boolean): void {
  const target = path.resolve(dir);
  if (!existsSync(target)) {
    let up = path.dirname(target);
    while (!existsSync(up)) up = path.dirname(up);
    if (!statSync(up).isDirectory()) throw new Error(`${dir}: cannot create the export folder: ${up} is a file`);
    return;
  }
  if (!statSync(target).isDirectory())
    throw new Error(`${dir}: is a file, not a folder; choose a folder path for the export`);
  const foreign = readdirSync(target).filter((e) => !owned(e));
  if (foreign.length) {
    const shown = foreign.slice(0, 3).join(', ') + (foreign.length > 3 ? `, … (${foreign.length} in all)` : '');
    throw new Error(`${dir}: the folder holds files other than an export (${shown}); choose a new or empty folder`);
  }
}

/** Writes `files` (name -> bytes or text) as the folder `dir`, atomically (see the file header). */
export function writeExportFolder(
  dir: string,
  files: Record<string, Uint8Array | string>,
  owned: (name: string) => boolean,
): void {
  checkExportFolder(dir, owned);
  const target = path.resolve(dir);
  const tmp = `${target}.tmp-${process.pid}-${Date.now()}`;
  ensureFolder(tmp);
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(path.join(tmp, name), content);
    if (existsSync(target)) {
      checkExportFolder(dir, owned); // checked again just before replacing
      rmSync(target, { recursive: true, force: true });
    }
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    const code = (e as { code?: string }).code;
    if (code && /^E[A-Z]+$/.test(code)) throw new Error(`${dir}: the export could not be written: ${fsReason(e)}`);
    throw e;
  }
}
