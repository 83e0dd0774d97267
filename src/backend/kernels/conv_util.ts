// Shared glue of the native convolution kernels (Conv2D, FusedConv2D, Conv2DBackpropInput,
// Conv2DBackpropFilter): tfjs's conv geometry turned into the compact argument list that
// native/conv_util.h reads, and the test for bias/prelu tensors the C++ epilogue can apply.
import { backend_util, type Conv2DAttrs, type TensorInfo } from '@tensorflow/tfjs-core';

type Shape4 = [number, number, number, number];

/** The C++ side's geometry: [strideH, strideW, dilationH, dilationW, padTop, padLeft, outH, outW]. */
export function convGeom(info: backend_util.Conv2DInfo): number[] {
  return [
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padInfo.top,
    info.padInfo.left,
    info.outHeight,
    info.outWidth,
  ];
}

/** computeConv2DInfo for NHWC data; null for shapes the native kernels do not take (then: cpu fallback). */
export function nhwcConvInfo(
  xShape: readonly number[],
  filterShape: readonly number[],
  strides: number | [number, number],
  dilations: number | [number, number],
  pad: Conv2DAttrs['pad'],
  dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined,
  dataFormat: string | undefined,
): backend_util.Conv2DInfo | null {
  if (dataFormat === 'NCHW' || xShape.length !== 4 || filterShape.length !== 4) return null;
  const info = backend_util.computeConv2DInfo(
    xShape as Shape4,
    filterShape as Shape4,
    strides,
    dilations,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  if (info.padInfo.top < 0 || info.padInfo.left < 0 || info.outHeight < 0 || info.outWidth < 0) return null;
  return info;
}

/**
 * True when `t` broadcasts onto an output of rank `outRank` whose last dim is `channels` as one value
 * per channel (or one value for all): every dim but the last is 1, the last is 1 or `channels`.
 */
export function perChannel(t: TensorInfo, outRank: number, channels: number): boolean {
  const s = t.shape;
  if (s.length > outRank) return false;
  for (let i = 0; i < s.length - 1; i++) if (s[i] !== 1) return false;
  const last = s.length === 0 ? 1 : s[s.length - 1]!;
  return last === 1 || last === channels;
}

/** tfjs's fused activations, plus tanh; anything else goes to the cpu kernel (which reports it). */
export const NATIVE_ACTIVATIONS = new Set(['linear', 'relu', 'relu6', 'leakyrelu', 'prelu', 'elu', 'sigmoid', 'tanh']);
