// The one list of CLI commands. Each file under commands/ exports a function that adds its command.
import type { Command } from 'commander';

import { registerBench } from './bench.js';
import { registerDirections } from './directions.js';
import { registerDistill } from './distill.js';
import { registerDoctor } from './doctor.js';
import { registerExport } from './export.js';
import { registerGenerate } from './generate.js';
import { registerInfo } from './info.js';
import { registerInterpolate } from './interpolate.js';
import { registerProject } from './project.js';
import { registerSample } from './sample.js';
import { registerServe } from './serve.js';
import { registerSweep } from './sweep.js';
import { registerStudio } from './studio.js';
import { registerStyleMix } from './style_mix.js';
import { registerTrain } from './train.js';
import { registerTranslate } from './translate.js';
import { registerUpscale } from './upscale.js';
import { registerAugment } from './augment.js';
import { registerAugmentEval } from './augment_eval.js';
import { registerEval } from './eval.js';
import { registerReport } from './report.js';

export function registerCommands(program: Command): void {
  registerBench(program);
  registerDoctor(program);
  registerTrain(program);
  registerSample(program);
  registerGenerate(program);
  registerStyleMix(program);
  registerDirections(program);
  registerProject(program);
  registerTranslate(program);
  registerUpscale(program);
  registerAugment(program);
  registerAugmentEval(program);
  registerInterpolate(program);
  registerExport(program);
  registerDistill(program);
  registerServe(program);
  registerStudio(program);
  registerInfo(program);
  registerEval(program);
  registerReport(program);
  registerSweep(program);
}
