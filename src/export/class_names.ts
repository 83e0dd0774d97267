// The class names an export records in its manifest (and its web page shows): from
// `--class-names a,b,...` (one per class, checked), else Fashion-MNIST's for a run trained on it.
import { FASHION_MNIST_CLASSES } from '../data/fashion_mnist.js';

/** What the check needs to know about the generator. */
export interface ClassNamesTarget {
  numClasses: number;
  /** The run's data source, when the generator comes from a run ('fashion-mnist', ...). */
  trainer?: { config: { data: { source: string } } };
}

/**
 * Parses a comma-separated `--class-names` list for a generator: exactly one non-empty name per class.
 * Without a list: Fashion-MNIST's names for a 10-class model trained on it, else none.
 */
export function resolveClassNames(list: string | undefined, g: ClassNamesTarget): string[] {
  if (list === undefined) {
    return g.trainer?.config.data.source === 'fashion-mnist' && g.numClasses === 10 ? [...FASHION_MNIST_CLASSES] : [];
  }
  const names = list.split(',').map((s) => s.trim());
  if (g.numClasses === 0)
    throw new Error('--class-names: this generator is unconditional (it has no classes); leave the option out');
  if (names.some((n) => n === ''))
    throw new Error(`--class-names: empty name in '${list}' (give ${g.numClasses} names separated by commas)`);
  if (names.length !== g.numClasses) {
    throw new Error(
      `--class-names: ${names.length} name${names.length === 1 ? '' : 's'} given, but the generator has ${g.numClasses} classes (give one name per class, in class order)`,
    );
  }
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new Error(`--class-names: '${dup}' is given twice (each class needs its own name)`);
  return names;
}
