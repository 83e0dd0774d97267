// The one list of kernels the native backend runs in C++ (glue here, C++ in native/kernels/).
// Every other kernel is the tfjs cpu one.
import type { KernelConfig } from '@tensorflow/tfjs-core';

import { reluConfig } from './Relu.js';
import { softmaxConfig } from './Softmax.js';
import { addConfig } from './Add.js';
import { subConfig } from './Sub.js';
import { multiplyConfig } from './Multiply.js';
import { realDivConfig } from './RealDiv.js';
import { maximumConfig } from './Maximum.js';
import { minimumConfig } from './Minimum.js';
import { squaredDifferenceConfig } from './SquaredDifference.js';
import { powConfig } from './Pow.js';
import { preluConfig } from './Prelu.js';
import { greaterConfig } from './Greater.js';
import { greaterEqualConfig } from './GreaterEqual.js';
import { lessConfig } from './Less.js';
import { lessEqualConfig } from './LessEqual.js';
import { equalConfig } from './Equal.js';
import { notEqualConfig } from './NotEqual.js';
import { relu6Config } from './Relu6.js';
import { leakyReluConfig } from './LeakyRelu.js';
import { eluConfig } from './Elu.js';
import { seluConfig } from './Selu.js';
import { sigmoidConfig } from './Sigmoid.js';
import { tanhConfig } from './Tanh.js';
import { softplusConfig } from './Softplus.js';
import { expConfig } from './Exp.js';
import { logConfig } from './Log.js';
import { sqrtConfig } from './Sqrt.js';
import { rsqrtConfig } from './Rsqrt.js';
import { squareConfig } from './Square.js';
import { negConfig } from './Neg.js';
import { absConfig } from './Abs.js';
import { stepConfig } from './Step.js';
import { reciprocalConfig } from './Reciprocal.js';
import { erfConfig } from './Erf.js';
import { sumConfig } from './Sum.js';
import { meanConfig } from './Mean.js';
import { prodConfig } from './Prod.js';
import { maxConfig } from './Max.js';
import { minConfig } from './Min.js';
import { selectConfig } from './Select.js';
import { addNConfig } from './AddN.js';
import { fusedBatchNormConfig } from './FusedBatchNorm.js';
import { transposeConfig } from './Transpose.js';
import { padV2Config } from './PadV2.js';
import { tileConfig } from './Tile.js';
import { conv2DConfig } from './Conv2D.js';
import { fusedConv2DConfig } from './FusedConv2D.js';
import { conv2DBackpropInputConfig } from './Conv2DBackpropInput.js';
import { conv2DBackpropFilterConfig } from './Conv2DBackpropFilter.js';
import { batchMatMulConfig } from './BatchMatMul.js';
import { fusedMatMulConfig } from './_FusedMatMul.js';
import { unsortedSegmentSumConfig } from './UnsortedSegmentSum.js';
import { gatherV2Config } from './GatherV2.js';
import { splitVConfig } from './SplitV.js';
import { concatConfig } from './Concat.js';
import { logicalNotConfig } from './LogicalNot.js';
import { logicalAndConfig } from './LogicalAnd.js';
import { logicalOrConfig } from './LogicalOr.js';
import { castConfig } from './Cast.js';
import { fillConfig } from './Fill.js';
import { zerosLikeConfig } from './ZerosLike.js';
import { onesLikeConfig } from './OnesLike.js';
import { mirrorPadConfig } from './MirrorPad.js';
import { mirrorPadGradConfig } from './MirrorPadGrad.js';
import { depthToSpaceConfig } from './DepthToSpace.js';
import { spaceToDepthConfig } from './SpaceToDepth.js';

export const nativeKernelConfigs: KernelConfig[] = [
  reluConfig,
  softmaxConfig,
  addConfig,
  subConfig,
  multiplyConfig,
  realDivConfig,
  maximumConfig,
  minimumConfig,
  squaredDifferenceConfig,
  powConfig,
  preluConfig,
  greaterConfig,
  greaterEqualConfig,
  lessConfig,
  lessEqualConfig,
  equalConfig,
  notEqualConfig,
  relu6Config,
  leakyReluConfig,
  eluConfig,
  seluConfig,
  sigmoidConfig,
  tanhConfig,
  softplusConfig,
  expConfig,
  logConfig,
  sqrtConfig,
  rsqrtConfig,
  squareConfig,
  negConfig,
  absConfig,
  stepConfig,
  reciprocalConfig,
  erfConfig,
  sumConfig,
  meanConfig,
  prodConfig,
  maxConfig,
  minConfig,
  selectConfig,
  addNConfig,
  fusedBatchNormConfig,
  transposeConfig,
  padV2Config,
  tileConfig,
  conv2DConfig,
  fusedConv2DConfig,
  conv2DBackpropInputConfig,
  conv2DBackpropFilterConfig,
  batchMatMulConfig,
  fusedMatMulConfig,
  unsortedSegmentSumConfig,
  gatherV2Config,
  splitVConfig,
  concatConfig,
  logicalNotConfig,
  logicalAndConfig,
  logicalOrConfig,
  castConfig,
  fillConfig,
  zerosLikeConfig,
  onesLikeConfig,
  mirrorPadConfig,
  mirrorPadGradConfig,
  depthToSpaceConfig,
  spaceToDepthConfig,
];
