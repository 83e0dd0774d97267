// The portable (non-AVX2) loops of the elementwise kernels and reductions agree with tfjs cpu too:
// a child process with TSGAN_SIMD=portable (the path machines without AVX2+FMA take) runs every
// unary and binary op, Select, AddN, FusedBatchNorm and the reductions on values with NaN/Inf and
// reports the worst relative error against cpu.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = pathToFileURL(path.join(root, 'src', 'index.ts')).href;

const script = `
import { tf, loadNativeAddon } from ${JSON.stringify(entry)};
let seed = 7;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const vals = (n, scale) => Float32Array.from({ length: n }, (_, i) => {
  const u = rnd();
  return u < 0.04 ? NaN : u < 0.06 ? Infinity : u < 0.08 ? -Infinity : (rnd() * 2 - 1) * scale;
});
const ops = {
  relu: (x) => tf.relu(x), relu6: (x) => tf.relu6(x), leakyRelu: (x) => tf.leakyRelu(x, 0.2), elu: (x) => tf.elu(x),
  selu: (x) => tf.selu(x), sigmoid: (x) => tf.sigmoid(x), tanh: (x) => tf.tanh(x), softplus: (x) => tf.softplus(x),
  exp: (x) => tf.exp(x), log: (x) => tf.log(x), sqrt: (x) => tf.sqrt(x), rsqrt: (x) => tf.rsqrt(x),
  square: (x) => tf.square(x), neg: (x) => tf.neg(x), abs: (x) => tf.abs(x), step: (x) => tf.step(x, 0.3),
  reciprocal: (x) => tf.reciprocal(x), erf: (x) => tf.erf(x),
  add: (x, y) => tf.add(x, y), sub: (x, y) => tf.sub(x, y), mul: (x, y) => tf.mul(x, y), div: (x, y) => tf.div(x, y),
  maximum: (x, y) => tf.maximum(x, y), minimum: (x, y) => tf.minimum(x, y), sqdiff: (x, y) => tf.squaredDifference(x, y),
  pow: (x, y) => tf.pow(x, y), prelu: (x, y) => tf.prelu(x, y), greater: (x, y) => tf.greater(x, y),
  lessEqual: (x, y) => tf.lessEqual(x, y), equal: (x, y) => tf.equal(x, y),
  where: (x, y) => tf.where(tf.greater(y, 0), x, y), addN: (x, y) => tf.addN([x, y, x]),
  batchNorm: (x, y) => tf.batchNorm(x, tf.reshape(tf.slice(y, [0, 0, 0], [1, 1, 9]), [9]), tf.abs(tf.reshape(tf.slice(y, [1, 0, 0], [1, 1, 9]), [9])), undefined, undefined, 1e-3),
  sum: (x) => tf.sum(x, [0, 1]), mean: (x) => tf.mean(x, 2), max: (x) => tf.max(x, [0, 2]), min: (x) => tf.min(x),
};
const shape = [40, 30, 9];
const n = shape[0] * shape[1] * shape[2];
const inputs = [vals(n, 6), vals(n, 6)];
const bShape = [30, 1];
const bVals = vals(30, 6);
const worst = {};
for (const [name, fn] of Object.entries(ops)) {
  const run = (backend) => {
    tf.setBackend(backend);
    tf.backend().firstUse = false;
    return tf.tidy(() => {
      const x = tf.tensor(inputs[0], shape);
      const y = ['addN', 'where', 'batchNorm'].includes(name) ? tf.tensor(inputs[1], shape) : tf.tensor(bVals, bShape);
      return Array.from(fn.length === 1 ? fn(x).dataSync() : fn(x, y).dataSync());
    });
  };
  const c = run('cpu');
  const v = run('native');
  let w = v.length === c.length ? 0 : Infinity;
  for (let i = 0; i < c.length && w !== Infinity; i++) {
    if (Number.isNaN(c[i])) { if (!Number.isNaN(v[i])) w = Infinity; continue; }
    if (!Number.isFinite(c[i])) { if (v[i] !== c[i]) w = Infinity; continue; }
    w = Math.max(w, Math.abs(v[i] - c[i]) / Math.max(1, Math.abs(c[i])));
  }
  worst[name] = w;
}
console.log(JSON.stringify({ simd: loadNativeAddon().addon.info().simd, worst }));
`;

test('with TSGAN_SIMD=portable every elementwise kernel and reduction matches cpu', () => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
    env: { ...process.env, TSGAN_SIMD: 'portable' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  assert.equal(r.status, 0, `child failed (exit ${r.status}):\n${r.stderr}`);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { simd: string; worst: Record<string, number> };
  assert.equal(out.simd, 'portable');
  assert.ok(Object.keys(out.worst).length >= 36, 'every op ran');
  for (const [name, w] of Object.entries(out.worst))
    assert.ok(w <= 1e-5, `${name}: worst relative error ${w} on the portable path`);
});
