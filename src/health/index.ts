// Training health monitor: public exports.
export type {
  StepRecord,
  HealthEvent,
  HealthEventKind,
  Severity,
  Remedy,
  TrainingControl,
  RemedyOutcome,
} from './types.js';
export { healthConfigSchema, parseHealthConfig } from './config.js';
export type { HealthConfig, HealthConfigInput } from './config.js';
export { HealthMonitor } from './monitor.js';
export { batchDiversity, diversityStats, pairwiseDistances, referenceStats } from './diversity.js';
export type { FeatureBatch, DiversityStats } from './diversity.js';
export { createHealthFeatureSource, pooledEmbedding, evenIndices, POOL_GRID } from './image_features.js';
export type { HealthFeatureSource, HealthFeatureOptions, FeatureFields, CollapseReferences } from './image_features.js';
