// Where a training step's native time goes: every function of the C++ addon wrapped with a timer
// (wall time per call, so a kernel that runs on the pool counts once), summed by kernel, or by kernel
// and its shape arguments with --shapes. What the step spends outside these calls is JavaScript
// (tfjs's engine and tape, the model's glue). Not a test.
// Run: TSGAN_NUM_THREADS=N node --import tsx bench/native_census.ts stylegan|cyclegan1|cyclegan4|pix2pix1|text2image [--shapes]
import { loadNativeAddon } from '../src/backend/native_addon.js';
import '../src/index.js';

const which = process.argv[2] ?? 'stylegan';
const byShape = process.argv.includes('--shapes');
const STEPS = ['stylegan', 'cyclegan1', 'cyclegan4', 'pix2pix1', 'text2image'];
if (!STEPS.includes(which)) {
  console.error(`native_census: unknown step '${which}' (one of ${STEPS.join(', ')})`);
  process.exit(1);
}
const addon = loadNativeAddon().addon as unknown as Record<string, unknown> | null;
if (!addon) {
  console.error('native_census: the native addon is not built (npm install)');
  process.exit(1);
}

const stats = new Map<string, { calls: number; ms: number }>();
const counting = { on: false };
for (const [name, fn] of Object.entries(addon)) {
  if (typeof fn !== 'function' || name === 'info' || name === 'setNumThreads') continue;
  const inner = fn as (...a: unknown[]) => unknown;
  addon[name] = (...args: unknown[]) => {
    if (!counting.on) return inner(...args);
    const t0 = performance.now();
    const out = inner(...args);
    const ms = performance.now() - t0;
    // The shape arguments: whatever is not a typed array (counts, dims, flags, shape lists).
    const key = byShape ? `${name} ${JSON.stringify(args.filter((a) => !ArrayBuffer.isView(a)))}` : name;
    const s = stats.get(key) ?? { calls: 0, ms: 0 };
    s.calls++;
    s.ms += ms;
    stats.set(key, s);
    return out;
  };
}

const steps = which === 'stylegan' ? 20 : 3;
let stepMs: number;
if (which === 'text2image') {
  const { benchText2Image } = await import('../src/bench/text2image.js');
  await benchText2Image({ peer: false, steps: 1, warmup: 1 }); // compiles and fills the buffer pool
  counting.on = true;
  stepMs = (await benchText2Image({ peer: false, steps, warmup: 0 })).train_ms_per_step;
} else if (which.startsWith('cyclegan') || which.startsWith('pix2pix')) {
  const { benchTranslation } = await import('../src/bench/translation.js');
  const model = which.startsWith('cyclegan') ? 'cyclegan' : 'pix2pix';
  const batch = Number(which.slice(model.length) || 1);
  await benchTranslation({ model, batch, steps: 1, warmup: 1, peer: false });
  counting.on = true;
  stepMs = (await benchTranslation({ model, batch, steps, warmup: 0, peer: false })).train_ms_per_step;
} else {
  const { benchStylegan } = await import('../src/bench/stylegan.js');
  await benchStylegan({ peer: false, steps: 1, warmup: 3 });
  counting.on = true;
  // Its one warm-up step is counted too: steps + 1 steps, timed over `steps`.
  stepMs = (await benchStylegan({ peer: false, steps, warmup: 1 })).train_ms_per_step;
}
counting.on = false;
const counted = which === 'stylegan' ? steps + 1 : steps;
const rows = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
const total = rows.reduce((s, [, v]) => s + v.ms, 0) / counted;
console.log(
  `${which}: step ${stepMs.toFixed(1)} ms (the bench's own timing), ${total.toFixed(1)} ms of it in native calls (${((100 * total) / stepMs).toFixed(0)}%)`,
);
for (const [k, v] of rows.slice(0, byShape ? 60 : 30))
  console.log(
    `${(v.ms / counted).toFixed(2).padStart(8)} ms/step ${String(Math.round((10 * v.calls) / counted) / 10).padStart(7)} calls  ${((1000 * v.ms) / v.calls).toFixed(1).padStart(8)} us/call  ${k}`,
  );
