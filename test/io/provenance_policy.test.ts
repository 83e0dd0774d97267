// Policy check: every image tsgan writes goes through src/io (which labels it as GAN-generated).
// Image encoders used directly anywhere else in src/ would bypass the label.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (p.endsWith('.ts')) out.push(p);
  }
  return out;
}

test('no image encoder is used outside src/io (all images carry the synthetic label)', () => {
  const io = path.join('src', 'io') + path.sep;
  const patterns: [RegExp, string][] = [
    [/\.png\s*\(/, "sharp's .png()"],
    [/\.gif\s*\(/, "sharp's .gif()"],
    [/\.jpeg\s*\(|\.jpg\s*\(|\.webp\s*\(/, 'sharp JPEG/WebP output'],
    [/\.toFile\s*\(/, "sharp's .toFile()"],
    [/['"]gifenc['"]/, 'gifenc'],
    [/encodePngWithText\s*\(/, 'the unlabelled PNG encoder'],
  ];
  const offenders: string[] = [];
  const files = walk('src').filter((f) => !f.startsWith(io));
  assert.ok(files.length > 10, 'scanned the source tree');
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const [re, what] of patterns) if (re.test(text)) offenders.push(`${f}: ${what}`);
  }
  assert.deepEqual(
    offenders,
    [],
    `write images through src/io/png.ts, grid.ts or anim.ts instead:\n${offenders.join('\n')}`,
  );
});
