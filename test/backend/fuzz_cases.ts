// Case generators of the fuzz test (fuzz.test.ts): random op cases, replayable from a seed.
import type * as tfTypes from '@tensorflow/tfjs-core';

type Tensor = tfTypes.Tensor;
type DType = 'float32' | 'int32' | 'bool';

/** One input tensor, as plain data so that it can be built on either backend. */
export interface InputSpec {
  shape: number[];
  dtype: DType;
  values: number[] | Float32Array | Int32Array;
}

/** One fuzz case: inputs plus the op to run on them. */
export interface FuzzCase {
  op: string;
  /** Attributes, printed with a failure. */
  desc: string;
  inputs: InputSpec[];
  fn: (...xs: Tensor[]) => Tensor | Tensor[];
  /** The reference computation on cpu, when it must differ from `fn` (default: `fn`). */
  cpuFn?: (...xs: Tensor[]) => Tensor | Tensor[];
  /**
   * Made invalid on purpose. tfjs cpu computes some of these anyway (a transpose with a repeated
   * axis, paddings shorter than the rank): native must then throw an Error or agree with cpu.
   */
  invalid?: boolean;
}

/** What a backend produced for a case: outputs, or the error it threw. */
export type Outcome =
  | { ok: true; outs: { shape: number[]; dtype: string; values: Float64Array }[] }
  | { ok: false; isError: boolean; message: string };

export interface Failure {
  seed: number;
  op: string;
  desc: string;
  message: string;
}

/** The child's report, printed as `FUZZ_RESULT {json}`. */
export interface FuzzResult {
  baseSeed: number;
  cases: number;
  valid: number;
  invalid: number;
  byOp: Record<string, number>;
  failures: Failure[];
  failureCount: number;
  addonCalls: number;
  addonErrors: number;
  addonFailures: string[];
  /** Cases where native left more tensors behind than cpu. */
  leakCases: number;
  /** Addon entry points that no op of the fuzz reached (no recorded call to mutate). */
  unreached: string[];
}

// ---------------------------------------------------------------------------------------------
// Random generation (mulberry32, so that a seed replays a case exactly).

export class Rand {
  private a: number;
  constructor(readonly seed: number) {
    this.a = seed >>> 0;
  }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  shape(rank: number, lo = 1, hi = 6): number[] {
    return Array.from({ length: rank }, () => this.int(lo, hi));
  }
}

const SPECIALS = [NaN, Infinity, -Infinity, 0, -0, 1e-30, -1e30, 88.8, -103];

function values(r: Rand, shape: number[], dtype: DType, specials = false): InputSpec {
  const n = shape.reduce((a, b) => a * b, 1);
  if (dtype === 'bool') return { shape, dtype, values: Array.from({ length: n }, () => (r.chance(0.5) ? 1 : 0)) };
  if (dtype === 'int32') return { shape, dtype, values: Int32Array.from({ length: n }, () => r.int(-9, 9)) };
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = specials && r.chance(0.08) ? r.pick(SPECIALS) : r.next() * 4 - 2;
  return { shape, dtype, values: v };
}

/** A shape that broadcasts against `shape` (or, with probability `bad` per dim, one that does not). */
function broadcastPartner(r: Rand, shape: number[], bad: number): { shape: number[]; invalid: boolean } {
  const rank = r.int(0, Math.min(shape.length + 1, 5));
  const out: number[] = [];
  let invalid = false;
  for (let i = 0; i < rank; i++) {
    const j = shape.length - rank + i;
    const d = j >= 0 ? shape[j]! : r.int(1, 3);
    if (r.chance(0.35)) out.push(1);
    else if (r.chance(bad)) {
      out.push(d + r.int(1, 2));
      invalid = true;
    } else out.push(d);
  }
  return { shape: out, invalid };
}

const ACTIVATIONS = ['linear', 'relu', 'relu6', 'elu', 'leakyrelu', 'sigmoid', 'prelu'] as const;

function loadTf(): typeof tfTypes {
  return globalThis.__tsganFuzzTf as typeof tfTypes;
}
declare global {
  // eslint-disable-next-line no-var
  var __tsganFuzzTf: unknown;
}

// ---------------------------------------------------------------------------------------------
// Case generators. Each may produce an invalid case on purpose (wrong channel count, bad axis,
// non-broadcastable shapes, bad permutation...): then both backends must throw an Error.

type Gen = (r: Rand) => FuzzCase;

function convGeometry(r: Rand) {
  const n = r.int(1, 3);
  const h = r.int(1, 11);
  const w = r.int(1, 11);
  const cin = r.int(1, 5);
  const cout = r.int(1, 5);
  const kh = r.int(1, 4);
  const kw = r.int(1, 4);
  let strides: [number, number] = [r.int(1, 3), r.int(1, 3)];
  let dil: [number, number] = [1, 1];
  if (r.chance(0.3)) {
    dil = [r.int(1, 3), r.int(1, 3)];
    // tfjs: strides or dilations must be 1; break it now and then.
    if (!r.chance(0.1)) strides = [1, 1];
  }
  const padKind = r.pick(['same', 'valid', 'valid', 'same', 'explicit'] as const);
  const pad: 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]] =
    padKind === 'explicit'
      ? [
          [0, 0],
          [r.int(0, 2), r.int(0, 2)],
          [r.int(0, 2), r.int(0, 2)],
          [0, 0],
        ]
      : padKind;
  const badChannels = r.chance(0.05);
  return { n, h, w, cin, cout, kh, kw, strides, dil, pad, badChannels };
}

const genConv2d: Gen = (r) => {
  const g = convGeometry(r);
  // tfjs has no conv gradient for dilations > 1.
  const grad = r.chance(0.6) && g.dil[0] === 1 && g.dil[1] === 1;
  const x = values(r, [g.n, g.h, g.w, g.cin], 'float32');
  const f = values(r, [g.kh, g.kw, g.badChannels ? g.cin + 1 : g.cin, g.cout], 'float32');
  return {
    op: grad ? 'conv2d+grads' : 'conv2d',
    invalid: g.badChannels,
    desc: JSON.stringify({ x: x.shape, f: f.shape, strides: g.strides, pad: g.pad, dil: g.dil }),
    inputs: [x, f],
    fn: (xt, ft) => {
      const tf = loadTf();
      const conv = (a: Tensor, b: Tensor) =>
        tf.conv2d(a as tfTypes.Tensor4D, b as tfTypes.Tensor4D, g.strides, g.pad, 'NHWC', g.dil);
      if (!grad) return conv(xt!, ft!);
      const y = conv(xt!, ft!);
      const dx = tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.square(conv(a, b))))([xt!, ft!]);
      return [y, ...dx];
    },
  };
};

const genConv2dTranspose: Gen = (r) => {
  const n = r.int(1, 3);
  const h = r.int(1, 8);
  const w = r.int(1, 8);
  const cin = r.int(1, 5);
  const cout = r.int(1, 5);
  const k = r.int(1, 4);
  const s = r.int(1, 3);
  const pad = r.pick(['same', 'valid'] as const);
  let oh = pad === 'same' ? h * s : (h - 1) * s + k;
  const ow = pad === 'same' ? w * s : (w - 1) * s + k;
  const badOut = r.chance(0.05);
  if (badOut) oh += r.int(1, 3); // inconsistent output shape
  const badIn = r.chance(0.04);
  const x = values(r, [n, h, w, cin], 'float32');
  const f = values(r, [k, k, cout, badIn ? cin + 1 : cin], 'float32');
  const grad = r.chance(0.5);
  return {
    op: grad ? 'conv2dTranspose+grads' : 'conv2dTranspose',
    invalid: badOut || badIn,
    desc: JSON.stringify({ x: x.shape, f: f.shape, out: [n, oh, ow, cout], s, pad }),
    inputs: [x, f],
    fn: (xt, ft) => {
      const tf = loadTf();
      const ct = (a: Tensor, b: Tensor) =>
        tf.conv2dTranspose(a as tfTypes.Tensor4D, b as tfTypes.Tensor4D, [n, oh, ow, cout], s, pad);
      const y = ct(xt!, ft!);
      if (!grad) return y;
      return [y, ...tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.square(ct(a, b))))([xt!, ft!])];
    },
  };
};

const genFusedConv2d: Gen = (r) => {
  const g = convGeometry(r);
  const act = r.pick(ACTIVATIONS);
  const x = values(r, [g.n, g.h, g.w, g.cin], 'float32');
  const f = values(r, [g.kh, g.kw, g.badChannels ? g.cin + 1 : g.cin, g.cout], 'float32');
  const bias = values(r, r.chance(0.8) ? [g.cout] : [], 'float32');
  const alpha = values(r, [g.cout], 'float32');
  const leak = r.next();
  const grad = r.chance(0.5) && act !== 'prelu' && g.dil[0] === 1 && g.dil[1] === 1;
  return {
    op: grad ? 'fused.conv2d+grads' : 'fused.conv2d',
    invalid: g.badChannels,
    desc: JSON.stringify({ x: x.shape, f: f.shape, bias: bias.shape, act, strides: g.strides, pad: g.pad, dil: g.dil }),
    inputs: [x, f, bias, alpha],
    fn: (xt, ft, bt, at) => {
      const tf = loadTf();
      const run = (a: Tensor, b: Tensor, c: Tensor) =>
        tf.fused.conv2d({
          x: a as tfTypes.Tensor4D,
          filter: b as tfTypes.Tensor4D,
          strides: g.strides,
          pad: g.pad,
          dilations: g.dil,
          bias: c,
          activation: act,
          preluActivationWeights: act === 'prelu' ? at : undefined,
          leakyreluAlpha: leak,
        });
      const y = run(xt!, ft!, bt!);
      if (!grad) return y;
      return [y, ...tf.grads((a: Tensor, b: Tensor, c: Tensor) => tf.sum(tf.square(run(a, b, c))))([xt!, ft!, bt!])];
    },
  };
};

function matMulShapes(r: Rand) {
  const m = r.int(1, 9);
  const k = r.int(1, 17);
  const n = r.int(1, 9);
  const batchRank = r.int(0, 2);
  const batch = r.shape(batchRank, 1, 3);
  const batchB = batch.map((d) => (r.chance(0.3) ? 1 : d));
  const batchA = r.chance(0.3) ? batch.map(() => 1) : batch;
  const ta = r.chance(0.4);
  const tb = r.chance(0.4);
  const kb = r.chance(0.04) ? k + 1 : k;
  const a = [...batchA, ...(ta ? [k, m] : [m, k])];
  const b = [...(r.chance(0.2) ? [] : batchB), ...(tb ? [n, kb] : [kb, n])];
  // tfjs cpu's BatchMatMul indexes the flattened batch modulo each side's batch size, which is wrong
  // when a size-1 batch dim is followed by a larger one ([3,2] against [3,1]). So the cpu reference
  // broadcasts both operands to the full batch shape first (tf.broadcastTo is right on cpu).
  const bBatch = b.slice(0, -2);
  const pad = (xs: number[]) => [...Array(batch.length - xs.length).fill(1), ...xs] as number[];
  const full = pad(batchA).map((d, i) => Math.max(d, pad(bBatch)[i]!));
  const broadcast = JSON.stringify(a.slice(0, -2)) !== JSON.stringify(b.slice(0, -2));
  const fullA = [...full, ...a.slice(-2)];
  const fullB = [...full, ...b.slice(-2)];
  return { a, b, ta, tb, n, broadcast, fullA, fullB, invalid: kb !== k };
}

const genMatMul: Gen = (r) => {
  const s = matMulShapes(r);
  // tfjs's BatchMatMul gradient does not reduce broadcast batch dims: no gradient there.
  const grad = r.chance(0.5) && !s.broadcast;
  return {
    op: grad ? 'matMul+grads' : 'matMul',
    invalid: s.invalid,
    desc: JSON.stringify({ a: s.a, b: s.b, ta: s.ta, tb: s.tb }),
    inputs: [values(r, s.a, 'float32'), values(r, s.b, 'float32')],
    fn: (at, bt) => {
      const tf = loadTf();
      const mm = (a: Tensor, b: Tensor) => tf.matMul(a, b, s.ta, s.tb);
      const y = mm(at!, bt!);
      if (!grad) return y;
      return [y, ...tf.grads((a: Tensor, b: Tensor) => tf.sum(tf.square(mm(a, b))))([at!, bt!])];
    },
    cpuFn: s.broadcast
      ? (at, bt) => {
          const tf = loadTf();
          return tf.matMul(tf.broadcastTo(at!, s.fullA), tf.broadcastTo(bt!, s.fullB), s.ta, s.tb);
        }
      : undefined,
  };
};

const genFusedMatMul: Gen = (r) => {
  const s = matMulShapes(r);
  const act = r.pick(ACTIVATIONS);
  const bias = values(r, r.pick([[s.n], [1], [], [1, s.n]]), 'float32');
  const alpha = values(r, [s.n], 'float32');
  const leak = r.next();
  const grad = r.chance(0.5) && act !== 'prelu' && !s.broadcast;
  return {
    op: grad ? 'fused.matMul+grads' : 'fused.matMul',
    invalid: s.invalid,
    desc: JSON.stringify({ a: s.a, b: s.b, ta: s.ta, tb: s.tb, bias: bias.shape, act }),
    inputs: [values(r, s.a, 'float32'), values(r, s.b, 'float32'), bias, alpha],
    // No cpu reference of its own: tfjs's fused.matMul rejects the batch broadcasts that cpu's
    // BatchMatMul gets wrong (flattened batch sizes that do not broadcast), on both backends.
    fn: (at, bt, ct, pt) => {
      const tf = loadTf();
      const run = (a: Tensor, b: Tensor, c: Tensor) =>
        tf.fused.matMul({
          a,
          b,
          transposeA: s.ta,
          transposeB: s.tb,
          bias: c,
          activation: act,
          preluActivationWeights: act === 'prelu' ? pt : undefined,
          leakyreluAlpha: leak,
        });
      const y = run(at!, bt!, ct!);
      if (!grad) return y;
      return [y, ...tf.grads((a: Tensor, b: Tensor, c: Tensor) => tf.sum(tf.square(run(a, b, c))))([at!, bt!, ct!])];
    },
  };
};

const BINARY = [
  'add',
  'sub',
  'mul',
  'div',
  'maximum',
  'minimum',
  'pow',
  'squaredDifference',
  'floorDiv',
  'mod',
  'greater',
  'greaterEqual',
  'less',
  'lessEqual',
  'equal',
  'notEqual',
  'atan2',
  'divNoNan',
  'prelu',
] as const;

const genBinary: Gen = (r) => {
  const op = r.pick(BINARY);
  const a = r.shape(r.int(0, 5), 1, 5);
  const { shape: b, invalid: badShape } = broadcastPartner(r, a, 0.06);
  const swap = r.chance(0.5);
  const intOk = !['atan2', 'prelu', 'pow'].includes(op);
  const dtype: DType = intOk && r.chance(0.2) ? 'int32' : 'float32';
  const dtypeB: DType = r.chance(0.03) ? (dtype === 'int32' ? 'float32' : 'int32') : dtype; // mismatch: invalid
  const grad =
    dtype === 'float32' &&
    dtypeB === 'float32' &&
    r.chance(0.4) &&
    ['add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'squaredDifference', 'prelu'].includes(op);
  const xa = values(r, swap ? b : a, dtype, !grad);
  const xb = values(r, swap ? a : b, dtypeB, !grad);
  return {
    op: grad ? `${op}+grads` : op,
    invalid: badShape || dtypeB !== dtype,
    desc: JSON.stringify({ a: xa.shape, b: xb.shape, dtype, dtypeB }),
    inputs: [xa, xb],
    fn: (at, bt) => {
      const tf = loadTf();
      const f = (x: Tensor, y: Tensor) => (tf[op] as (p: Tensor, q: Tensor) => Tensor)(x, y);
      const y = f(at!, bt!);
      if (!grad) return y;
      return [y, ...tf.grads((x: Tensor, z: Tensor) => tf.sum(tf.mul(f(x, z), f(x, z))))([at!, bt!])];
    },
  };
};

const UNARY = [
  'relu',
  'relu6',
  'elu',
  'selu',
  'sigmoid',
  'tanh',
  'exp',
  'log',
  'sqrt',
  'rsqrt',
  'square',
  'abs',
  'neg',
  'softplus',
  'step',
  'sin',
  'cos',
  'reciprocal',
  'log1p',
  'expm1',
  'erf',
  'sign',
  'floor',
  'ceil',
  'round',
  'logSigmoid',
  'leakyRelu',
  'clipByValue',
  'isNaN',
  'isFinite',
  'softmax',
  'logSoftmax',
] as const;

const genUnary: Gen = (r) => {
  const op = r.pick(UNARY);
  const shape = r.shape(r.int(op === 'softmax' || op === 'logSoftmax' ? 1 : 0, 5), 1, 7);
  const intOk = ['relu', 'abs', 'neg', 'square', 'sign', 'step', 'relu6'].includes(op);
  const dtype: DType = intOk && r.chance(0.15) ? 'int32' : 'float32';
  const grad =
    dtype === 'float32' && r.chance(0.4) && !['isNaN', 'isFinite', 'floor', 'ceil', 'round', 'sign'].includes(op);
  const x = values(r, shape, dtype, !grad);
  const alpha = r.next();
  const lo = r.next() * 2 - 1.5;
  const hi = lo + r.next() * 2;
  const f = (t: Tensor): Tensor => {
    const tf = loadTf();
    if (op === 'leakyRelu') return tf.leakyRelu(t, alpha);
    if (op === 'clipByValue') return tf.clipByValue(t, lo, hi);
    if (op === 'step') return tf.step(t, alpha);
    return (tf[op] as (p: Tensor) => Tensor)(t);
  };
  return {
    op: grad ? `${op}+grad` : op,
    desc: JSON.stringify({ x: shape, dtype }),
    inputs: [x],
    fn: (t) => {
      const tf = loadTf();
      const y = f(t!);
      if (!grad) return y;
      return [y, tf.grad((a: Tensor) => tf.sum(tf.mul(f(a), f(a))))(t!)];
    },
  };
};

const REDUCE = [
  'sum',
  'mean',
  'max',
  'min',
  'prod',
  'argMax',
  'argMin',
  'logSumExp',
  'any',
  'all',
  'moments',
  'euclideanNorm',
] as const;

const genReduce: Gen = (r) => {
  const op = r.pick(REDUCE);
  const rank = r.int(op === 'argMax' || op === 'argMin' ? 1 : 0, 5);
  const shape = r.shape(rank, 1, 6);
  const bool = op === 'any' || op === 'all';
  const dtype: DType = bool
    ? 'bool'
    : ['sum', 'max', 'min', 'prod'].includes(op) && r.chance(0.15)
      ? 'int32'
      : 'float32';
  let axis: number | number[] | undefined;
  const badAxis = r.chance(0.04);
  if (op === 'argMax' || op === 'argMin') axis = badAxis ? rank : r.int(-rank, rank - 1);
  else if (r.chance(0.2)) axis = undefined;
  else if (r.chance(0.5)) axis = badAxis ? rank + r.int(0, 2) : r.int(-Math.max(rank, 1), Math.max(rank - 1, 0));
  else axis = [...new Set(Array.from({ length: r.int(1, Math.max(rank, 1)) }, () => r.int(0, Math.max(rank - 1, 0))))];
  const keepDims = r.chance(0.4);
  const grad = dtype === 'float32' && r.chance(0.4) && ['sum', 'mean', 'max', 'min', 'logSumExp'].includes(op);
  const specials = !grad && op !== 'argMax' && op !== 'argMin';
  const f = (t: Tensor): Tensor | Tensor[] => {
    const tf = loadTf();
    if (op === 'argMax' || op === 'argMin') return tf[op](t, axis as number);
    if (op === 'moments') {
      const m = tf.moments(t, axis, keepDims);
      return [m.mean, m.variance];
    }
    return (tf[op] as (p: Tensor, a?: number | number[], k?: boolean) => Tensor)(t, axis, keepDims);
  };
  return {
    op: grad ? `${op}+grad` : op,
    invalid: badAxis,
    desc: JSON.stringify({ x: shape, dtype, axis, keepDims }),
    inputs: [values(r, shape, dtype, specials)],
    fn: (t) => {
      const tf = loadTf();
      const y = f(t!);
      if (!grad) return y;
      return [y as Tensor, tf.grad((a: Tensor) => tf.sum(tf.square(f(a) as Tensor)))(t!)];
    },
  };
};

const genBatchNorm: Gen = (r) => {
  const rank = r.int(2, 4);
  const shape = r.shape(rank, 1, 6);
  const c = shape[rank - 1]!;
  let badParam = false;
  const pshape = (): number[] => {
    if (r.chance(0.15)) return shape.slice();
    if (r.chance(0.04)) {
      badParam = true;
      return [c + 1];
    }
    return [c];
  };
  const x = values(r, shape, 'float32');
  const mean = values(r, pshape(), 'float32');
  const variance = values(r, pshape(), 'float32');
  for (let i = 0; i < variance.values.length; i++) variance.values[i] = Math.abs(variance.values[i]!) + 0.1;
  const withOffset = r.chance(0.7);
  const withScale = r.chance(0.7);
  const offset = values(r, pshape(), 'float32');
  const scale = values(r, pshape(), 'float32');
  const eps = r.pick([1e-3, 1e-5, 0.1]);
  const grad = r.chance(0.5);
  return {
    op: grad ? 'batchNorm+grads' : 'batchNorm',
    invalid: badParam,
    desc: JSON.stringify({
      x: shape,
      mean: mean.shape,
      variance: variance.shape,
      offset: withOffset && offset.shape,
      scale: withScale && scale.shape,
      eps,
    }),
    inputs: [x, mean, variance, offset, scale],
    fn: (xt, mt, vt, ot, st) => {
      const tf = loadTf();
      const bn = (a: Tensor, o: Tensor, s: Tensor) =>
        tf.batchNorm(a, mt!, vt!, withOffset ? o : undefined, withScale ? s : undefined, eps);
      const y = bn(xt!, ot!, st!);
      if (!grad) return y;
      // Differentiate only with respect to the inputs that are used.
      const dx = tf.grad((a: Tensor) => tf.sum(tf.square(bn(a, ot!, st!))))(xt!);
      const dOffset = withOffset ? [tf.grad((o: Tensor) => tf.sum(tf.square(bn(xt!, o, st!))))(ot!)] : [];
      const dScale = withScale ? [tf.grad((s: Tensor) => tf.sum(tf.square(bn(xt!, ot!, s))))(st!)] : [];
      return [y, dx, ...dOffset, ...dScale];
    },
  };
};

const genTranspose: Gen = (r) => {
  const rank = r.int(0, 6);
  const shape = r.shape(rank, 1, 5);
  const perm = Array.from({ length: rank }, (_, i) => i);
  for (let i = rank - 1; i > 0; i--) {
    const j = r.int(0, i);
    [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  }
  const badPerm = rank > 1 && r.chance(0.05);
  if (badPerm) perm[r.int(1, rank - 1)] = r.chance(0.5) ? rank : perm[0]!; // not a permutation
  const dtype: DType = r.pick(['float32', 'float32', 'int32', 'bool'] as const);
  const grad = dtype === 'float32' && r.chance(0.3);
  return {
    op: grad ? 'transpose+grad' : 'transpose',
    invalid: badPerm,
    desc: JSON.stringify({ x: shape, perm, dtype }),
    inputs: [values(r, shape, dtype)],
    fn: (t) => {
      const tf = loadTf();
      const y = tf.transpose(t!, perm);
      if (!grad) return y;
      return [y, tf.grad((a: Tensor) => tf.sum(tf.square(tf.transpose(a, perm))))(t!)];
    },
  };
};

const genPad: Gen = (r) => {
  const rank = r.int(1, 5);
  const shape = r.shape(rank, 1, 5);
  const paddings: [number, number][] = shape.map(() => [r.int(0, 3), r.int(0, 3)]);
  const short = r.chance(0.04);
  if (short) paddings.pop(); // wrong length
  const negative = paddings.length > 0 && r.chance(0.03);
  if (negative) paddings[0]![0] = -1;
  const dtype: DType = r.chance(0.2) ? 'int32' : 'float32';
  const constant = dtype === 'int32' ? r.int(-3, 3) : r.next();
  const grad = dtype === 'float32' && r.chance(0.3);
  const mirror = !grad && r.chance(0.2);
  const mode = r.pick(['reflect', 'symmetric'] as const);
  return {
    op: mirror ? 'mirrorPad' : grad ? 'pad+grad' : 'pad',
    invalid: short || negative,
    desc: JSON.stringify({ x: shape, paddings, dtype, constant, mode: mirror ? mode : undefined }),
    inputs: [values(r, shape, dtype)],
    fn: (t) => {
      const tf = loadTf();
      if (mirror) return tf.mirrorPad(t!, paddings, mode);
      const y = tf.pad(t!, paddings, constant);
      if (!grad) return y;
      return [y, tf.grad((a: Tensor) => tf.sum(tf.square(tf.pad(a, paddings, constant))))(t!)];
    },
  };
};

/** Shape-moving ops that compose the others: tile, concat, slice, reshape, cast, select, depthwise/pool. */
const genMisc: Gen = (r) => {
  const kind = r.pick([
    'tile',
    'concat',
    'slice',
    'cast',
    'where',
    'depthwiseConv2d',
    'maxPool',
    'avgPool',
    'addN',
  ] as const);
  const rank = r.int(1, 4);
  const shape = r.shape(rank, 1, 5);
  const x = values(r, shape, 'float32');
  switch (kind) {
    case 'tile': {
      const reps = shape.map(() => r.int(1, 3));
      return { op: kind, desc: JSON.stringify({ x: shape, reps }), inputs: [x], fn: (t) => loadTf().tile(t!, reps) };
    }
    case 'concat': {
      const axis = r.int(-rank, rank - 1);
      const other = shape.slice();
      other[(axis + rank) % rank] = r.int(1, 4);
      const bad = rank > 1 && r.chance(0.05);
      if (bad) other[(axis + rank + 1) % rank]! += 1;
      return {
        op: kind,
        invalid: bad,
        desc: JSON.stringify({ a: shape, b: other, axis }),
        inputs: [x, values(r, other, 'float32')],
        fn: (a, b) => loadTf().concat([a!, b!], axis),
      };
    }
    case 'slice': {
      const begin = shape.map((d) => r.int(0, d - 1));
      const size = shape.map((d, i) => (r.chance(0.2) ? -1 : r.int(1, d - begin[i]!)));
      return {
        op: kind,
        desc: JSON.stringify({ x: shape, begin, size }),
        inputs: [x],
        fn: (t) => loadTf().slice(t!, begin, size),
      };
    }
    case 'cast': {
      const to = r.pick(['int32', 'bool', 'float32'] as const);
      return {
        op: kind,
        desc: JSON.stringify({ x: shape, to }),
        inputs: [values(r, shape, 'float32', true)],
        fn: (t) => loadTf().cast(t!, to),
      };
    }
    case 'where': {
      const c = values(r, shape, 'bool');
      const bad = r.chance(0.05);
      return {
        op: kind,
        invalid: bad,
        desc: JSON.stringify({ x: shape, bad }),
        inputs: [c, x, values(r, bad ? [...shape, 2] : shape, 'float32')],
        fn: (ct, a, b) => loadTf().where(ct!, a!, b!),
      };
    }
    case 'addN': {
      const k = r.int(1, 4);
      return {
        op: kind,
        desc: JSON.stringify({ x: shape, k }),
        inputs: Array.from({ length: k }, () => values(r, shape, 'float32')),
        fn: (...ts) => loadTf().addN(ts),
      };
    }
    default: {
      const n = r.int(1, 2);
      const h = r.int(1, 9);
      const w = r.int(1, 9);
      const c = r.int(1, 4);
      const k = r.int(1, 3);
      const s = r.int(1, 2);
      const pad = r.pick(['same', 'valid'] as const);
      const xi = values(r, [n, h, w, c], 'float32');
      if (kind === 'depthwiseConv2d') {
        const mult = r.int(1, 2);
        const f = values(r, [k, k, c, mult], 'float32');
        return {
          op: kind,
          desc: JSON.stringify({ x: xi.shape, f: f.shape, s, pad }),
          inputs: [xi, f],
          fn: (a, b) => {
            const tf = loadTf();
            const d = (p: Tensor, q: Tensor) =>
              tf.depthwiseConv2d(p as tfTypes.Tensor4D, q as tfTypes.Tensor4D, s, pad);
            return [d(a!, b!), ...tf.grads((p: Tensor, q: Tensor) => tf.sum(tf.square(d(p, q))))([a!, b!])];
          },
        };
      }
      return {
        op: kind,
        desc: JSON.stringify({ x: xi.shape, k, s, pad }),
        inputs: [xi],
        fn: (a) => {
          const tf = loadTf();
          const p = (q: Tensor) => (tf[kind] as typeof tf.avgPool)(q as tfTypes.Tensor4D, k, s, pad);
          return [p(a!), tf.grad((q: Tensor) => tf.sum(tf.square(p(q))))(a!)];
        },
      };
    }
  }
};

/** Generators with their weights: the hot kernels most often. */
// Gather (axis, batch dimensions, indices sometimes out of range), segment sums (ids sometimes
// outside [0, numSegments)), split (sizes with -1, sometimes not adding up) and the boolean ops.
const genIndexing: Gen = (r) => {
  const kind = r.pick(['gather', 'unsortedSegmentSum', 'split', 'logical'] as const);
  const rank = r.int(1, 4);
  const shape = r.shape(rank, 1, 5);
  const x = values(r, shape, 'float32', true);
  switch (kind) {
    case 'gather': {
      const axis = r.int(-rank, rank - 1);
      const ax = (axis + rank) % rank;
      const batchDims = r.chance(0.3) ? r.int(0, ax) : 0;
      const idxShape = [...shape.slice(0, batchDims), ...r.shape(r.int(0, 2), 1, 4)];
      const bad = r.chance(0.05);
      const n = idxShape.reduce((a, b) => a * b, 1);
      const idx = Int32Array.from({ length: n }, () => r.int(0, shape[ax]! - 1));
      if (bad && n > 0) idx[r.int(0, n - 1)] = r.chance(0.5) ? -1 : shape[ax]!;
      return {
        op: kind,
        invalid: bad && n > 0,
        desc: JSON.stringify({ x: shape, idx: idxShape, axis, batchDims, bad }),
        inputs: [x, { shape: idxShape, dtype: 'int32', values: idx }],
        fn: (t, i) => loadTf().gather(t!, i!, axis, batchDims),
      };
    }
    case 'unsortedSegmentSum': {
      // Finite values only: tfjs cpu computes each segment as sum(mask * x), so a NaN or infinity in
      // any row turns every segment into NaN; native adds each row to its own segment only (as
      // TensorFlow does). gather_segment_sum.test.ts checks that case on its own.
      x.values = values(r, shape, 'float32').values;
      const segs = r.int(1, 6);
      const ids = Int32Array.from({ length: shape[0]! }, () =>
        r.chance(0.1) ? r.pick([-1, segs]) : r.int(0, segs - 1),
      );
      return {
        op: kind,
        desc: JSON.stringify({ x: shape, segs, ids: Array.from(ids) }),
        inputs: [x, { shape: [shape[0]!], dtype: 'int32', values: ids }],
        fn: (t, i) => loadTf().unsortedSegmentSum(t!, i!, segs),
      };
    }
    case 'split': {
      const axis = r.int(-rank, rank - 1);
      const d = shape[(axis + rank) % rank]!;
      const parts = r.int(1, 3);
      const sizes = Array.from({ length: parts }, () => 0);
      for (let i = 0; i < d; i++) sizes[r.int(0, parts - 1)]! += 1;
      if (parts > 1 && r.chance(0.3)) sizes[r.int(0, parts - 1)] = -1;
      const bad = r.chance(0.05);
      if (bad) sizes[0]! += 1;
      return {
        op: kind,
        invalid: bad,
        desc: JSON.stringify({ x: shape, sizes, axis }),
        inputs: [x],
        fn: (t) => loadTf().split(t!, sizes, axis),
      };
    }
    case 'logical': {
      const other = r.chance(0.3) ? [] : shape;
      return {
        op: kind,
        desc: JSON.stringify({ a: shape, b: other }),
        inputs: [values(r, shape, 'bool'), values(r, other, 'bool')],
        fn: (a, b) => [loadTf().logicalNot(a!), loadTf().logicalAnd(a!, b!), loadTf().logicalOr(b!, a!)],
      };
    }
  }
};

const GENERATORS: [Gen, number][] = [
  [genConv2d, 4],
  [genConv2dTranspose, 2],
  [genFusedConv2d, 3],
  [genMatMul, 3],
  [genFusedMatMul, 3],
  [genBinary, 5],
  [genUnary, 4],
  [genReduce, 4],
  [genBatchNorm, 2],
  [genTranspose, 2],
  [genPad, 2],
  [genMisc, 2],
  [genIndexing, 2],
];

export function pickGenerator(r: Rand): Gen {
  const total = GENERATORS.reduce((a, [, w]) => a + w, 0);
  let x = r.next() * total;
  for (const [g, w] of GENERATORS) {
    x -= w;
    if (x < 0) return g;
  }
  return GENERATORS[0]![0];
}
