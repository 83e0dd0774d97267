// Stride-2 convolutions (the 4x4 stride-2 layers of DCGAN, pix2pix and the text-to-image networks,
// CycleGAN's 3x3 stride-2 down- and up-sampling) on the native backend: forward (Conv2D and FusedConv2D),
// input gradient (conv2dTranspose, a generator's forward) and filter gradient against tfjs cpu, with
// odd sizes, 'same' / 'valid' / explicit pads, batch 1 and more, channel counts that are no multiple
// of 8 and output channels that fill the SGEMM's 32-column AVX-512 kernel and leave a partial sliver.
// And the switches: the SGEMM's AVX-512 kernel (native/gemm_avx512.cc), which a CPU with AVX-512F runs
// unless TSGAN_AVX512=0 (both kernels sum in the same order: the same bits), and the implicit GEMM of
// the strided forward convolution (native/implicit_conv.*), taken with the AVX-512 SGEMM unless
// TSGAN_IMPLICIT_CONV=0 (it sums the filter rows in another grouping than im2col's: other low bits).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { childJson, convKernelsOnBothBackends, type Pad } from '../helpers/conv_paths.js';
import { assertParity, rng } from '../helpers/parity.js';

interface Case {
  x: [number, number, number, number]; // [N, H, W, Cin]
  k: number;
  co: number;
  pad: Pad;
}

const CASES: Case[] = [
  { x: [1, 16, 16, 32], k: 4, co: 64, pad: 'same' }, // text-to-image's second D layer at batch 1
  { x: [5, 8, 8, 64], k: 4, co: 128, pad: 'same' }, // its third, 80 output pixels (no multiple of 6)
  { x: [2, 9, 11, 3], k: 4, co: 40, pad: 'same' }, // an RGB first layer, odd sizes, 32 + 8 columns
  { x: [3, 7, 10, 12], k: 4, co: 33, pad: 'valid' },
  { x: [2, 13, 9, 20], k: 3, co: 48, pad: 'same' }, // CycleGAN's down-sampling shape, small
  {
    x: [1, 12, 12, 24],
    k: 3,
    co: 70,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
  { x: [1, 6, 6, 40], k: 4, co: 40, pad: 'same' }, // 9 output pixels: the few-pixel GEMMs
  { x: [1, 10, 10, 256], k: 4, co: 80, pad: 'same' }, // a 4096-value patch: the implicit GEMM's column blocks
];

test('stride-2 convolutions: forward, fused bias + relu and both gradients match tfjs cpu', () => {
  const r = rng(2024);
  for (const c of CASES) {
    const res = convKernelsOnBothBackends(r, { ...c, strides: 2 }, { activation: 'relu' });
    assertParity(res, 1e-4, `stride-2 conv x [${c.x}] k ${c.k} -> ${c.co}, pad ${JSON.stringify(c.pad)}`);
  }
});

test('the SGEMM runs its AVX-512 kernel where the CPU has AVX-512F, the AVX2 one under TSGAN_AVX512=0, same bits', () => {
  const script = `
    import { tf } from './src/index.js';
    import { loadNativeAddon } from './src/backend/native_addon.js';
    await tf.setBackend('native');
    const x = tf.randomUniform([3, 16, 16, 24], -1, 1, 'float32', 7);
    const f = tf.randomUniform([4, 4, 24, 72], -1, 1, 'float32', 8);
    const y = tf.conv2d(x, f, 2, 'same');
    const dx = tf.conv2dTranspose(y, f, x.shape, 2, 'same');
    const dw = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: y }, { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape: [4, 4, 24, 72] });
    const bits = [y, dx, dw].map((t) => Buffer.from(t.dataSync().buffer).toString('base64'));
    console.log(JSON.stringify({ gemm: loadNativeAddon().addon.info().gemm, bits }));`;
  type Out = { gemm: string; bits: string[] };
  // The implicit GEMM (taken only with the AVX-512 SGEMM) is off in both: only the register kernel differs.
  const on = childJson<Out>(script, { TSGAN_AVX512: '1', TSGAN_IMPLICIT_CONV: '0' });
  const off = childJson<Out>(script, { TSGAN_AVX512: '0', TSGAN_IMPLICIT_CONV: '0' });
  const cpuinfo = (() => {
    try {
      return readFileSync('/proc/cpuinfo', 'utf8');
    } catch {
      return '';
    }
  })();
  const avx2 = / avx2( |$)/m.test(cpuinfo) && / fma( |$)/m.test(cpuinfo);
  const avx512 = / avx512f( |$)/m.test(cpuinfo);
  if (process.arch === 'x64' && cpuinfo !== '' && process.env.TSGAN_SIMD !== 'portable') {
    assert.equal(on.gemm, avx512 && avx2 ? 'avx512' : avx2 ? 'avx2' : 'portable', 'the kernel the CPU flags call for');
    assert.equal(off.gemm, avx2 ? 'avx2' : 'portable', 'TSGAN_AVX512=0 keeps the AVX2 kernel');
  }
  assert.deepEqual(on.bits, off.bits, 'forward, input and filter gradient: the same bits from either kernel');
});

test('a 4x4 stride-2 forward convolution takes the implicit GEMM with the AVX-512 SGEMM (TSGAN_IMPLICIT_CONV=0 in a child)', () => {
  const script = `
    import { tf } from './src/index.js';
    import { loadNativeAddon } from './src/backend/native_addon.js';
    await tf.setBackend('native');
    const x = tf.randomUniform([2, 16, 16, 48], -1, 1, 'float32', 7);
    const f = tf.randomUniform([4, 4, 48, 64], -1, 1, 'float32', 8);
    const y = tf.conv2d(x, f, 2, 'same');
    console.log(JSON.stringify({ gemm: loadNativeAddon().addon.info().gemm, y: Buffer.from(y.dataSync().buffer).toString('base64') }));`;
  type Out = { gemm: string; y: string };
  const on = childJson<Out>(script, { TSGAN_IMPLICIT_CONV: '1' });
  const off = childJson<Out>(script, { TSGAN_IMPLICIT_CONV: '0' });
  assert.equal(on.gemm, off.gemm);
  if (on.gemm === 'avx512') assert.notEqual(on.y, off.y, 'the implicit GEMM gives other low bits than im2col');
  else assert.equal(on.y, off.y, 'without the AVX-512 SGEMM both runs take im2col');
});
