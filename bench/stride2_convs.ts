// The stride-2 convolutions of the text-to-image, CycleGAN and DCGAN steps, each as the geometry of a
// forward convolution x [N, H, H, Cin] -> [N, H/2, H/2, Cout] (a transposed layer of a generator runs
// the same three kernels in other roles: its forward is the input gradient of one of these). For each:
// Conv2D (forward), Conv2DBackpropInput (input gradient; a transposed convolution's forward) and
// Conv2DBackpropFilter, timed by the CPU time of the process (the engine at one thread). The same
// shapes in PyTorch: bench/torch_stride2_convs.py. Not a test.
// Run: TSGAN_NUM_THREADS=1 node --import tsx bench/stride2_convs.ts [--only t2i,cyc1,cyc4,dcgan]
import { tf } from '../src/index.js';
import { cpuMs } from './cpu_time.js';

/** The median CPU ms of a call, its output not read back (see cpuMs). */
const cpuMsNoRead = (f: () => tf.Tensor) => cpuMs(f, { reps: 9, readBack: false });

// [group, batch, input side, input channels, output channels, kernel]
export const LAYERS: [string, number, number, number, number, number][] = [
  ['t2i', 64, 32, 3, 32, 4],
  ['t2i', 64, 16, 32, 64, 4],
  ['t2i', 64, 8, 64, 128, 4],
  ['cyc1', 1, 64, 64, 128, 3],
  ['cyc1', 1, 32, 128, 256, 3],
  ['cyc1', 1, 64, 3, 64, 4],
  ['cyc1', 1, 32, 64, 128, 4],
  ['cyc4', 4, 64, 64, 128, 3],
  ['cyc4', 4, 32, 128, 256, 3],
  ['cyc4', 4, 64, 3, 64, 4],
  ['cyc4', 4, 32, 64, 128, 4],
  ['dcgan', 64, 28, 1, 64, 4],
  ['dcgan', 64, 14, 64, 128, 4],
];

const i = process.argv.indexOf('--only');
const only = i >= 0 ? process.argv[i + 1]!.split(',') : null;
let total = 0;
for (const [group, n, h, ci, co, k] of LAYERS) {
  if (only && !only.includes(group)) continue;
  const x = tf.randomNormal([n, h, h, ci]) as tf.Tensor4D; // [N, H, H, Cin]
  const w = tf.randomNormal([k, k, ci, co]) as tf.Tensor4D; // [k, k, Cin, Cout]
  const dy = tf.randomNormal([n, Math.ceil(h / 2), Math.ceil(h / 2), co]) as tf.Tensor4D; // [N, H/2, H/2, Cout]
  const f = cpuMsNoRead(() => tf.conv2d(x, w, 2, 'same'));
  const bi = cpuMsNoRead(() => tf.conv2dTranspose(dy, w, x.shape, 2, 'same'));
  const bf = cpuMsNoRead(
    () =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
        strides: 2,
        pad: 'same',
        dataFormat: 'NHWC',
        filterShape: [k, k, ci, co],
      } as unknown as tf.NamedAttrMap) as tf.Tensor,
  );
  total += f + bi + bf;
  console.log(
    `${group} N=${n} ${h}x${h}x${ci} -> ${co} k${k}s2: forward ${f.toFixed(2)} ms, input grad ${bi.toFixed(2)}, filter grad ${bf.toFixed(2)}`,
  );
  tf.dispose([x, w, dy]);
}
console.log(`total ${total.toFixed(1)} ms of CPU (${tf.getBackend()})`);
