// tsgan's custom tfjs-layers classes for a browser page (an exported generator's index.html, the
// studio's explorer): importing each module registers its class with tfjs's serialization, so
// tf.loadLayersModel reads a model.json that names them. scripts/build-browser-layers.mjs bundles
// this file into dist/browser/tsgan-layers.js, on top of the page's global `tf` (tf.min.js).
// Every model family's custom layers are listed here.
import '../nn/instance_norm.js';
import '../nn/pixel_shuffle.js';
import '../nn/reflection_pad.js';
import '../nn/seeded_dropout.js';
import '../nn/spectral_norm.js';
import '../nn/stylegan_layers.js';
import '../nn/video_layers.js';
import '../text/layers.js';
import { Tokenizer } from '../text/tokenizer.js';
import { Rng } from '../train/rng.js';

// The page of an exported text-to-image generator tokenizes prompts and draws latents with the very
// code `tsgan generate` runs in Node (same word splitting, policies, and latents of a seed).
(globalThis as { tsgan?: unknown }).tsgan = { Tokenizer, Rng };
