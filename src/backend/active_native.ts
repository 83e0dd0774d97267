// The active tfjs backend when it is tsgan's native one, found by its registered name: layers and
// optimizers take their fused paths through it without importing the backend module itself, which
// loads the Node addon. So the layer files (src/nn/) also bundle for a browser page, where the
// check simply finds no native backend and the tfjs reference paths run.
import * as tf from '@tensorflow/tfjs-core';

import type { NativeBackend } from './native_backend.js';

/** The name the native backend registers under (src/backend/native_backend.ts). */
export const NATIVE_BACKEND_NAME = 'native';

/** The active backend if it is the native one, else null. */
export function activeNativeBackend(): NativeBackend | null {
  return tf.getBackend() === NATIVE_BACKEND_NAME ? (tf.backend() as unknown as NativeBackend) : null;
}
