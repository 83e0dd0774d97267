// In-place updates of variables on the native backend: optimizers and moving averages write into
// a variable's own storage instead of allocating a new tensor per weight per step. Every helper
// returns false when it cannot (another backend, shared or non-float32 storage); the caller then
// runs its tfjs reference path.
import type * as tf from '@tensorflow/tfjs-core';

import { activeNativeBackend } from './active_native.js';
import type { NativeBackend } from './native_backend.js';

/** The variable's storage if it can be updated in place: float32 and referenced by this variable alone. */
export function writableF32(backend: NativeBackend, v: tf.Variable): Float32Array | null {
  if (v.dtype !== 'float32') return null;
  if (backend.refCount(v.dataId) !== 1) return null;
  const values = backend.data.get(v.dataId).values;
  return values instanceof Float32Array ? values : null;
}

/** A float32 tensor's values on the native backend (read only), or null. */
export function valuesF32(backend: NativeBackend, t: tf.Tensor): Float32Array | null {
  if (t.dtype !== 'float32') return null;
  const values = backend.data.get(t.dataId).values;
  return values instanceof Float32Array ? values : null;
}

/**
 * dst <- dst + (src - dst) * t in place by the native Lerp kernel (an exponential moving average
 * step with weight t on the new value). False, with nothing done, off the native backend or when
 * dst cannot be written in place or the sizes differ.
 */
export function lerpInPlace(dst: tf.Variable, src: tf.Tensor, t: number): boolean {
  const backend = activeNativeBackend();
  if (backend == null) return false;
  const dv = writableF32(backend, dst);
  const sv = valuesF32(backend, src);
  if (dv == null || sv == null || sv.length !== dv.length) return false;
  backend.run('Lerp', dv, sv, t);
  return true;
}
