// The trainer's batches: drawn from an image or point dataset (fields `image` and `label`) or from
// a multi-field dataset (the fields a phase reads), by a seeded sampler whose state a checkpoint
// holds, so a resumed run draws the same batches as an uninterrupted one.
import * as tf from '@tensorflow/tfjs-core';

import { type FieldDataset, FieldSampler, type FieldSamplerState } from '../data/fields.js';
import { type Dataset, EpochSampler, type EpochSamplerState, gatherBatch } from '../data/types.js';

/** One phase's batch: its fields as tensors, with the classic `real` / `labels` views. */
export interface DrawnBatch {
  /** `image` ([N, ...sampleShape]) for image and point data; the first field read otherwise. */
  real: tf.Tensor;
  /** [N] int32 class labels, for conditional models on labelled data. */
  labels: tf.Tensor1D | null;
  /** Every field drawn, by name. */
  fields: Record<string, tf.Tensor>;
}

export class BatchDrawer {
  private epoch: EpochSampler | null = null;
  private multi: FieldSampler | null = null;

  constructor(
    readonly dataset: Dataset | FieldDataset,
    readonly batchSize: number,
    seed: number,
    /** Whether `label` is drawn (conditional models). */
    readonly withLabels: boolean,
  ) {
    if (dataset.kind === 'fields') this.multi = new FieldSampler(dataset, batchSize, seed);
    else this.epoch = new EpochSampler(dataset.n, batchSize, seed);
  }

  /** The next batch: for a multi-field dataset, the fields in `reads` (every field when unset). */
  next(reads?: string[]): DrawnBatch {
    if (this.multi) {
      const ds = this.dataset as FieldDataset;
      const names = reads?.length ? reads : Object.keys(ds.fields);
      const raw = this.multi.next(names);
      const fields = Object.fromEntries(
        Object.entries(raw).map(([k, v]) => [
          k,
          tf.tensor(v.data, v.shape, v.data instanceof Int32Array ? 'int32' : 'float32'),
        ]),
      );
      return { real: fields[names[0]!]!, labels: null, fields };
    }
    const b = gatherBatch(this.dataset as Dataset, this.epoch!.next());
    const real = tf.tensor(b.data, b.shape); // [N, ...sampleShape]
    const labels = this.withLabels && b.labels ? tf.tensor1d(b.labels, 'int32') : null;
    return { real, labels, fields: labels ? { image: real, label: labels } : { image: real } };
  }

  /** Frees a batch's tensors. */
  static dispose(b: DrawnBatch): void {
    tf.dispose([b.real, ...(b.labels ? [b.labels] : []), ...Object.values(b.fields)]);
  }

  getState(): EpochSamplerState | FieldSamplerState {
    return this.epoch ? this.epoch.getState() : this.multi!.getState();
  }

  /** Continues from a checkpoint's sampler state. */
  restore(state: EpochSamplerState | FieldSamplerState): void {
    if (this.epoch) this.epoch = new EpochSampler(this.epoch.n, this.batchSize, state as EpochSamplerState);
    else this.multi = new FieldSampler(this.dataset as FieldDataset, this.batchSize, state as FieldSamplerState);
  }
}
