// The engine glue shared by the fused StyleGAN2 ops (stylegan_fused.ts, stylegan_fused_batch.ts):
// when the fused path may run, zero-copy values and tensors of the native backend, tf.customGrad
// with tensors kept for the backward pass without tfjs's save() (SavedTensors), an op whose input
// gradients are computed lazily, small native matrix products (and 1x1 convolutions as such), and
// scaled copies of small tensors.
import * as tf from '@tensorflow/tfjs-core';

import { activeNativeBackend } from '../backend/active_native.js';
import { valuesF32 } from '../backend/in_place.js';
import type { NativeBackend } from '../backend/native_backend.js';

/** Negative slope of StyleGAN2's leaky ReLU. */
export const LRELU_ALPHA = 0.2;

/** An absent optional array argument of a native kernel. */
export const EMPTY = new Float32Array(0);

type GradFn = (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[];
type CustomFn = (...args: unknown[]) => { value: tf.Tensor; gradFunc: GradFn };

interface TapeNode {
  outputs: tf.Tensor[];
  saved: tf.Tensor[];
}
interface EngineInternals {
  state: {
    gradientDepth: number;
    kernelDepth: number;
    activeTape: TapeNode[] | null;
    tensorInfo: { get(id: tf.DataId): { backend: { incRef(id: tf.DataId): void } } | undefined };
  };
  makeTensorFromTensorInfo(info: { dataId: tf.DataId; shape: number[]; dtype: tf.DataType }): tf.Tensor;
}

/**
 * The tensors a fused op keeps for its backward pass, held without tfjs's save(): save() runs an
 * Identity kernel and records a tape node for each tensor (about 300 of the ~820 engine calls of a
 * StyleGAN2 step). Each held tensor is a second handle on the same data (the backend's reference
 * count, as Identity's), kept, and after the op it joins the op's tape node's saved tensors, which
 * the engine disposes once the gradients are computed (exactly where save() puts its clones). Nothing
 * is held when no tape is recording (tfjs's save() is a no-op then too).
 */
class SavedTensors {
  readonly held: tf.Tensor[] = [];
  private readonly on: boolean;
  constructor() {
    // The engine's isTapeOn() at the op's call, before the op runs (its forward runs at kernelDepth 1).
    const st = (tf.engine() as unknown as EngineInternals).state;
    this.on = st.gradientDepth > 0 && st.kernelDepth === 0 && st.activeTape != null;
  }

  readonly save = (tensors: tf.Tensor[]): void => {
    if (!this.on) return;
    const engine = tf.engine() as unknown as EngineInternals;
    for (const t of tensors) {
      const info = engine.state.tensorInfo.get(t.dataId);
      if (info == null) throw new Error(`stylegan fused op: a tensor to keep for the gradient is disposed`);
      info.backend.incRef(t.dataId);
      this.held.push(tf.keep(engine.makeTensorFromTensorInfo({ dataId: t.dataId, shape: t.shape, dtype: t.dtype })));
    }
  };

  /** Hands the held tensors to the tape node of the op that returned `out` (the last node recorded). */
  attach(out: tf.Tensor): void {
    if (!this.on || this.held.length === 0) return;
    const tape = (tf.engine() as unknown as EngineInternals).state.activeTape;
    const node = tape?.[tape.length - 1];
    if (node?.outputs[0] !== out) {
      tf.dispose(this.held);
      throw new Error('stylegan fused op: its tape node was not the last one recorded (an unexpected tfjs engine)');
    }
    node.saved.push(...this.held);
  }
}

/**
 * tf.customGrad with untyped arguments (the last one is the save function); the saved tensors are
 * held by SavedTensors (the same lifetime as tfjs's save(), without its engine calls).
 */
export function custom(f: CustomFn): (...inputs: tf.Tensor[]) => tf.Tensor {
  return (...inputs: tf.Tensor[]) => {
    const keeper = new SavedTensors();
    const op = tf.customGrad(((...args: unknown[]) => {
      args.pop(); // tfjs's save function
      const res = f(...args, keeper.save);
      return { value: res.value, gradFunc: (dy: tf.Tensor | tf.Tensor[]) => res.gradFunc(dy, keeper.held) };
    }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (...xs: tf.Tensor[]) => tf.Tensor;
    const out = op(...inputs);
    keeper.attach(out);
    return out;
  };
}

/**
 * The native backend when the fused ops may run: it is active, every tensor is float32, and at most
 * one level of gradients is being recorded. Null otherwise (the reference paths run).
 */
export function fusedBackend(...ts: (tf.Tensor | null | undefined)[]): NativeBackend | null {
  const backend = activeNativeBackend();
  if (backend == null) return null;
  if ((tf.engine().state as unknown as { gradientDepth: number }).gradientDepth > 1) return null;
  for (const t of ts) if (t != null && t.dtype !== 'float32') return null;
  return backend;
}

/** A float32 tensor's values (zero-copy on the native backend). */
export function vals(backend: NativeBackend, t: tf.Tensor): Float32Array {
  return valuesF32(backend, t) ?? (t.dataSync() as Float32Array);
}

/** A tensor of the native backend around values a kernel filled. */
export function tensorOf(backend: NativeBackend, values: Float32Array, shape: number[]): tf.Tensor {
  return tf.engine().makeTensorFromTensorInfo(backend.makeTensorInfo(shape, 'float32', values));
}

/** The one gradient of a single-output op. */
export const first = (dy: tf.Tensor | tf.Tensor[]) => (Array.isArray(dy) ? dy[0]! : dy);

export type LazyGrads = Record<string, () => tf.Tensor>;
interface EngineWithKernelFunc {
  runKernelFunc(params: {
    forwardFunc: (backend: unknown, save: tf.GradSaveFunc) => tf.Tensor;
    backwardsFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => LazyGrads;
    inputs: Record<string, tf.Tensor>;
  }): tf.Tensor;
}

/**
 * Like tf.customGrad, but the gradient of each input is a function the engine calls only for inputs on
 * the path to the variables being trained (tf.customGrad computes every input's gradient). This is the
 * engine call tf.customGrad itself makes (tfjs-core 4.22); null where the engine has no such method.
 */
export function lazyGradOp(
  inputs: Record<string, tf.Tensor>,
  forward: (save: tf.GradSaveFunc) => tf.Tensor,
  backward: (dy: tf.Tensor, saved: tf.Tensor[]) => LazyGrads,
): tf.Tensor | null {
  const engine = tf.engine() as unknown as Partial<EngineWithKernelFunc>;
  if (typeof engine.runKernelFunc !== 'function') return null;
  const keeper = new SavedTensors();
  const out = engine.runKernelFunc({
    forwardFunc: () => forward(keeper.save),
    backwardsFunc: (dy) => backward(first(dy), keeper.held),
    inputs,
  });
  keeper.attach(out);
  return out;
}

/**
 * op(a) @ op(b) of two 2-D float32 tensors by the native BatchMatMul kernel called directly (tf.matMul
 * adds two reshapes and the engine's bookkeeping around it: most of the time of these small products).
 */
export function matmul2d(
  backend: NativeBackend,
  a: tf.Tensor,
  b: tf.Tensor,
  transposeA = false,
  transposeB = false,
): tf.Tensor2D {
  const m = transposeA ? a.shape[1]! : a.shape[0]!;
  const n = transposeB ? b.shape[0]! : b.shape[1]!;
  return matmulAs(backend, a, a.shape as [number, number], b, b.shape as [number, number], transposeA, transposeB, [
    m,
    n,
  ]) as tf.Tensor2D;
}

/**
 * op(a) @ op(b) with a read as an [ar, ac] matrix and b as [br, bc] (any tensors of those sizes, e.g.
 * NHWC activations as [N*H*W, C]), by the native BatchMatMul; the product gets `outShape`.
 */
export function matmulAs(
  backend: NativeBackend,
  a: tf.Tensor,
  aDims: [number, number],
  b: tf.Tensor,
  bDims: [number, number],
  transposeA: boolean,
  transposeB: boolean,
  outShape: number[],
): tf.Tensor {
  const m = transposeA ? aDims[1] : aDims[0];
  const n = transposeB ? bDims[0] : bDims[1];
  const out = backend.allocF32(m * n, false);
  backend.run(
    'BatchMatMul',
    vals(backend, a),
    vals(backend, b),
    out,
    [1, ...aDims],
    [1, ...bDims],
    transposeA,
    transposeB,
  );
  return tensorOf(backend, out, outShape);
}

/**
 * A 1x1 'same' convolution's three products as matrix products (x [N, H, W, Cin] read as [N*H*W, Cin],
 * the kernel [1, 1, Cin, Cout] as [Cin, Cout]): the convolution kernels take a slow path with one
 * input or output channel (the 32x32 toRGB layer's input gradient took 8.8 ms, D's fromRGB's 2.6 ms).
 */
export const conv1x1 = {
  forward: (backend: NativeBackend, x: tf.Tensor, k: tf.Tensor, [n, h, w, cin, cout]: number[]) =>
    matmulAs(backend, x, [n! * h! * w!, cin!], k, [cin!, cout!], false, false, [n!, h!, w!, cout!]),
  input: (backend: NativeBackend, dy: tf.Tensor, k: tf.Tensor, [n, h, w, cin, cout]: number[]) =>
    matmulAs(backend, dy, [n! * h! * w!, cout!], k, [cin!, cout!], false, true, [n!, h!, w!, cin!]),
  filter: (backend: NativeBackend, x: tf.Tensor, dy: tf.Tensor, [n, h, w, cin, cout]: number[]) =>
    matmulAs(backend, x, [n! * h! * w!, cin!], dy, [n! * h! * w!, cout!], true, false, [1, 1, cin!, cout!]),
};

/** out[i] = v[i] * k (its own function: one loop over Float32Arrays that V8 keeps optimized). */
function scaleInto(out: Float32Array, v: Float32Array, k: number): void {
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * k;
}

/**
 * t * k as a new tensor, computed here (small weight tensors: cheaper than an engine op). The shape is
 * read before the loop: with the loop inline, t's two kinds (variables, tensors) made V8 drop the
 * function's optimized code on nearly every call (about 20 ms of a 32x32 step at one thread).
 */
export function scaled(backend: NativeBackend, t: tf.Tensor, k: number): tf.Tensor {
  const shape = t.shape;
  const v = vals(backend, t);
  const out = backend.allocF32(v.length, false);
  scaleInto(out, v, k);
  return tensorOf(backend, out, shape);
}
