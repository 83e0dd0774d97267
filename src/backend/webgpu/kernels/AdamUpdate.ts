// Adam's per-weight update on webgpu, in place (the counterpart of the native AdamUpdate kernel):
//   m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g^2;  w -= lr * (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps)
// Three dispatches that write into the existing buffers of m, v and w (a WebGPU binding is either
// read-only or the one read_write output, so one dispatch cannot update three buffers), instead of
// tf.train.adam's ~10 elementwise kernels with a fresh buffer each. Same float32 operation order as
// tfjs's reference update, so both paths agree to rounding.
import type * as tf from '@tensorflow/tfjs-core';

import { ceilDiv, MAX_WORKGROUPS_PER_DIM, type WebGPUBackendLike, type WebGPUProgramLike } from './program.js';

type Stage = 'm' | 'v' | 'w';

class AdamStageProgram implements WebGPUProgramLike {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  variableNames: string[];
  uniforms = 'beta : f32, oneMinusBeta : f32, lr : f32, epsilon : f32, oneMinusAcc1 : f32, oneMinusAcc2 : f32,';
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;

  constructor(
    readonly stage: Stage,
    n: number,
  ) {
    this.outputShape = [n];
    this.variableNames = stage === 'w' ? ['m', 'v'] : ['g'];
    const groups = ceilDiv(n, 64);
    this.dispatch =
      groups <= MAX_WORKGROUPS_PER_DIM
        ? [groups, 1, 1]
        : [MAX_WORKGROUPS_PER_DIM, ceilDiv(groups, MAX_WORKGROUPS_PER_DIM), 1];
    this.shaderKey = `tsganAdam_${stage}`;
  }

  getUserCode(): string {
    const body: Record<Stage, string> = {
      // result is m (read, then written in place)
      m: 'result[index] = result[index] * uniforms.beta + g[index] * uniforms.oneMinusBeta;',
      v: 'result[index] = result[index] * uniforms.beta + (g[index] * g[index]) * uniforms.oneMinusBeta;',
      // result is w; as tfjs: w + (-lr) * ((m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps))
      w: `let mh = m[index] / uniforms.oneMinusAcc1;
        let vh = v[index] / uniforms.oneMinusAcc2;
        result[index] = (mh / (sqrt(vh) + uniforms.epsilon)) * (-uniforms.lr) + result[index];`,
    };
    return `
  fn main(index : i32) {
    if (index < uniforms.size) {
      ${body[this.stage]}
    }
  }
`;
  }
}

/** Hyper-parameters of one Adam update; oneMinusAccBeta* = 1 - beta*^t (the bias corrections). */
export interface AdamStep {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  oneMinusAccBeta1: number;
  oneMinusAccBeta2: number;
}

/**
 * Updates w, m, v in place on the webgpu backend. Returns false (nothing done) when a buffer is
 * shared with another tensor or not float32; the caller then runs its reference path.
 */
export function adamUpdateWebGPU(
  backend: WebGPUBackendLike,
  w: tf.Tensor,
  g: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  p: AdamStep,
): boolean {
  for (const t of [w, g, m, v]) if (t.dtype !== 'float32' || t.size !== w.size) return false;
  for (const t of [w, m, v]) if (backend.refCount(t.dataId) !== 1) return false;
  const n = w.size;
  const flat = (t: tf.Tensor): tf.TensorInfo => ({ dataId: t.dataId, shape: [n], dtype: 'float32' });
  const u = (beta: number) => [
    { type: 'float32' as const, data: [beta] },
    { type: 'float32' as const, data: [1 - beta] },
    { type: 'float32' as const, data: [p.lr] },
    { type: 'float32' as const, data: [p.epsilon] },
    { type: 'float32' as const, data: [p.oneMinusAccBeta1] },
    { type: 'float32' as const, data: [p.oneMinusAccBeta2] },
  ];
  backend.runWebGPUProgram(new AdamStageProgram('m', n), [flat(g)], 'float32', u(p.beta1), flat(m));
  backend.runWebGPUProgram(new AdamStageProgram('v', n), [flat(g)], 'float32', u(p.beta2), flat(v));
  backend.runWebGPUProgram(new AdamStageProgram('w', n), [flat(m), flat(v)], 'float32', u(p.beta1), flat(w));
  // The backend keeps a CPU copy of a tensor after uploading or reading it, and returns that copy
  // on the next read: drop it, the GPU buffers now hold newer values.
  for (const t of [w, m, v]) {
    const rec = backend.tensorMap.get(t.dataId);
    if (rec) rec.values = null;
  }
  return true;
}
