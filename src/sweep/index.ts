// Sweeps: many trials of one preset with ASHA early stopping, on this machine or over BullMQ.
export { bestRung, EMA_SHARE_LIMIT, emaSettledStep, emaStartShare, nextTask, rankAt } from './asha.js';
export type { SchedulerOptions, Task, TrialStatus } from './asha.js';
export { embeddedExecutor } from './embedded.js';
export type { EmbeddedOptions } from './embedded.js';
export type { Executor } from './executor.js';
export { buildLeaderboard, formatLeaderboard, leaderboardHtml, summaryLine } from './leaderboard.js';
export type { Leaderboard, LeaderboardRow } from './leaderboard.js';
export {
  checkRedis,
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_QUEUE_NAME,
  parseRedisUrl,
  QueueError,
  queueExecutor,
  runWorker,
  segmentJobId,
} from './queue.js';
export type { QueueExecutorOptions, WorkerOptions } from './queue.js';
export { runSegment, SegmentInterrupted } from './segment.js';
export type { SegmentOutcome, SegmentTask } from './segment.js';
export { EVAL_METRIC_KEYS, parseSweepSpec, readSweepSpec, SweepSpecError, sweepSpecSchema } from './spec.js';
export type { SweepSpec, SweepSpecInput } from './spec.js';
export { describeParams, emaRungNote, runSweep } from './sweep.js';
export type { SweepOptions, SweepResult } from './sweep.js';
export {
  canonicalJson,
  expandParams,
  planTrials,
  readTrialState,
  rungSteps,
  trialDir,
  trialId,
} from './trials.js';
export type { RungResult, TrialFailure, TrialPlan } from './trials.js';
