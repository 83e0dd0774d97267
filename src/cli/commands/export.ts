// `tsgan export`: a run/checkpoint's generator to the TF.js layers-model format + manifest.json (with a
// web page and a local TensorFlow.js; optionally quantized weights), or every network of the run to
// safetensors with a PyTorch manifest, or the generator to an ONNX graph.
import type { Command } from 'commander';

import { exportRun } from '../../index.js';

interface ExportFlags {
  raw?: boolean;
  classNames?: string;
  page: boolean;
  format: string;
  quantize?: string;
  direction?: string;
}

export function registerExport(program: Command): void {
  program
    .command('export <source> <outDir>')
    .description(
      'export the generator (EMA copy when the run kept one) as a TF.js layers model + manifest.json + a web page, as ONNX, or the run as safetensors',
    )
    .option(
      '--format <format>',
      'tfjs (layers model, default) | onnx (the generator) | safetensors (every network, PyTorch names)',
      'tfjs',
    )
    .option('--quantize <dtype>', 'tfjs format: store the weights as uint8 or float16 (dequantized on load)')
    .option('--raw', 'export the raw generator weights, not the EMA copy')
    .option('--direction <dir>', 'image-to-image runs: AtoB (default) or BtoA (CycleGAN) for the tfjs format')
    .option('--class-names <list>', 'comma-separated class names to record in the manifest (one per class)')
    .option('--no-page', 'do not write the web page (index.html) and its TensorFlow.js copy (tf.min.js)')
    .addHelpText(
      'after',
      `
tfjs: the folder holds model.json, weight shards and manifest.json (latent size, classes, value range,
resolution, sha256), and for image generators index.html with tf.min.js (TensorFlow.js, so the page
works offline) and tsgan-layers.js (tsgan's custom layers). An image-to-image run (pix2pix, cyclegan)
exports its generator for any image size (manifest input: an image; --direction BtoA for CycleGAN's
other one); its page translates an image you choose, and 'tsgan translate <outDir> IMAGE...' runs it.
A super-resolution run (srgan) exports its generator for any input size (manifest input: a
low-resolution image, and its scale); its page upscales an image you choose (up to 128x128), and
'tsgan upscale <outDir> IMAGE... -o DIR' runs it on any size. A text-to-image run exports its text
encoder joined to its generator (inputs: z and the prompt's word ids; the vocabulary and the
tokenizer's policies in the manifest); its page has a prompt box. Browsers do not load the model from a page opened as a file: serve the folder over
HTTP with 'tsgan serve <outDir>' (or 'python3 -m http.server' inside it) and open the address shown.
In Node, load it with loadGenerator() from tsgan. --quantize uint8|float16 shrinks the weight files
about 4x or 2x; TF.js dequantizes them to float32 when it loads the model.

safetensors: model.safetensors holds every network of the run (G, D, EMA copies as <name>_ema) in
PyTorch layouts, model.safetensors.json maps each tfjs weight to its key and layout, and
check.safetensors holds fixed latents with the generators' outputs (examples/load_dcgan_torch.py
rebuilds the DCGAN generator in PyTorch from them).

onnx: model.onnx (CycleGAN: G_AB.onnx and G_BA.onnx), opset 13, with model.onnx.json naming the
inputs (z [N, Z], label [N, 1] for conditional generators, an NHWC image, or for text-to-image z and
ids [N, maxLen] int32 with the tokenizer in model.onnx.json) and the NHWC output.
The graph is in inference mode: BatchNorm uses its moving statistics, dropout is the identity.

Examples:
  $ tsgan export runs/dcgan-fmnist-20260101-120000 exported/dcgan-fmnist
  $ tsgan serve exported/dcgan-fmnist
  $ tsgan export runs/dcgan-fmnist-20260101-120000 exported/dcgan-uint8 --quantize uint8
  $ tsgan export runs/dcgan-fmnist-20260101-120000 exported/dcgan-st --format safetensors
  $ tsgan export runs/pix2pix-edges-fmnist-20260101-120000 exported/pix2pix-onnx --format onnx
  $ tsgan export runs/cgan-fmnist-xyz/checkpoints/step-0001500.ckpt exported/cgan --class-names a,b,c,d,e,f,g,h,i,j`,
    )
    .action(async (source: string, outDir: string, o: ExportFlags) => {
      const r = await exportRun(source, outDir, {
        format: o.format,
        ...(o.quantize !== undefined ? { quantize: o.quantize } : {}),
        ...(o.raw ? { raw: true } : {}),
        ...(o.classNames !== undefined ? { classNames: o.classNames } : {}),
        ...(o.direction !== undefined ? { direction: o.direction } : {}),
        page: o.page,
        warn: (m) => process.stderr.write(`tsgan: ${m}\n`),
      });
      if (r.format === 'tfjs') {
        const m = r.manifest;
        const q = m.extra?.quantized ? `, ${m.extra.quantized} weights` : '';
        const roles = m.inputs.map((i) => i.role);
        const what = roles.includes('image')
          ? `${m.model} translator (${String(m.extra?.direction ?? 'AtoB')}, any size, sides padded to a multiple of ${m.sizeMultiple ?? 1}${q}`
          : roles.includes('low-resolution image')
            ? `${m.model} upscaler (x${m.scale}, any input size${q}`
            : m.text
              ? `${m.model} text encoder and generator (latent ${m.latentDim}, ${m.text.vocab.length - 2} words, at most ${m.text.maxLen} per prompt${q}`
              : `${m.model} generator (latent ${m.latentDim}, ${m.numClasses} classes${q}`;
        process.stdout.write(`exported ${what}, sha256 ${m.sha256.slice(0, 12)}...) to ${outDir}\n`);
        if (o.page && m.resolution > 0)
          process.stdout.write(`web page: ${outDir}/index.html; view it with: tsgan serve ${outDir}\n`);
        else if (o.page) process.stdout.write('no web page: this generator outputs points, not images\n');
      } else if (r.format === 'onnx') {
        const files = Object.values(r.result.files);
        const size = Object.values(r.result.bytes).reduce((a, b) => a + b, 0);
        process.stdout.write(
          `exported the ${r.result.sidecar.family} generator${files.length > 1 ? 's' : ''} as ONNX (opset ${r.result.sidecar.opset}, ${size} bytes, inference mode) to ${files.map((f) => `${outDir}/${f}`).join(', ')}\n`,
        );
      } else if (r.format === 'safetensors') {
        const m = r.result.manifest;
        process.stdout.write(
          `exported ${Object.keys(m.networks).join(', ')} of a ${m.family} run at step ${m.step} (${r.result.tensors} tensors, ${r.result.bytes} bytes) to ${outDir}/model.safetensors\n`,
        );
      }
    });
}
