// The run's family-specific side: a family registered with hooks (src/models/registry.ts) loads its
// own data sources and writes its own sample grid and periodic evaluation; the other families train
// on the shared sources (src/train/data_source.ts) in the image/points loop of src/train/run.ts.
import type { FieldDataset } from '../data/fields.js';
import type { Dataset } from '../data/types.js';
import { familiesOwningSource, familyOf, type ModelFamily } from '../models/registry.js';
import type { GANModel } from '../models/types.js';
import type { TrainConfig } from './config.js';
import { loadDatasetFromConfig } from './data_source.js';
import type { PeriodicEvaluator } from './periodic_eval.js';
import type { Trainer } from './trainer.js';

/** A run's training data and its held-out split (null where the task has none). */
export interface FamilyData {
  train: Dataset | FieldDataset;
  test: Dataset | FieldDataset | null;
}

/** What a family with hooks does in a run besides training steps. */
export interface FamilyLoop {
  /** Writes the run's sample grid for `step` to `file` (a PNG with provenance). */
  writeGrid(trainer: Trainer, file: string, step: number): Promise<void>;
  /** The periodic evaluation (evalEvery) of the run, or null (after warning why) where it has none. */
  evaluator(warn: (m: string) => void): PeriodicEvaluator | null;
}

/** A family's run hooks (ModelFamily.hooks). */
export interface FamilyHooks {
  /**
   * Loads one of the family's data sources (ModelFamily.dataSources), with a held-out split where it
   * has one; `config` is the whole run config, for data that depends on model options (srgan's scale).
   */
  loadData(data: TrainConfig['data'], family: string, config?: TrainConfig): Promise<FamilyData>;
  /** The grid and evaluation of a run on `data`. */
  loop(config: TrainConfig, data: FamilyData): FamilyLoop;
}

/** A run's family side: its data, grid and evaluation. */
export interface FamilyRun extends FamilyLoop {
  data: FamilyData;
}

/** "an image-to-image task", "a text-to-image task". */
const aTask = (f: ModelFamily) => {
  const t = f.task ?? `${f.name}`;
  return `${/^[aeiou]/i.test(t) ? 'an' : 'a'} ${t} task`;
};

/** Refuses a shared-loop family on another family's data source, with the families that train it. */
function checkSharedSource(source: string): void {
  const owners = familiesOwningSource(source);
  if (owners.length === 0) return;
  const use = owners.map((o) => `${o.name}${o.useFor ? ` (${o.useFor})` : ''}`).join(' or ');
  throw new Error(`data.source '${source}' is ${aTask(owners[0]!)}: train it with model.family ${use}`);
}

/** The family side of a run, or null for the families of the shared loop (after checking the data fits). */
export async function familyRun(
  config: TrainConfig,
  dataset: Dataset | FieldDataset | undefined,
  heldOut: Dataset | FieldDataset | undefined,
  model: GANModel | undefined,
): Promise<FamilyRun | null> {
  const family = familyOf(model?.family ?? config.model.family);
  const source = config.data.source;
  if (!family.hooks) {
    if (dataset?.kind === 'fields')
      throw new Error(
        `the ${family.name} model trains on images or points; ${dataset.name} holds the fields ${Object.keys(dataset.fields).join(', ')}`,
      );
    if (!dataset) checkSharedSource(source);
    return null;
  }
  const hooks = await family.hooks();
  let data: FamilyData;
  if (dataset) data = { train: dataset, test: heldOut ?? null };
  else if (family.dataSources?.includes(source)) data = await hooks.loadData(config.data, family.name, config);
  else
    throw new Error(
      `the ${family.name} model trains on ${family.task ?? family.name} data; data.source '${source}' is not ${aTask(family)} (use ${(family.dataSources ?? []).join(', ')})`,
    );
  return { data, ...hooks.loop(config, data) };
}

/** The training data a config names, through the family's hooks where it has them (`limit` caps it). */
export async function loadTrainingData(
  config: TrainConfig,
  warn?: (m: string) => void,
): Promise<Dataset | FieldDataset> {
  const family = familyOf(config.model.family);
  if (family.hooks && family.dataSources?.includes(config.data.source))
    return (await (await family.hooks()).loadData(config.data, family.name, config)).train;
  if (!family.hooks) checkSharedSource(config.data.source);
  return loadDatasetFromConfig(config.data, config.seed, warn);
}
