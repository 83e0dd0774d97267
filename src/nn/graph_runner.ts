// Runs a functional tfjs-layers model on tensors by calling each layer's call() in a precomputed
// order. model.apply() does the same work through tfjs-layers' general executor, which per layer
// and per call builds a feed dictionary, opens a name scope, checks the inputs against the layer's
// input spec and looks up the sorted graph by a string key (a 32x32 StyleGAN2 training step makes
// ~150 layer calls; run here, the step is ~2% faster). The math is the layers' own (the same call() with the
// same kwargs), so the values and gradients are those of model.apply(); test/nn/graph_runner.test.ts
// compares them. Inputs are checked once per call against the model's input shapes.
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** One layer call of the plan: where its inputs are in the value table, where its outputs go. */
interface PlanStep {
  layer: tfl.layers.Layer;
  /** A nested functional model, run by its own plan. */
  nested: GraphPlan | null;
  inputs: number[];
  outputs: number[];
}

/** A model's layer calls in execution order over a table of values (its inputs first). */
interface GraphPlan {
  numValues: number;
  /** Each model input's shape without the batch axis (null where unknown), for the input check. */
  inputShapes: (number | null)[][];
  steps: PlanStep[];
  outputs: number[];
}

/** The part of a symbolic tensor and of a layer node the plan reads (tfjs-layers 4.22 fields). */
interface SymbolicLike {
  id: number;
  name: string;
  shape: (number | null)[];
  sourceLayer: tfl.layers.Layer;
  nodeIndex: number;
  inputs: SymbolicLike[];
}
interface NodeLike {
  inputTensors: SymbolicLike[];
  outputTensors: SymbolicLike[];
}
interface ModelLike {
  name: string;
  inputs: SymbolicLike[];
  outputs: SymbolicLike[];
}

function isModel(layer: tfl.layers.Layer): boolean {
  const m = layer as unknown as Partial<ModelLike>;
  return (
    Array.isArray(m.inputs) && Array.isArray(m.outputs) && typeof (layer as tfl.LayersModel).getLayer === 'function'
  );
}

/**
 * Runs functional models by precomputed plans (one per model, made on first use and kept for the
 * runner's life). Owned by whoever owns the models (a model family instance), not module-wide.
 */
export class GraphRunner {
  private readonly plans = new WeakMap<object, GraphPlan>();

  /** model.apply(inputs, kwargs) for tensors, without tfjs-layers' executor (see the file header). */
  apply(
    model: tfl.LayersModel,
    inputs: tf.Tensor | tf.Tensor[],
    kwargs: Record<string, unknown> = {},
  ): tf.Tensor | tf.Tensor[] {
    const list = Array.isArray(inputs) ? inputs : [inputs];
    const plan = this.planOf(model);
    if (list.length !== plan.inputShapes.length)
      throw new Error(`${model.name} takes ${plan.inputShapes.length} inputs, got ${list.length}`);
    list.forEach((x, i) => {
      const want = plan.inputShapes[i]!;
      const ok = x.rank === want.length + 1 && want.every((d, k) => d == null || d === x.shape[k + 1]);
      if (!ok)
        throw new Error(
          `${model.name}: input ${i} has shape [${x.shape.join(', ')}], expected [N, ${want.map((d) => d ?? '?').join(', ')}]`,
        );
    });
    const outs = tf.tidy(() => this.run(plan, list, kwargs));
    return outs.length === 1 ? outs[0]! : outs; // as model.apply: one tensor for a single output
  }

  private run(plan: GraphPlan, inputs: tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor[] {
    const values: (tf.Tensor | undefined)[] = new Array(plan.numValues);
    for (let i = 0; i < inputs.length; i++) values[i] = inputs[i];
    for (const step of plan.steps) {
      const ins = step.inputs.map((k) => values[k]!);
      // As tfjs-layers' executor: a layer's call() always gets the list of its inputs.
      const out = step.nested ? this.run(step.nested, ins, kwargs) : step.layer.call(ins, kwargs);
      const outs = Array.isArray(out) ? out : [out];
      for (let j = 0; j < step.outputs.length; j++) values[step.outputs[j]!] = outs[j];
    }
    // An output that is one of the inputs is copied, as Layer.apply does: disposing it must not
    // dispose the caller's tensor.
    return plan.outputs.map((k) => (k < inputs.length ? values[k]!.clone() : values[k]!));
  }

  private planOf(model: tfl.LayersModel): GraphPlan {
    let plan = this.plans.get(model);
    if (!plan) {
      plan = makePlan(model as unknown as ModelLike, (layer) => this.planOf(layer as unknown as tfl.LayersModel));
      this.plans.set(model, plan);
    }
    return plan;
  }
}

/**
 * The symbolic tensors a fetch depends on, in the order tfjs-layers' executor runs them (its
 * iterative depth-first walk, which visits a tensor's inputs last to first): the same order of layer
 * calls, so gradients that meet at a tensor (a w used by every layer) are summed in the same order.
 */
function sortedFor(fetch: SymbolicLike, visited: Set<string>): SymbolicLike[] {
  const sorted: SymbolicLike[] = [];
  const stack: SymbolicLike[] = [fetch];
  const marks: number[] = [];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (visited.has(top.name)) {
      stack.pop();
      continue;
    }
    const marked = marks[marks.length - 1] === stack.length - 1;
    if (top.inputs.length === 0 || marked) {
      stack.pop();
      sorted.push(top);
      visited.add(top.name);
      if (marked) marks.pop();
    } else {
      marks.push(stack.length - 1);
      for (const x of top.inputs) if (!visited.has(x.name)) stack.push(x);
    }
  }
  return sorted;
}

/** The plan of a functional model: its layer calls in the executor's order over a table of values. */
function makePlan(model: ModelLike, nestedPlan: (layer: tfl.layers.Layer) => GraphPlan): GraphPlan {
  const slot = new Map<number, number>(); // symbolic tensor id -> value index
  model.inputs.forEach((t, i) => {
    slot.set(t.id, i);
  });
  let numValues = model.inputs.length;
  const steps: PlanStep[] = [];
  const visited = new Set(model.inputs.map((t) => t.name));
  for (const fetch of model.outputs) {
    for (const t of sortedFor(fetch, visited)) {
      if (slot.has(t.id)) continue; // a model input, or an output of a layer call already planned
      const layer = t.sourceLayer;
      const node = (layer as unknown as { inboundNodes: NodeLike[] }).inboundNodes[t.nodeIndex];
      if (!node || node.inputTensors.length === 0)
        throw new Error(`${model.name}: the graph reaches ${layer.name}, which is not fed by the model's inputs`);
      const outputs = node.outputTensors.map((o) => {
        slot.set(o.id, numValues);
        return numValues++;
      });
      steps.push({
        layer,
        nested: isModel(layer) ? nestedPlan(layer) : null,
        inputs: node.inputTensors.map((x) => slot.get(x.id)!),
        outputs,
      });
    }
  }
  return {
    numValues,
    inputShapes: model.inputs.map((t) => t.shape.slice(1)),
    steps,
    outputs: model.outputs.map((t) => slot.get(t.id)!),
  };
}
