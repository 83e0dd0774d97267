// `tsgan export` of an image-to-image run (pix2pix, CycleGAN): the generator for any image size in
// the TF.js layers format, with a manifest whose input is an image (its channels, the multiple its
// sides are padded to) and a web page that translates an uploaded image in the browser. Custom
// layers (instance norm, reflection padding, dropout) load in the page from tsgan-layers.js.
import type { GeneratorManifest } from './manifest.js';
import { checkExportTarget, exportGenerator, type ExportOptions } from './generator_io.js';
import { type Direction, openTranslator } from '../train/translate.js';

export interface TranslatorExportOptions extends ExportOptions {
  /** CycleGAN: which generator (default AtoB). */
  direction?: Direction;
  /** The raw generator, not its EMA copy. */
  raw?: boolean;
  warn?: (m: string) => void;
}

/** Exports one direction of an image-to-image run or checkpoint to `dir`. */
export async function exportTranslator(
  source: string,
  dir: string,
  o: TranslatorExportOptions = {},
): Promise<GeneratorManifest> {
  checkExportTarget(dir); // before loading anything
  const t = openTranslator(source, { direction: o.direction, useEma: !o.raw, warn: o.warn });
  try {
    return await exportGenerator(
      t.network,
      dir,
      {
        model: t.family,
        latentDim: 0,
        valueRange: [-1, 1],
        resolution: t.resolution,
        channels: t.outChannels,
        outputShape: [t.resolution, t.resolution, t.outChannels],
        inputRoles: ['image'],
        sizeMultiple: t.sizeMultiple,
        extra: { step: t.step, direction: t.direction, inputChannels: t.inChannels },
      },
      { webDemo: o.webDemo, quantize: o.quantize },
    );
  } finally {
    t.dispose();
  }
}
