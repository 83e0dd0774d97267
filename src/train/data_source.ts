// Turns the config's `data` section into a Dataset, through the loaders of src/data/.
import { loadFashionMnist } from '../data/fashion_mnist.js';
import { loadIdxDataset } from '../data/idx_dataset.js';
import { loadEmojiImages } from '../data/emoji_images.js';
import { loadImageFolder } from '../data/image_folder.js';
import { makeShapes } from '../data/shapes.js';
import { makeToy2d } from '../data/toy2d.js';
import type { Dataset } from '../data/types.js';
import type { TrainConfig } from './config.js';

function needPath(data: TrainConfig['data'], what: string): string {
  if (data.path == null || data.path === '') {
    throw new Error(`data.source '${data.source}' needs data.path (${what}), e.g. --data.path ./my-images`);
  }
  return data.path;
}

export async function loadDatasetFromConfig(
  data: TrainConfig['data'],
  seed: number,
  warn?: (msg: string) => void,
): Promise<Dataset> {
  switch (data.source) {
    case 'fashion-mnist':
      return loadFashionMnist({ split: data.split, path: data.path, limit: data.limit, size: data.size });
    case 'ring8':
    case 'grid25':
    case 'spiral':
      return makeToy2d(data.source, data.points, seed);
    case 'folder':
      // PNG/JPEG files, labels from sub-folder names; resized + center-cropped to data.size (default 64).
      return loadImageFolder(needPath(data, 'a folder of PNG/JPEG images, one sub-folder per class'), {
        size: data.size ?? 64,
        color: data.grayscale ? 'grayscale' : 'rgb',
        onCorrupt: data.skipCorrupt ? 'skip' : 'error',
        limit: data.limit,
        warn,
      });
    case 'idx':
      return loadIdxDataset(needPath(data, 'an IDX image file or a folder of IDX files'), { limit: data.limit });
    case 'emoji':
      // Colour emoji in two styles (Twemoji, Noto), flattened on white, data.size pixels (default 64).
      return loadEmojiImages({ size: data.size ?? 64, limit: data.limit });
    case 'shapes':
      // Procedural captioned shapes, RGB, data.size pixels (default 32), data.limit images (default 10,000).
      return makeShapes({ n: data.limit ?? 10000, resolution: data.size ?? 32, seed });
    default:
      throw new Error(`unknown data source '${String((data as { source: unknown }).source)}'`);
  }
}
