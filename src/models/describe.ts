// What every model family's describe() and dispose() do, in one place: the description `tsgan info`
// prints (family, paper, shapes, options, each network's parameter and layer counts) and the
// disposal of every network.
import type { GANModel, ModelDescription, Networks } from './types.js';

/** The model's description; `options` replaces its resolved options where they need a shorter form. */
export function describeModel(
  m: Pick<GANModel, 'family' | 'options' | 'networks' | 'latentDim' | 'numClasses' | 'outputShape' | 'valueRange'> & {
    readonly paper: string;
  },
  options: Record<string, unknown> = m.options,
): ModelDescription {
  const networks: ModelDescription['networks'] = {};
  for (const [name, net] of Object.entries(m.networks))
    networks[name] = { params: net.countParams(), layers: net.layers.length };
  return {
    family: m.family,
    paper: m.paper,
    latentDim: m.latentDim,
    numClasses: m.numClasses,
    outputShape: m.outputShape,
    valueRange: m.valueRange,
    options: { ...options },
    networks,
  };
}

/** Disposes every network of a model. */
export function disposeNetworks(networks: Networks): void {
  for (const net of Object.values(networks)) net.dispose();
}
