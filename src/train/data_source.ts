// Turns the config's `data` section into a Dataset, through the loaders of src/data/.
import { loadFashionMnist } from '../data/fashion_mnist.js';
import { makeToy2d } from '../data/toy2d.js';
import type { Dataset } from '../data/types.js';
import type { TrainConfig } from './config.js';

export function loadDatasetFromConfig(data: TrainConfig['data'], seed: number): Dataset {
  switch (data.source) {
    case 'fashion-mnist':
      return loadFashionMnist({ split: data.split, path: data.path, limit: data.limit });
    case 'ring8':
    case 'grid25':
    case 'spiral':
      return makeToy2d(data.source, data.points, seed);
    default:
      throw new Error(`data source '${data.source}' is not available yet in this build (use fashion-mnist, ring8, grid25 or spiral)`);
  }
}
