// Training health monitor: its configuration (thresholds per detector and the remedy per event
// kind), as a zod schema the training config can embed (`health: healthConfigSchema`).
import { z } from 'zod';

const remedySchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('warn') }).strict(),
  z.object({ action: z.literal('rollback'), lrFactor: z.number().gt(0).lt(1).default(0.5) }).strict(),
  z.object({ action: z.literal('diffaugment'), policy: z.string().default('color,translation,cutout') }).strict(),
  z.object({ action: z.literal('stop') }).strict(),
]);

export const healthConfigSchema = z
  .object({
    /** Master switch. */
    enabled: z.boolean().default(true),
    /** Loss family: 'wgan-gp' critics output unbounded scores, so logit-based checks are skipped. */
    loss: z.enum(['minimax', 'nonsaturating', 'hinge', 'wgan-gp', 'lsgan']).default('nonsaturating'),
    /** Records to see before the relative detectors (spikes, divergence vs running level) arm. */
    warmup: z.number().int().min(0).default(5),
    /** Records after an event during which the same kind is not raised again. */
    cooldown: z.number().int().min(0).default(50),
    /** Rollbacks allowed in one run; past it a rollback remedy becomes 'stop'. */
    maxRollbacks: z.number().int().min(0).default(3),
    divergence: z
      .object({
        /** |lossG| or |lossD| above this is divergence (not for wgan-gp). */
        maxLoss: z.number().positive().default(50),
        /** |dReal| or |dFake| (logits) above this is divergence (not for wgan-gp). */
        maxLogit: z.number().positive().default(50),
        /** lossG's median over the last `window` records above `factor` x its running median... */
        factor: z.number().gt(1).default(10),
        /** ...and above this absolute value, is divergence too (any loss family). */
        minLoss: z.number().positive().default(5),
        window: z.number().int().min(1).default(10),
        /** Consecutive records the condition must hold. */
        patience: z.number().int().min(1).default(3),
      })
      .strict()
      .default({ maxLoss: 50, maxLogit: 50, factor: 10, minLoss: 5, window: 10, patience: 3 }),
    overpowering: z
      .object({
        /** D accuracy at or above this... */
        accuracy: z.number().gt(0.5).max(1).default(0.99),
        /** ...for this many consecutive records. */
        patience: z.number().int().min(1).default(100),
      })
      .strict()
      .default({ accuracy: 0.99, patience: 100 }),
    gradSpike: z
      .object({
        /** A gradient norm above `factor` x the median of the last `window` norms is a spike. */
        factor: z.number().gt(1).default(10),
        window: z.number().int().min(3).default(50),
      })
      .strict()
      .default({ factor: 10, window: 50 }),
    collapse: z
      .object({
        /**
         * Mean pairwise L2 distance of the real data's features (same extractor, same batch size).
         * Without it the monitor uses the highest diversity it has seen after warmup.
         */
        referenceDiversity: z.number().positive().optional(),
        /**
         * Each collapse test (diversity, near-duplicates, class coverage) arms once its signal has
         * been healthy (an untrained generator maps every latent near one point, and some take
         * hundreds of steps to spread out), or at this step at the latest (a generator that never
         * spreads is collapsed too).
         */
        armAfter: z.number().int().min(0).default(1000),
        /** Diversity below `minDiversityRatio` x the reference is collapse. */
        minDiversityRatio: z.number().gt(0).lt(1).default(0.25),
        /**
         * Median nearest-neighbour L2 distance within a real batch of the same size (see
         * `referenceStats` in diversity.ts). Without it the near-duplicate check is off: what counts
         * as "near" depends on the data (tight toy modes have tiny real NN distances).
         */
        referenceNearest: z.number().positive().optional(),
        /** A sample whose nearest neighbour in the batch is closer than this x referenceNearest is a near-duplicate. */
        duplicateRadius: z.number().gt(0).lt(1).default(0.1),
        /** Near-duplicate rate above this is collapse. */
        maxDuplicateRate: z.number().gt(0).max(1).default(0.5),
        /** Fraction of classes present in the fixed batch below this is collapse (needs `classes`). */
        minClassCoverage: z.number().gt(0).max(1).default(0.5),
        /** Consecutive feature records the condition must hold. */
        patience: z.number().int().min(1).default(2),
      })
      .strict()
      .default({
        armAfter: 1000,
        minDiversityRatio: 0.25,
        duplicateRadius: 0.1,
        maxDuplicateRate: 0.5,
        minClassCoverage: 0.5,
        patience: 2,
      }),
    /** The remedy for each event kind. */
    remedies: z
      .object({
        'non-finite': remedySchema.default({ action: 'rollback', lrFactor: 0.5 }),
        divergence: remedySchema.default({ action: 'rollback', lrFactor: 0.5 }),
        'mode-collapse': remedySchema.default({ action: 'rollback', lrFactor: 0.5 }),
        'd-overpowering': remedySchema.default({ action: 'diffaugment', policy: 'color,translation,cutout' }),
        'grad-spike': remedySchema.default({ action: 'warn' }),
      })
      .strict()
      .default({
        'non-finite': { action: 'rollback', lrFactor: 0.5 },
        divergence: { action: 'rollback', lrFactor: 0.5 },
        'mode-collapse': { action: 'rollback', lrFactor: 0.5 },
        'd-overpowering': { action: 'diffaugment', policy: 'color,translation,cutout' },
        'grad-spike': { action: 'warn' },
      }),
  })
  .strict();

/** The monitor's configuration after defaults. */
export type HealthConfig = z.output<typeof healthConfigSchema>;
/** What a user may write (every field optional). */
export type HealthConfigInput = z.input<typeof healthConfigSchema>;

/** Parses a partial health config, filling defaults; throws a readable zod error on bad input. */
export function parseHealthConfig(input: HealthConfigInput = {}): HealthConfig {
  return healthConfigSchema.parse(input);
}
