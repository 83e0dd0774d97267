// Which convolution shapes a training step runs, and the CPU time of each (Conv2D, FusedConv2D and
// both gradients, wrapped with a timer on the native backend). Not a test.
// Run: TSGAN_NUM_THREADS=1 node --import tsx bench/conv_census.ts text2image|cyclegan1|cyclegan4|pix2pix1|stylegan
import { tf } from '../src/index.js';
import { runCensusSteps } from './census_steps.js';

const KERNELS = ['Conv2D', 'FusedConv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter'];
const stats = new Map<string, { calls: number; ms: number; wall: number }>();
let counting = false;
for (const name of KERNELS) {
  const k = tf.getKernel(name, 'native');
  if (!k) continue;
  tf.unregisterKernel(name, 'native');
  const inner = k.kernelFunc;
  tf.registerKernel({
    ...k,
    kernelFunc: (args) => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      const out = inner(args);
      const wall = performance.now() - t0;
      const d = process.cpuUsage(c0);
      if (counting) {
        const a = args.attrs as Record<string, unknown>;
        const shapes = Object.values(args.inputs).map((t) => JSON.stringify((t as tf.Tensor).shape));
        const key = `${name} ${shapes.join(' ')} s${JSON.stringify(a.strides)}`;
        const s = stats.get(key) ?? { calls: 0, ms: 0, wall: 0 };
        s.calls++;
        s.ms += (d.user + d.system) / 1000;
        s.wall += wall;
        stats.set(key, s);
      }
      return out;
    },
  });
}

const which = process.argv[2] ?? 'text2image';
const steps = 3;
await runCensusSteps(which, steps, () => {
  counting = true;
});
const rows = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
const total = rows.reduce((s, [, v]) => s + v.ms, 0);
for (const [k, v] of rows)
  console.log(
    `${(v.ms / steps).toFixed(2).padStart(8)} ms/step CPU ${(v.wall / steps).toFixed(2).padStart(8)} wall ${String(v.calls / steps).padStart(4)} calls  ${k}`,
  );
const wall = rows.reduce((s, [, v]) => s + v.wall, 0);
console.log(
  `total ${(total / steps).toFixed(1)} ms/step of CPU (${(wall / steps).toFixed(1)} wall) in convolution kernels`,
);
