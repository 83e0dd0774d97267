// Where a training step's native time goes: every function of the C++ addon wrapped with a timer
// (wall time per call, so a kernel that runs on the pool counts once), summed by kernel, or by kernel
// and its shape arguments with --shapes. What the step spends outside these calls is JavaScript
// (tfjs's engine and tape, the model's glue). Not a test.
// Run: TSGAN_NUM_THREADS=N node --import tsx bench/native_census.ts stylegan|cyclegan1|cyclegan4|pix2pix1|text2image [--shapes]
import { loadNativeAddon } from '../src/backend/native_addon.js';
import '../src/index.js';
import { CENSUS_STEPS, runCensusSteps } from './census_steps.js';

const which = process.argv[2] ?? 'stylegan';
const byShape = process.argv.includes('--shapes');
if (!CENSUS_STEPS.includes(which)) {
  console.error(`native_census: unknown step '${which}' (one of ${CENSUS_STEPS.join(', ')})`);
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

// StyleGAN2's step is short: 21 steps (20 timed); the others 3.
const counted = which === 'stylegan' ? 21 : 3;
const stepMs = await runCensusSteps(which, counted, () => {
  counting.on = true;
});
counting.on = false;
const rows = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
const total = rows.reduce((s, [, v]) => s + v.ms, 0) / counted;
console.log(
  `${which}: step ${stepMs.toFixed(1)} ms (the bench's own timing), ${total.toFixed(1)} ms of it in native calls (${((100 * total) / stepMs).toFixed(0)}%)`,
);
for (const [k, v] of rows.slice(0, byShape ? 60 : 30))
  console.log(
    `${(v.ms / counted).toFixed(2).padStart(8)} ms/step ${String(Math.round((10 * v.calls) / counted) / 10).padStart(7)} calls  ${((1000 * v.ms) / v.calls).toFixed(1).padStart(8)} us/call  ${k}`,
  );
