// Colour emoji as an unlabelled image dataset (StyleGAN2's emoji presets): every emoji drawn in both
// styles, Twemoji (CC-BY 4.0) and Noto Emoji (Apache-2.0), flattened on white, resized from 64x64
// (src/data/emoji.ts reads the npm emoji-datasource packages; nothing is downloaded).
import type { ImageDataset } from './types.js';
import { listEmoji, readEmojiImages } from './emoji.js';

export interface EmojiImagesOptions {
  /** Image side, 8 to 64. Default 64. */
  size?: number;
  /** Keep only the first `limit` images. */
  limit?: number;
}

/** Twitter-style then Google-style images of every base emoji: [N, size, size, 3] in [-1, 1]. */
export async function loadEmojiImages(opts: EmojiImagesOptions = {}): Promise<ImageDataset> {
  const size = opts.size ?? 64;
  if (!Number.isInteger(size) || size < 8 || size > 64)
    throw new Error(`emoji: the image size must be a whole number from 8 to 64, got ${size}`);
  const items = listEmoji(false);
  const twitter = await readEmojiImages('twitter', items, size);
  const google = await readEmojiImages('google', items, size);
  let n = 2 * items.length;
  if (opts.limit !== undefined) n = Math.min(n, opts.limit);
  const per = size * size * 3;
  const images = new Float32Array(n * per); // [N, size, size, 3]
  images.set(twitter.subarray(0, Math.min(n, items.length) * per));
  if (n > items.length) images.set(google.subarray(0, (n - items.length) * per), items.length * per);
  return {
    kind: 'image',
    name: 'emoji',
    n,
    height: size,
    width: size,
    channels: 3,
    images,
    labels: null,
    numClasses: 0,
    classNames: [],
  };
}
