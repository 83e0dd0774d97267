// L1, PSNR and SSIM (src/metrics/image_quality.ts) against scikit-image and numpy in float64
// (fixtures from scripts/make_image_quality_fixtures.py), plus the defining properties.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { meanAbsoluteError, psnr, ssim } from '../../src/metrics/image_quality.js';

interface Case {
  name: string;
  shape: [number, number, number, number];
  a: string[];
  b: string[];
  ssim: number;
  psnr: number;
  l1: number;
}
const cases = JSON.parse(
  readFileSync(new URL('../fixtures/metrics/image_quality.json', import.meta.url), 'utf8'),
) as Case[];

for (const c of cases) {
  test(`image quality matches scikit-image / numpy: ${c.name}`, () => {
    const a = { data: Float64Array.from(c.a, Number), shape: c.shape };
    const b = { data: Float64Array.from(c.b, Number), shape: c.shape };
    const close = (x: number, y: number, what: string) =>
      assert.ok(Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y)), `${what}: ${x} vs ${y}`);
    close(ssim(a, b), c.ssim, 'SSIM');
    close(psnr(a, b), c.psnr, 'PSNR');
    close(meanAbsoluteError(a, b), c.l1, 'L1');
  });
}

test('SSIM is 1 for identical images and falls with noise; PSNR is symmetric; shape errors say so', () => {
  const shape: [number, number, number, number] = [1, 16, 16, 1];
  const a = Float64Array.from({ length: 256 }, (_, i) => Math.sin(i / 7));
  const noisy = (s: number) => a.map((v, i) => v + s * Math.sin(i * 12.9898) * 0.5);
  assert.equal(ssim({ data: a, shape }, { data: a, shape }), 1);
  const s1 = ssim({ data: a, shape }, { data: noisy(0.1), shape });
  const s2 = ssim({ data: a, shape }, { data: noisy(0.5), shape });
  assert.ok(s1 < 1 && s2 < s1, `${s1} ${s2}`);
  assert.equal(
    psnr({ data: a, shape }, { data: noisy(0.3), shape }),
    psnr({ data: noisy(0.3), shape }, { data: a, shape }),
  );
  assert.throws(() => ssim({ data: a, shape }, { data: a, shape: [1, 256, 1, 1] }), /differ in shape/);
  assert.throws(
    () =>
      ssim({ data: new Float64Array(64), shape: [1, 8, 8, 1] }, { data: new Float64Array(64), shape: [1, 8, 8, 1] }),
    /larger than its 11x11 window/,
  );
});
