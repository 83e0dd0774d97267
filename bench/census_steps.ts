// The training steps the census scripts (conv_census.ts, native_census.ts) look inside: each bench's
// step run once untimed (compiles and fills the buffer pool), then `counted` steps while the caller's
// timers count. Not a test.

export const CENSUS_STEPS = ['stylegan', 'cyclegan1', 'cyclegan4', 'pix2pix1', 'text2image'];

/**
 * Warms up the step `which`, calls start() (the caller's timers begin counting), runs `counted` steps
 * and returns the bench's own time per step. StyleGAN2's bench counts its one warm-up step too, so it
 * times counted - 1.
 */
export async function runCensusSteps(which: string, counted: number, start: () => void): Promise<number> {
  if (which === 'text2image') {
    const { benchText2Image } = await import('../src/bench/text2image.js');
    await benchText2Image({ peer: false, steps: 1, warmup: 1 });
    start();
    return (await benchText2Image({ peer: false, steps: counted, warmup: 0 })).train_ms_per_step;
  }
  if (which.startsWith('cyclegan') || which.startsWith('pix2pix')) {
    const { benchTranslation } = await import('../src/bench/translation.js');
    const model = which.startsWith('cyclegan') ? 'cyclegan' : 'pix2pix';
    const batch = Number(which.slice(model.length) || 1);
    await benchTranslation({ model, batch, steps: 1, warmup: 1, peer: false });
    start();
    return (await benchTranslation({ model, batch, steps: counted, warmup: 0, peer: false })).train_ms_per_step;
  }
  if (which === 'stylegan') {
    const { benchStylegan } = await import('../src/bench/stylegan.js');
    await benchStylegan({ peer: false, steps: 1, warmup: 3 });
    start();
    return (await benchStylegan({ peer: false, steps: counted - 1, warmup: 1 })).train_ms_per_step;
  }
  throw new Error(`unknown step '${which}' (one of ${CENSUS_STEPS.join(', ')})`);
}
