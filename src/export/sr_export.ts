// `tsgan export` of a super-resolution run (srgan: SRResNet, SRGAN, ESRGAN's RRDB): the generator for
// any input size in the TF.js layers format (pixel shuffle and RRDB's scaling load in a page from
// tsgan-layers.js), with a manifest whose input is a 'low-resolution image' and whose `scale` says
// how many times larger the output is, and a web page that upscales an uploaded image (web_sr.ts).
// `tsgan upscale EXPORT IMAGE...` runs the export as it runs the run (tiled, with the receptive
// radius the manifest records).
import { checkExportTarget, type ExportOptions, exportGenerator, loadGenerator } from './generator_io.js';
import type { GeneratorManifest } from './manifest.js';
import { openUpscaler, type Upscaler, type UpscaleOptions } from '../train/upscale.js';

/** The role of a super-resolution generator's input in the manifest. */
export const SR_INPUT_ROLE = 'low-resolution image';

export interface SrExportOptions extends ExportOptions {
  /** The raw generator, not its EMA copy. */
  raw?: boolean;
  warn?: (m: string) => void;
}

/** Exports the generator of a super-resolution run or checkpoint to `dir`. */
export async function exportUpscaler(source: string, dir: string, o: SrExportOptions = {}): Promise<GeneratorManifest> {
  checkExportTarget(dir); // before loading anything
  const up = openUpscaler(source, { useEma: !o.raw, warn: o.warn });
  try {
    return await exportGenerator(
      up.generator,
      dir,
      {
        model: 'srgan',
        latentDim: 0,
        valueRange: [-1, 1],
        resolution: up.outputSide,
        channels: up.channels,
        outputShape: [up.outputSide, up.outputSide, up.channels],
        inputRoles: [SR_INPUT_ROLE],
        sizeMultiple: 1,
        scale: up.scale,
        extra: { step: up.step, receptiveRadius: up.radius, inputChannels: up.channels },
      },
      { webDemo: o.webDemo, quantize: o.quantize },
    );
  } finally {
    up.dispose();
  }
}

/** Opens an exported super-resolution generator as an Upscaler (what `tsgan upscale` runs). */
export async function openExportedUpscaler(dir: string, opts: Pick<UpscaleOptions, 'scale'> = {}): Promise<Upscaler> {
  const { model, manifest } = await loadGenerator(dir);
  if (!manifest.inputs.some((i) => i.role === SR_INPUT_ROLE) || !manifest.scale) {
    model.dispose();
    throw new Error(
      `${dir} is an exported ${manifest.model} generator that does not upscale images; upscale needs a super-resolution export (tsgan export of an srgan run)`,
    );
  }
  const scale = manifest.scale;
  if (opts.scale !== undefined && opts.scale !== scale) {
    model.dispose();
    throw new Error(
      `the model in ${dir} was exported for x${scale}; --scale ${opts.scale} is not available (use --scale ${scale})`,
    );
  }
  const radius = manifest.extra?.receptiveRadius;
  return {
    scale,
    channels: manifest.channels,
    radius: typeof radius === 'number' ? radius : 32,
    step: typeof manifest.extra?.step === 'number' ? manifest.extra.step : 0,
    outputSide: manifest.resolution,
    generator: model,
    dispose: () => model.dispose(),
  };
}
