// Lazy gradients for tfjs's fused ops under training.
//
// tfjs-layers' conv2d and dense layers call tf.fused.conv2d / tf.fused.matMul. With a linear activation
// and gradients being recorded, tfjs runs them as a customGrad whose gradient function computes the
// gradient of EVERY input eagerly: in a GAN's generator step that means the discriminator's filter and
// weight gradients (a full Conv2DBackpropFilter per conv layer) are computed and thrown away, and in the
// discriminator step the gradient with respect to the images too. tfjs itself already takes the
// unfused route (conv2d + add + activation, whose kernel gradients run per needed input) for every
// non-linear activation under gradients; this patch takes it for the linear case as well, so only the
// gradients the tape needs are computed. Forward results are identical (same kernels, same order of
// float32 operations: the fused kernel also adds the bias after the convolution sum). Outside gradient
// recording (inference) the fused kernels run as before.
import * as tf from '@tensorflow/tfjs-core';

type FusedConvArgs = Parameters<typeof tf.fused.conv2d>[0];
type FusedMatMulArgs = Parameters<typeof tf.fused.matMul>[0];

const MARK = Symbol.for('tsgan.lazyFusedGrads');

function recordingGradients(): boolean {
  return (tf.engine().state as unknown as { gradientDepth: number }).gradientDepth > 0;
}

function isLinear(activation: string | undefined | null): boolean {
  return activation == null || activation === 'linear';
}

/** Installs the patch on tf.fused (idempotent). Returns true if it is installed. */
export function installLazyFusedGradients(): boolean {
  const fused = tf.fused as unknown as Record<string, unknown> & { [MARK]?: boolean };
  if (fused[MARK]) return true;
  const origConv = tf.fused.conv2d;
  const origMatMul = tf.fused.matMul;
  const conv2d = (args: FusedConvArgs) => {
    const {
      x,
      filter,
      strides,
      pad,
      dataFormat = 'NHWC',
      dilations = [1, 1],
      dimRoundingMode,
      bias,
      activation,
    } = args;
    if (!recordingGradients() || !isLinear(activation) || args.preluActivationWeights != null) return origConv(args);
    const y = tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, strides, pad, dataFormat, dilations, dimRoundingMode);
    return bias == null ? y : tf.add(y, bias);
  };
  const matMul = (args: FusedMatMulArgs) => {
    const { a, b, transposeA = false, transposeB = false, bias, activation } = args;
    if (!recordingGradients() || !isLinear(activation) || args.preluActivationWeights != null) return origMatMul(args);
    const y = tf.matMul(a, b, transposeA, transposeB);
    return bias == null ? y : tf.add(y, bias);
  };
  try {
    fused.conv2d = conv2d;
    fused.matMul = matMul;
    fused[MARK] = true;
    return true;
  } catch {
    return false; // a frozen tf.fused (another tfjs build): leave it as it is
  }
}
