// Reference statistics (mean and covariance of a dataset's features, what FID needs of the real
// side) cached in a file and reused: computing them means running the feature extractor over the
// whole dataset, which costs far more than the FID itself.
//
// File format (little-endian): the 8 bytes "TSGSTAT1", a uint32 byte length L, L bytes of UTF-8
// JSON header { key, dim, n, createdAt }, then dim float64 (mean) and dim*dim float64 (covariance,
// row-major). `key` names what the statistics are of (extractor, dataset, split, n); a file whose
// key differs is recomputed.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import type { GaussianStats } from './fid.js';

const MAGIC = 'TSGSTAT1';

export interface StatsHeader {
  key: string;
  dim: number;
  n: number;
  createdAt: string;
}

export function writeStatsFile(file: string, key: string, s: GaussianStats): void {
  const header = Buffer.from(
    JSON.stringify({ key, dim: s.dim, n: s.n, createdAt: new Date().toISOString() } satisfies StatsHeader),
  );
  const body = Buffer.alloc(8 * (s.dim + s.dim * s.dim));
  for (let i = 0; i < s.dim; i++) body.writeDoubleLE(s.mean[i], 8 * i);
  for (let i = 0; i < s.dim * s.dim; i++) body.writeDoubleLE(s.cov[i], 8 * (s.dim + i));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length, 0);
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, Buffer.concat([Buffer.from(MAGIC, 'latin1'), len, header, body]));
  renameSync(tmp, file);
}

export function readStatsFile(file: string): { header: StatsHeader; stats: GaussianStats } {
  const buf = readFileSync(file);
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== MAGIC)
    throw new Error(`${file}: not a tsgan statistics file`);
  const len = buf.readUInt32LE(8);
  if (12 + len > buf.length) throw new Error(`${file}: truncated header`);
  const header = JSON.parse(buf.toString('utf8', 12, 12 + len)) as StatsHeader;
  const d = header.dim;
  const off = 12 + len;
  if (buf.length !== off + 8 * (d + d * d))
    throw new Error(`${file}: expected ${8 * (d + d * d)} bytes of statistics for dim ${d}, got ${buf.length - off}`);
  const mean = new Float64Array(d);
  const cov = new Float64Array(d * d);
  for (let i = 0; i < d; i++) mean[i] = buf.readDoubleLE(off + 8 * i);
  for (let i = 0; i < d * d; i++) cov[i] = buf.readDoubleLE(off + 8 * (d + i));
  return { header, stats: { dim: d, n: header.n, mean, cov } };
}

/**
 * The statistics cached in `file` under `key`, or `compute()`d and written there when the file is
 * missing, unreadable or holds another key.
 */
export async function cachedReferenceStats(
  file: string,
  key: string,
  compute: () => GaussianStats | Promise<GaussianStats>,
): Promise<{ stats: GaussianStats; cached: boolean }> {
  if (existsSync(file)) {
    try {
      const { header, stats } = readStatsFile(file);
      if (header.key === key) return { stats, cached: true };
    } catch {
      // Unreadable: recompute and overwrite below.
    }
  }
  const stats = await compute();
  writeStatsFile(file, key, stats);
  return { stats, cached: false };
}
