// The convolutions of pix2pix's 64x64 U-Net (ngf 64: six 4x4 stride-2 encoder convolutions and six
// transposed decoder convolutions), each forward, input gradient and filter gradient, timed by the
// CPU time of the process (robust on a shared machine when the engine runs one thread). The same
// layers in PyTorch: bench/torch_unet_convs.py. Not a test.
// Run: TSGAN_NUM_THREADS=1 node --import tsx bench/unet_convs.ts [--batch 1]
//      /usr/bin/python3 bench/torch_unet_convs.py --batch 1 --threads 1
import { tf } from '../src/index.js';
import { cpuMs } from './cpu_time.js';

const i = process.argv.indexOf('--batch');
const N = i >= 0 ? Number(process.argv[i + 1]) : 1;
// [input side, input channels, output channels]
const ENCODER: [number, number, number][] = [
  [64, 3, 64],
  [32, 64, 128],
  [16, 128, 256],
  [8, 256, 512],
  [4, 512, 512],
  [2, 512, 512],
];
const DECODER: [number, number, number][] = [
  [1, 512, 512],
  [2, 1024, 512],
  [4, 1024, 256],
  [8, 512, 128],
  [16, 256, 64],
  [32, 128, 3],
];

const filterGrad = (x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: number[]) => () =>
  tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
    strides: 2,
    pad: 'same',
    dataFormat: 'NHWC',
    filterShape,
  } as unknown as tf.NamedAttrMap) as tf.Tensor;

let total = 0;
for (const [h, ci, co] of ENCODER) {
  const x = tf.randomNormal([N, h, h, ci]) as tf.Tensor4D; // [N, h, h, ci]
  const w = tf.randomNormal([4, 4, ci, co]) as tf.Tensor4D;
  const dy = tf.randomNormal([N, Math.ceil(h / 2), Math.ceil(h / 2), co]) as tf.Tensor4D; // [N, h/2, h/2, co]
  const f = cpuMs(() => tf.conv2d(x, w, 2, 'same'));
  const bi = cpuMs(() => tf.conv2dTranspose(dy, w, x.shape, 2, 'same'));
  const bf = cpuMs(filterGrad(x, dy, [4, 4, ci, co]));
  total += f + bi + bf;
  console.log(
    `encoder ${h}x${h}x${ci} -> ${co}: forward ${f.toFixed(2)} ms, input grad ${bi.toFixed(2)}, filter grad ${bf.toFixed(2)}`,
  );
}
for (const [h, ci, co] of DECODER) {
  const x = tf.randomNormal([N, h, h, ci]) as tf.Tensor4D; // [N, h, h, ci]
  const w = tf.randomNormal([4, 4, co, ci]) as tf.Tensor4D;
  const out: [number, number, number, number] = [N, 2 * h, 2 * h, co];
  const dy = tf.randomNormal(out) as tf.Tensor4D; // [N, 2h, 2h, co]
  const f = cpuMs(() => tf.conv2dTranspose(x, w, out, 2, 'same'));
  const bi = cpuMs(() => tf.conv2d(dy, w, 2, 'same'));
  const bf = cpuMs(filterGrad(dy, x, [4, 4, co, ci]));
  total += f + bi + bf;
  console.log(
    `decoder ${h}x${h}x${ci} -> ${co}: forward ${f.toFixed(2)} ms, input grad ${bi.toFixed(2)}, filter grad ${bf.toFixed(2)}`,
  );
}
console.log(`all 36 convolutions, batch ${N}: ${total.toFixed(1)} ms of CPU (${tf.getBackend()})`);
