// What every model file does with its options and its functional-API graph: parse the options with
// the family's zod schema (defaults filled in), refusing bad ones with one sentence that names the
// family and every bad key; apply a layer to symbolic tensors with the result typed.
import type * as tfl from '@tensorflow/tfjs-layers';
import type { z } from 'zod';

/** `schema` parsed over `options`; a bad value throws `family: key: why; key: why`. */
export function parseModelOptions<S extends z.ZodTypeAny>(family: string, schema: S, options: unknown): z.output<S> {
  const parsed = schema.safeParse(options);
  if (!parsed.success)
    throw new Error(
      `${family}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}

/** `layer` applied to symbolic tensors (building a tfjs-layers model), typed as one output. */
export const applyLayer = (layer: tfl.layers.Layer, x: tfl.SymbolicTensor | tfl.SymbolicTensor[]) =>
  layer.apply(x) as tfl.SymbolicTensor;
