// WebGPU test helpers: the webgpu backend for tests (Dawn; on CI machines Mesa's software Vulkan,
// lavapipe) and a native-vs-webgpu runner. Without an adapter the webgpu tests skip with the reason,
// unless TSGAN_REQUIRE_WEBGPU=1 (set by .ci/run), where a missing adapter fails them.
import { tf } from '../../src/index.js';
import { NATIVE_BACKEND } from '../../src/backend/native_backend.js';
import { registerWebGPUBackend, type WebGPURegistration } from '../../src/backend/webgpu/setup.js';

let registration: Promise<WebGPURegistration | string> | null = null;

/** Registers the webgpu backend once per process; resolves to the registration or the reason it failed. Leaves `native` active. */
export function webgpuForTests(): Promise<WebGPURegistration | string> {
  registration ??= (async () => {
    try {
      const r = await registerWebGPUBackend();
      return r;
    } catch (e) {
      if (process.env.TSGAN_REQUIRE_WEBGPU === '1') throw e;
      return (e as Error).message;
    } finally {
      await tf.setBackend(NATIVE_BACKEND);
    }
  })();
  return registration;
}

export interface Input {
  values: Float32Array;
  shape: number[];
}

/** Runs `fn` on `backend` with tensors made there from plain arrays; returns the outputs' values (async readback). */
export async function runOn(
  backend: string,
  inputs: Input[],
  fn: (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[],
): Promise<Float32Array[]> {
  const prev = tf.getBackend();
  await tf.setBackend(backend);
  try {
    const outs = tf.tidy(() => {
      const xs = inputs.map((i) => tf.tensor(i.values, i.shape, 'float32'));
      const o = fn(...xs);
      return Array.isArray(o) ? o : [o];
    });
    const vals = await Promise.all(outs.map(async (o) => Float32Array.from((await o.data()) as Float32Array)));
    tf.dispose(outs);
    return vals;
  } finally {
    await tf.setBackend(prev);
  }
}

/** Norm-wise relative error ||a - b|| / max(||b||, tiny). */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    num += d * d;
    den += b[i]! * b[i]!;
  }
  return Math.sqrt(num / Math.max(den, 1e-30));
}
