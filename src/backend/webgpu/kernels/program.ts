// The parts of @tensorflow/tfjs-backend-webgpu's program interface tsgan's WGSL kernels use, typed
// here so that the kernels compile without the WebGPU DOM typings. A program gives its WGSL body;
// the backend adds the bindings (`result` = the output buffer, read_write; one read-only array per
// name in `variableNames`), a `uniforms` struct (its own fields first, then `uniforms` below, in
// order) and `_start`, which calls `fn main()` (2-D/3-D dispatch layout) or `fn main(index: i32)`
// (flat layout). Private globals localId, workgroupId, numWorkgroups are set before main runs.
import type * as tf from '@tensorflow/tfjs-core';

export interface WebGPUProgramLike {
  outputShape: number[];
  shaderKey: string;
  dispatchLayout: { x: number[]; y?: number[]; z?: number[] };
  dispatch: [number, number, number];
  variableNames: string[];
  /** WGSL struct fields appended to the backend's uniforms, e.g. 'M : i32, N : i32,'. */
  uniforms?: string;
  workgroupSize: [number, number, number];
  /** Adds `size : i32` (the output's element count) to the uniforms. */
  size?: boolean;
  getUserCode(): string;
}

/** What a kernel function receives (tfjs's KernelFunc arguments). */
export type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs: tf.NamedAttrMap };

export type UniformData = { type: 'int32' | 'float32' | 'uint32'; data: number[] };

/** The WebGPUBackend methods the kernels call. */
export interface WebGPUBackendLike {
  runWebGPUProgram(
    program: WebGPUProgramLike,
    inputs: tf.TensorInfo[],
    dtype: tf.DataType,
    uniforms?: UniformData[],
    output?: tf.TensorInfo,
  ): tf.TensorInfo;
  disposeData(dataId: object): boolean;
  refCount(dataId: object): number;
  device: { limits: Record<string, number> };
  /** Per-tensor records; `values` is the CPU copy the backend caches after a read or an upload. */
  tensorMap: { get(dataId: object): { values: unknown } | undefined };
}

/** One workgroup dimension may hold at most this many workgroups (WebGPU's default limit). */
export const MAX_WORKGROUPS_PER_DIM = 65535;

export function ceilDiv(a: number, b: number): number {
  return Math.floor((a + b - 1) / b);
}

/** int32 uniforms, one field each, in the order of the program's `uniforms` declaration. */
export function intUniforms(...values: number[]): UniformData[] {
  return values.map((v) => ({ type: 'int32', data: [v] }));
}
