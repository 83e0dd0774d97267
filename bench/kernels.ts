// Micro-benchmark of the native convolution and matmul kernels on the dcgan28 shapes at batch 64
// (BENCHMARKS.md, src/bench/dcgan28.ts): prints ms per call and GFLOP/s for each. Not a test.
// Run: node --import tsx bench/kernels.ts [--reps 10] [--only substring]
import { tf } from '../src/index.js';

interface Case {
  name: string;
  flops: number; // multiply-adds x 2
  run: () => tf.Tensor;
}

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1]! : def;
}

const B = Number(arg('batch', '64'));
const reps = Number(arg('reps', '10'));
const only = arg('only', '');

const rand = (shape: number[]) => tf.randomUniform(shape, -1, 1, 'float32');
const keep: tf.Tensor[] = [];
const t = (shape: number[]) => {
  const x = rand(shape);
  keep.push(x);
  return x;
};

// D conv1: [B,28,28,1] * [4,4,1,64] s2 same -> [B,14,14,64]; D conv2: [B,14,14,64] * [4,4,64,128] -> [B,7,7,128].
const x1 = t([B, 28, 28, 1]) as tf.Tensor4D;
const f1 = t([4, 4, 1, 64]) as tf.Tensor4D;
const y1 = t([B, 14, 14, 64]) as tf.Tensor4D;
const x2 = t([B, 14, 14, 64]) as tf.Tensor4D;
const f2 = t([4, 4, 64, 128]) as tf.Tensor4D;
const y2 = t([B, 7, 7, 128]) as tf.Tensor4D;
const b64 = t([64]) as tf.Tensor1D;
const b128 = t([128]) as tf.Tensor1D;
const z = t([B, 100]) as tf.Tensor2D;
const w1 = t([100, 6272]) as tf.Tensor2D;
const h = t([B, 6272]) as tf.Tensor2D;
const w2 = t([6272, 1]) as tf.Tensor2D;
const dh = t([B, 6272]) as tf.Tensor2D;

// Conv2DBackpropFilter has no public op: run the kernel as conv2d's gradient does.
const filterGrad = (x: tf.Tensor, dy: tf.Tensor, filterShape: number[]) =>
  tf
    .engine()
    .runKernel(
      'Conv2DBackpropFilter',
      { x, dy },
      { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape },
    ) as tf.Tensor;

const conv1 = 2 * B * 14 * 14 * 64 * 16;
const conv2 = 2 * B * 7 * 7 * 128 * 1024;
const cases: Case[] = [
  {
    name: 'FusedConv2D D1 [B,28,28,1]*[4,4,1,64] s2',
    flops: conv1,
    run: () => tf.fused.conv2d({ x: x1, filter: f1, strides: 2, pad: 'same', bias: b64 }),
  },
  {
    name: 'FusedConv2D D2 [B,14,14,64]*[4,4,64,128] s2',
    flops: conv2,
    run: () => tf.fused.conv2d({ x: x2, filter: f2, strides: 2, pad: 'same', bias: b128 }),
  },
  { name: 'Conv2DBackpropFilter D1 (dW [4,4,1,64])', flops: conv1, run: () => filterGrad(x1, y1, [4, 4, 1, 64]) },
  { name: 'Conv2DBackpropFilter D2 (dW [4,4,64,128])', flops: conv2, run: () => filterGrad(x2, y2, [4, 4, 64, 128]) },
  {
    name: 'Conv2DBackpropInput D2 / G deconv1 -> [B,14,14,64]',
    flops: conv2,
    run: () => tf.conv2dTranspose(y2, f2, [B, 14, 14, 64], 2, 'same'),
  },
  {
    name: 'Conv2DBackpropInput D1 / G deconv2 -> [B,28,28,1]',
    flops: conv1,
    run: () => tf.conv2dTranspose(y1, f1, [B, 28, 28, 1], 2, 'same'),
  },
  {
    name: '_FusedMatMul G dense [B,100]x[100,6272]',
    flops: 2 * B * 100 * 6272,
    run: () => tf.fused.matMul({ a: z, b: w1, bias: t([6272]) }),
  },
  {
    name: 'BatchMatMul dW dense1 [100,B]x[B,6272]',
    flops: 2 * B * 100 * 6272,
    run: () => tf.matMul(z, dh, true, false),
  },
  { name: '_FusedMatMul D dense [B,6272]x[6272,1]', flops: 2 * B * 6272, run: () => tf.fused.matMul({ a: h, b: w2 }) },
  {
    name: 'BatchMatMul dx dense2 [B,1]x[1,6272]',
    flops: 2 * B * 6272,
    run: () => tf.matMul(tf.ones([B, 1]), w2, false, true),
  },
];

console.log(`backend ${tf.getBackend()}, batch ${B}, ${reps} reps; wall ms (best, median), GFLOP/s at the best,`);
console.log('and process CPU ms per call (all threads; on a shared machine the best wall time is the fairest figure)');
for (const c of cases) {
  if (only && !c.name.includes(only)) continue;
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < reps + 5; i++) {
    const u0 = process.cpuUsage();
    const t0 = performance.now();
    const y = c.run();
    y.dataSync();
    const dt = performance.now() - t0;
    const du = process.cpuUsage(u0);
    y.dispose();
    if (i >= 5) {
      times.push(dt);
      cpu.push((du.user + du.system) / 1000);
    }
  }
  times.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const best = times[0]!;
  const med = times[Math.floor(times.length / 2)]!;
  const gflops = (c.flops / best / 1e6).toFixed(1);
  console.log(
    `${c.name.padEnd(52)} ${best.toFixed(2).padStart(7)} ${med.toFixed(2).padStart(7)} ms ${gflops.padStart(6)} GFLOP/s  cpu ${cpu[0]!.toFixed(2)} ms`,
  );
}
for (const k of keep) k.dispose();
