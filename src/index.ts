// tsgan: train, evaluate and use GANs in TypeScript. Importing this module registers the native
// CPU backend (C++ kernels) as TensorFlow.js's default backend in Node.
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import { registerChainedOps } from './backend/chained_ops.js';
import { installLazyFusedGradients } from './backend/lazy_fused_grads.js';
import { registerNativeBackend } from './backend/native_backend.js';

registerChainedOps();
installLazyFusedGradients();
export const backendRegistration = registerNativeBackend();

export { tf, tfl };
export { NativeBackend, registerNativeBackend, NATIVE_BACKEND } from './backend/native_backend.js';
export type { NativeRegistration } from './backend/native_backend.js';
export { loadNativeAddon } from './backend/native_addon.js';
export type { NativeInfo } from './backend/native_addon.js';
export { FusedAdamOptimizer, adam } from './optim/fused_adam.js';
export { benchDcgan28, profileDcgan28 } from './bench/dcgan28.js';
export type { Dcgan28Options, Dcgan28Result, Dcgan28Profile } from './bench/dcgan28.js';
export { benchModes, formatModesTable, runModesVariant, MODES_VARIANTS, PACGAN_TABLE } from './bench/modes.js';
export type {
  ModesBenchOptions,
  ModesBenchResult,
  ModesRow,
  ModesRun,
  ModesTask,
  ModesVariant,
} from './bench/modes.js';
// Data (src/data): dataset types, batch sampling, Fashion-MNIST, IDX files.
export * from './data/types.js';
export {
  loadFashionMnist,
  FASHION_MNIST_CLASSES,
  SYSTEM_FASHION_MNIST_DIR,
  embeddedFashionMnistDir,
} from './data/fashion_mnist.js';
export type { FashionMnistOptions } from './data/fashion_mnist.js';
export { readIdxFile, parseIdx, encodeIdx, IdxFormatError } from './data/idx.js';
export type { IdxTensor, IdxDtype } from './data/idx.js';
// Backend choice: native (C++), webgpu (a GPU through WebGPU: Dawn in Node, navigator.gpu in a browser), cpu, auto.
export {
  useBackend,
  onHostBackend,
  parseBackendChoice,
  backendIsAsyncOnly,
  BACKEND_CHOICES,
} from './backend/select.js';
export type { BackendChoice, BackendSelection } from './backend/select.js';
export { probeWebGPU, registerWebGPUBackend, WEBGPU_BACKEND } from './backend/webgpu/setup.js';
export type { WebGPUAdapterReport, WebGPUProbe, WebGPURegistration } from './backend/webgpu/setup.js';
export { registerWebGPUKernels } from './backend/webgpu/kernels/index.js';
// Engine report (tsgan doctor).
export { doctor, doctorAsync, formatDoctorReport } from './backend/doctor.js';
export type { DoctorReport } from './backend/doctor.js';
// Toy 2-D data and mode coverage; labelled PNG/GIF/APNG output; generator export (src/data, src/io, src/export).
export {
  makeToy2d,
  sampleToy2d,
  toy2dSpec,
  modeCoverage,
  gaussianPair,
  TOY2D_NAMES,
  PACGAN_EVAL_SAMPLES,
} from './data/toy2d.js';
export type { Toy2dName, Toy2dSpec, Toy2dOptions, ModeCoverage } from './data/toy2d.js';
export {
  writePng,
  encodePng,
  encodePngWithText,
  readPngText,
  readPngChunks,
  provenanceText,
  provenanceXmp,
  isLabelledSynthetic,
  toUint8,
  writeFileAtomic,
  SYNTHETIC_NOTICE,
  IPTC_TRAINED_ALGORITHMIC_MEDIA,
  XMP_KEYWORD,
} from './io/png.js';
export type { RasterImage, Provenance } from './io/png.js';
export { makeGrid, tensorToBatch, writeGridPng, writeGridPngStream, gridLayout } from './io/grid.js';
export type { GridOptions, GridLayout, ImageBatch } from './io/grid.js';
export {
  encodeGif,
  writeGif,
  readGifInfo,
  encodeApng,
  writeApng,
  writeLatentWalk,
  writeWalkStream,
} from './io/anim.js';
export type { AnimOptions, GifInfo, LatentWalkFiles, LatentWalkOptions, WalkSource } from './io/anim.js';
export { AtomicFileWriter, ensureFolder, prepareOutputFile } from './io/files.js';
export {
  exportGenerator,
  loadGenerator,
  modelSha256,
  modelArtifacts,
  fileLoadHandler,
  checkExportTarget,
  GENERATOR_NOTICE,
} from './export/generator_io.js';
export type { ExportInfo, ExportOptions, LoadedGenerator } from './export/generator_io.js';
export { resolveClassNames } from './export/class_names.js';
export { exportRun, checkExportOptions, openRunTrainer, EXPORT_FORMATS } from './export/export_run.js';
export type { ExportFormat, RunExportOptions, RunExportResult } from './export/export_run.js';
export { exportOnnx, modelToOnnx, ONNX_OPSET } from './export/onnx/export.js';
export type { OnnxExport, OnnxGraphInfo } from './export/onnx/export.js';
export { ONNX_LAYERS } from './export/onnx/layers.js';
export type { LayerConverter } from './export/onnx/layers.js';
export { exportSafetensors, runSafetensors } from './export/safetensors.js';
export type { SafetensorsExport, SafetensorsManifest } from './export/safetensors.js';
export { encodeSafetensors, decodeSafetensors, bytesToF32 } from './export/safetensors_format.js';
export type { SafetensorsFile, SafetensorsTensor, SafetensorsDtype } from './export/safetensors_format.js';
export { TORCH_PARAMS, torchParams, permute } from './export/torch_layout.js';
export { quantizeWeights, QUANTIZE_DTYPES } from './export/quantize.js';
export type { QuantizeDtype } from './export/quantize.js';
export { parseManifest, generatorManifestSchema } from './export/manifest.js';
export type { GeneratorManifest, GeneratorInputSpec } from './export/manifest.js';
export { exportStyleGAN, layerResolutions, styleLayerRanges, synthesisModel } from './export/stylegan_export.js';
export { ExportedStyleGAN } from './export/stylegan_loaded.js';
export type { StyleRange } from './export/stylegan_loaded.js';
export type { StyleganManifest } from './export/manifest.js';
export { exportUpscaler, openExportedUpscaler, SR_INPUT_ROLE } from './export/sr_export.js';
export {
  exportPromptGenerator,
  manifestText,
  promptGeneratorModel,
  TOKEN_IDS_ROLE,
  TOKENIZER_POLICY,
} from './export/text2image_export.js';
export { exportText2ImageOnnx } from './export/onnx/text2image.js';
export { SR_PAGE_MAX_SIDE, webSrHtml } from './export/web_sr.js';
export { webText2ImageHtml } from './export/web_text2image.js';
export {
  makeShapes,
  renderShape,
  placeShape,
  captionOf,
  parseCaption,
  SHAPE_NAMES,
  COLOR_NAMES,
  SIZE_NAMES,
  POSITION_NAMES,
  COLOR_RGB,
} from './data/shapes.js';
export type {
  ShapesDataset,
  ShapesOptions,
  ShapeAttributes,
  ShapeName,
  ColorName,
  SizeName,
  PositionName,
} from './data/shapes.js';
export { loadImageFolder, IMAGE_EXTENSIONS } from './data/image_folder.js';
export type { ImageFolderOptions, ImageFolderDataset, ImageFolderReport } from './data/image_folder.js';
export { loadIdxDataset } from './data/idx_dataset.js';
export type { IdxDatasetOptions } from './data/idx_dataset.js';
export { scatterPlot, writeScatterPng } from './io/scatter.js';
export type { ScatterOptions } from './io/scatter.js';
export { writeWebDemo, writeWebDemoFiles, webDemoHtml, tfjsBundle, TFJS_BUNDLE_FILE } from './export/web_demo.js';
export { serveFolder } from './export/serve.js';
export type { ServeOptions, FolderServer } from './export/serve.js';
// GAN toolkit core (src/models, src/nn, src/losses, src/train): models, losses, stabilizers, training loop, checkpoints.
export { DCGAN, VanillaGAN, CGAN, createModel, MODEL_FAMILIES } from './models/index.js';
export type {
  GANModel,
  LossPhase,
  LossSpec,
  StepContext,
  PhaseResult,
  Networks,
  ModelDescription,
  GenerateOptions,
  DCGANOptions,
  VanillaGANOptions,
  CGANOptions,
  ModelFamily,
} from './models/index.js';
export { SNDense, SNConv2D, spectralNormStep, stopGradient } from './nn/spectral_norm.js';
export { diffAugment, parsePolicies, DIFF_AUGMENT_POLICIES } from './nn/diff_augment.js';
export type { DiffAugmentPolicy } from './nn/diff_augment.js';
export { AdaController, adaAugment, adaTransforms, affineSample, ADA_GROUPS, ADA_PARAMS } from './nn/ada.js';
export type { AdaControllerOptions, AdaState, AdaTransforms } from './nn/ada.js';
export { initializeWeights } from './nn/init.js';
export { pixelShuffle, PixelShuffle, spaceToDepth } from './nn/pixel_shuffle.js';
export {
  discriminatorLoss,
  generatorLoss,
  bceWithLogits,
  classCrossEntropy,
  ADVERSARIAL_LOSSES,
} from './losses/adversarial.js';
export type { AdversarialLoss } from './losses/adversarial.js';
export { gradientPenalty, r1Penalty } from './losses/penalties.js';
export { train, resolveConfig, healthMonitorCallback, readRunConfig } from './train/run.js';
export type { TrainOptions, TrainResult, TrainMonitor } from './train/run.js';
export { Trainer, copyWeights } from './train/trainer.js';
export type { StepResult } from './train/trainer.js';
export {
  trainConfigSchema,
  parseConfig,
  ConfigError,
  closestKey,
  configKeys,
  setPath,
  mergeConfig,
  mergeConfigLayers,
  parseCliValue,
} from './train/config.js';
export { readConfigFile } from './train/config_file.js';
export {
  acquireRunLock,
  prepareNewRunFolder,
  truncateJsonlToStep,
  RunFolderError,
  LOCK_FILE,
} from './train/run_folder.js';
export type { TrainConfig, TrainConfigInput } from './train/config.js';
export { PRESETS, getPreset } from './train/presets.js';
export { MoCoGAN, MoCoGANOptionsSchema } from './models/mocogan.js';
export type { MoCoGANOptions } from './models/mocogan.js';
export { makeMovingItems, makeMovingShapes, SHAPE_MOTIONS, ITEM_MOTIONS } from './data/moving.js';
export type { ClipDataset, MovingItemsOptions, MovingShapesOptions } from './data/moving.js';
export { clipGridFrames, clipSheet, generateClips, sampleVideo, writeClipAnimation } from './video/clips.js';
export type { ClipBatch, VideoSampleOptions } from './video/clips.js';
export { formatVideoQuality, measureClips, videoQuality } from './video/measure.js';
export type { ClipMeasures, VideoQuality } from './video/measure.js';
export { classifyMotion, trainMotionClassifier } from './video/motion_classifier.js';
export type { MotionClassifier } from './video/motion_classifier.js';
export { distill, DistillOptionsSchema, DISTILL_WIDTH_OPTION } from './train/distill.js';
export type { DistillOptions, DistillResult } from './train/distill.js';
export { Rng } from './train/rng.js';
export type { RngState } from './train/rng.js';
export { Adam } from './train/adam.js';
export { TrainEvents, TypedEmitter } from './train/events.js';
export type { TrainEventMap, LogRecord, StepEvent, SampleEvent, CheckpointEvent, DoneEvent } from './train/events.js';
export {
  encodeCheckpoint,
  decodeCheckpoint,
  writeCheckpointFile,
  readCheckpointFile,
  loadLatestCheckpoint,
  listCheckpoints,
  pruneCheckpoints,
  checkpointName,
  CheckpointError,
} from './train/checkpoint.js';
export type { Checkpoint, CheckpointHeader, CheckpointTensor } from './train/checkpoint.js';
export {
  openGenerator,
  sample,
  interpolate,
  latentForSeed,
  exportFromCheckpoint,
  describeArtifact,
  trainerFromCheckpoint,
  resolveCheckpointPath,
  walkPlan,
  checkClasses,
} from './train/inference.js';
export type { GeneratorHandle, SampleOptions, WalkOptions } from './train/inference.js';
export {
  writeSamples,
  writeSampleGrid,
  writeSampleFiles,
  writeLatentWalkFiles,
  describeSeeds,
} from './train/samples.js';
export type { WriteSamplesOptions } from './train/samples.js';

// Evaluation metrics and the training health monitor.
export * from './metrics/index.js';
export * from './health/index.js';

// The studio (src/studio/): watch, steer and explore GANs in the browser.
export { startStudio, validateRunRequest, StudioError } from './studio/server.js';
export type { Studio, StudioOptions } from './studio/server.js';
export type { ChildMessage, LiveState, ToyFrame } from './studio/protocol.js';

// Sweeps (src/sweep): trials of a preset with ASHA early stopping, on this machine or over BullMQ.
export * from './sweep/index.js';

// StyleGAN2 control (src/style): truncation in W, style mixing, GANSpace/SeFa directions.
export { StyleGAN2, StyleGAN2OptionsSchema, isStyleGAN2 } from './models/stylegan2.js';
export type { StyleGAN2Options } from './models/stylegan2.js';
export {
  openStyleRun,
  sampleStyle,
  styleMixGrid,
  wForSeeds,
  parseLayerRange,
  latentsForSeeds,
} from './style/control.js';
export type { StyleRun, WEdit } from './style/control.js';
export { findDirections, parseDirections, parseEdits, symmetricEigen } from './style/directions.js';
export type { Direction, DirectionsFile, DirectionOptions } from './style/directions.js';
export { writeStyleSamples, writeStyleMix, writeDirections, directionWalk, writeProjection } from './style/write.js';
export { sampleStyleRun } from './style/cli_support.js';
export { noiseRegularization, projectImage, readTargetImage } from './style/project.js';
export type { ProjectOptions, Projection } from './style/project.js';

// Text-to-image (GAN-INT-CLS)
export { Text2Image, Text2ImageOptionsSchema } from './models/text2image.js';
export type { Text2ImageOptions } from './models/text2image.js';
export { Tokenizer, splitWords } from './text/tokenizer.js';
export type { TokenizerSpec, Encoded } from './text/tokenizer.js';
export { captionedShapes, captionedEmoji, parseHeldOut, DEFAULT_HELD_OUT } from './data/captioned.js';
export type { CaptionedDataset, CaptionedSplits, HeldOutCombo } from './data/captioned.js';
export {
  openPromptGenerator,
  promptImages,
  interpolatePrompts,
  generateFromPrompts,
  encodePromptsChecked,
} from './text/generate.js';
export { trainAttributeClassifier, attributeRates, rPrecision, scoreSplit, CHANCE_RATES } from './text/measure.js';
// Super-resolution (SRResNet/SRGAN) and augmentation folders.
export { SRGAN, SRGANOptionsSchema, srReceptiveRadius } from './models/srgan.js';
export type { SRGANOptions } from './models/srgan.js';
export { bicubicUpscale, emojiSR, fmnistSR, folderCropsSR, srPairs } from './data/super_resolution.js';
export { evaluateSR, scoreSR, yChannel } from './metrics/sr_quality.js';
export type { SREvaluation, SRScores } from './metrics/sr_quality.js';
export { openUpscaler, tiledUpscale, upscaleFile, upscaleFiles } from './train/upscale.js';
export { evaluateSRRun, formatSREvaluation } from './train/sr_eval.js';
export { augmentFromRun } from './train/augment.js';
export { augmentEval, augmentTable, balancedSubset, AUGMENT_ROWS, augmentEvalOptionsSchema } from './augment/eval.js';
export type { AugmentEvalOptions, AugmentEvalHooks, AugmentEvalResult, AugmentCell } from './augment/eval.js';
export { buildSmallClassifier, trainSmallClassifier, classifierAccuracy } from './augment/classifier.js';
export { benchSRResNet, formatSRResNetBench } from './bench/srresnet.js';
