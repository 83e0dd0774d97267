// Chained tensor methods (x.sum(), x.add(y), ...) for the tfjs-core Node bundle, which ships without them
// (the ESM build registers them from public/chained_ops/). Each method forwards to the functional op of
// the same name with the tensor as first argument; the few that differ are listed below. Idempotent:
// methods already present are left alone.
import * as tf from '@tensorflow/tfjs-core';

/** Methods that call the op of the same name: x.m(...args) === tf.m(x, ...args). */
const SAME_NAME = [
  'abs',
  'acos',
  'acosh',
  'add',
  'all',
  'any',
  'argMax',
  'argMin',
  'asin',
  'asinh',
  'atan',
  'atan2',
  'atanh',
  'avgPool',
  'batchToSpaceND',
  'batchNorm',
  'broadcastTo',
  'cast',
  'ceil',
  'clipByValue',
  'conv1d',
  'conv2d',
  'conv2dTranspose',
  'cos',
  'cosh',
  'cumprod',
  'cumsum',
  'depthToSpace',
  'depthwiseConv2d',
  'dilation2d',
  'div',
  'divNoNan',
  'dot',
  'elu',
  'equal',
  'erf',
  'euclideanNorm',
  'exp',
  'expandDims',
  'expm1',
  'fft',
  'floor',
  'floorDiv',
  'gather',
  'greater',
  'greaterEqual',
  'ifft',
  'irfft',
  'isFinite',
  'isInf',
  'isNaN',
  'leakyRelu',
  'less',
  'lessEqual',
  'localResponseNormalization',
  'log',
  'log1p',
  'logSigmoid',
  'logSoftmax',
  'logSumExp',
  'logicalAnd',
  'logicalNot',
  'logicalOr',
  'logicalXor',
  'matMul',
  'max',
  'maxPool',
  'maximum',
  'mean',
  'min',
  'minimum',
  'mirrorPad',
  'mod',
  'mul',
  'neg',
  'norm',
  'notEqual',
  'oneHot',
  'onesLike',
  'pad',
  'pool',
  'pow',
  'prelu',
  'prod',
  'reciprocal',
  'relu',
  'relu6',
  'reshape',
  'resizeBilinear',
  'resizeNearestNeighbor',
  'reverse',
  'rfft',
  'round',
  'rsqrt',
  'selu',
  'separableConv2d',
  'sigmoid',
  'sign',
  'sin',
  'sinh',
  'slice',
  'softmax',
  'softplus',
  'spaceToBatchND',
  'split',
  'sqrt',
  'square',
  'squaredDifference',
  'squeeze',
  'step',
  'stridedSlice',
  'sub',
  'sum',
  'tan',
  'tanh',
  'tile',
  'topk',
  'transpose',
  'unique',
  'unsortedSegmentSum',
  'unstack',
  'where',
  'zerosLike',
] as const;

type AnyFn = (...args: unknown[]) => unknown;

export function registerChainedOps(): void {
  const proto = tf.Tensor.prototype as unknown as Record<string, AnyFn | undefined>;
  const ops = tf as unknown as Record<string, AnyFn | undefined>;
  const define = (name: string, fn: (self: tf.Tensor, args: unknown[]) => unknown) => {
    if (typeof proto[name] === 'function') return;
    Object.defineProperty(proto, name, {
      configurable: true,
      writable: true,
      value: function (this: tf.Tensor, ...args: unknown[]) {
        (this as unknown as { throwIfDisposed(): void }).throwIfDisposed();
        return fn(this, args);
      },
    });
  };
  for (const name of SAME_NAME) {
    const op = ops[name];
    if (typeof op === 'function') define(name, (self, args) => op(self, ...args));
  }
  const reshape = (self: tf.Tensor, shape: number[]) => tf.reshape(self, shape);
  define('flatten', (self) => reshape(self, [self.size]));
  define('as1D', (self) => reshape(self, [self.size]));
  for (const n of ['as2D', 'as3D', 'as4D', 'as5D']) define(n, (self, args) => reshape(self, args as number[]));
  define('asScalar', (self) => {
    if (self.size !== 1) throw new Error('The array must have only 1 element.');
    return reshape(self, []);
  });
  define('asType', (self, [dtype]) => tf.cast(self, dtype as tf.DataType));
  define('toBool', (self) => tf.cast(self, 'bool'));
  define('toFloat', (self) => tf.cast(self, 'float32'));
  define('toInt', (self) => tf.cast(self, 'int32'));
  define('reshapeAs', (self, [x]) => reshape(self, (x as tf.Tensor).shape));
  define('concat', (self, [x, axis]) =>
    tf.concat([self, ...(x instanceof tf.Tensor ? [x] : (x as tf.Tensor[]))], axis as number | undefined),
  );
  define('stack', (self, [x, axis]) =>
    tf.stack([self, ...(x instanceof tf.Tensor ? [x] : (x as tf.Tensor[]))], axis as number | undefined),
  );
}
