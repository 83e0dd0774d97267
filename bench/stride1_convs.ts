// The stride-1 convolutions of the residual networks (SRResNet's blocks and upsampling convolutions,
// CycleGAN's ResNet blocks at batch 4 and 1) and SRResNet's 9x9 output layer to 3 channels, each
// forward, input gradient and filter gradient, timed by the CPU time of the process (robust on a
// shared machine when the engine runs one thread). They take the Winograd (3x3) and few-output-channel
// (9x9 -> 3) paths; TSGAN_WINOGRAD=0 TSGAN_NARROW_CONV=0 times the im2col reference instead. The same
// convolutions in PyTorch: bench/torch_stride1_convs.py. Not a test.
// Run: TSGAN_NUM_THREADS=1 node --import tsx bench/stride1_convs.ts
//      /usr/bin/python3 bench/torch_stride1_convs.py --threads 1
import { tf } from '../src/index.js';
import { cpuMs } from './cpu_time.js';

// [batch, side, input channels, output channels, filter side]
export const CASES: [number, number, number, number, number][] = [
  [16, 16, 64, 64, 3],
  [16, 32, 64, 64, 3],
  [16, 16, 64, 256, 3],
  [16, 32, 64, 256, 3],
  [4, 16, 256, 256, 3],
  [1, 16, 256, 256, 3],
  [16, 64, 64, 3, 9],
];

await tf.setBackend('native');
for (const [n, h, ci, co, k] of CASES) {
  const x = tf.randomNormal([n, h, h, ci]) as tf.Tensor4D;
  const w = tf.randomNormal([k, k, ci, co]) as tf.Tensor4D;
  const dy = tf.randomNormal([n, h, h, co]) as tf.Tensor4D;
  const fwd = cpuMs(() => tf.conv2d(x, w, 1, 'same'));
  const bin = cpuMs(() => tf.conv2dTranspose(dy, w, x.shape, 1, 'same'));
  const bfil = cpuMs(
    () =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
        strides: 1,
        pad: 'same',
        dataFormat: 'NHWC',
        filterShape: [k, k, ci, co],
      } as unknown as tf.NamedAttrMap) as tf.Tensor,
  );
  console.log(
    `[${n},${h},${h},${ci}] -> ${co} (${k}x${k}): forward ${fwd.toFixed(1)} ms, input gradient ${bin.toFixed(1)} ms, filter gradient ${bfil.toFixed(1)} ms`,
  );
  tf.dispose([x, w, dy]);
}
