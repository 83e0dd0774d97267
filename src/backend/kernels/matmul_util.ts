// Shared glue of BatchMatMul and _FusedMatMul: the output shape (broadcast batch dims + [M, N]),
// or null when the shapes are invalid (then the tfjs cpu kernel runs and reports the error).
import { broadcast_util, type TensorInfo } from '@tensorflow/tfjs-core';

export interface MatMulShape {
  out: number[]; // [...batch, M, N]
  m: number;
  n: number;
}

export function matMulShape(
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): MatMulShape | null {
  const ra = a.shape.length;
  const rb = b.shape.length;
  if (ra < 2 || rb < 2) return null;
  const m = transposeA ? a.shape[ra - 1]! : a.shape[ra - 2]!;
  const ka = transposeA ? a.shape[ra - 2]! : a.shape[ra - 1]!;
  const kb = transposeB ? b.shape[rb - 1]! : b.shape[rb - 2]!;
  const n = transposeB ? b.shape[rb - 2]! : b.shape[rb - 1]!;
  if (ka !== kb) return null;
  let batch: number[];
  try {
    batch = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  } catch {
    return null;
  }
  return { out: [...batch, m, n], m, n };
}
