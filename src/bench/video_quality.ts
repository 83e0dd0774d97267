// `tsgan bench video-quality RUN`: the run's task's held-out clips (its config's data source), the
// motion classifier trained on the task's training clips, and the measures of src/video/measure.ts
// for real and generated clips side by side.
import { loadVideoData } from '../train/video_loop.js';
import { trainerFromCheckpoint, resolveCheckpointPath } from '../train/inference.js';
import type { ClipDataset } from '../data/moving.js';
import { videoQuality, type VideoQuality } from '../video/measure.js';
import { trainMotionClassifier } from '../video/motion_classifier.js';

export async function benchVideoQuality(
  run: string,
  o: { n?: number; seed?: number; classifierSteps?: number; onClassifierStep?: (step: number, steps: number) => void },
): Promise<VideoQuality> {
  const { file, checkpoint } = resolveCheckpointPath(run);
  if (checkpoint.header.model.family !== 'mocogan')
    throw new Error(`${run} holds a ${checkpoint.header.model.family} model; video-quality scores mocogan runs`);
  const trainer = trainerFromCheckpoint(checkpoint, file);
  try {
    const data = await loadVideoData(trainer.config.data);
    const train = data.train as ClipDataset;
    const test = data.test as ClipDataset;
    const steps = o.classifierSteps ?? 300;
    const motion =
      steps > 0
        ? trainMotionClassifier(train, test, { steps, onStep: (k) => o.onClassifierStep?.(k, steps) })
        : undefined;
    return videoQuality(trainer, test, { n: o.n ?? 128, seed: o.seed ?? 1000, motion });
  } finally {
    trainer.dispose();
  }
}
