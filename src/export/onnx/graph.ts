// Building an ONNX graph: nodes, float/int64 initializers (raw little-endian data) and unique names.
// A value in the graph carries its tfjs shape (NHWC for images) and its layout in the graph: tsgan
// keeps 4-D activations in NCHW (ONNX's Conv, ConvTranspose, InstanceNormalization and
// BatchNormalization work on channels first) and transposes only at the graph's inputs and outputs,
// and where a layer needs the tfjs layout (a Reshape or a Flatten).
import { f32Bytes } from '../safetensors_format.js';
import { ATTR, type AttributeProto, type NodeProto, ONNX_FLOAT, ONNX_INT64, type TensorProto } from './proto.js';

/** A value of the graph. */
export interface OnnxValue {
  name: string;
  /** Its shape in tfjs order (batch first, channels last); null for unknown sizes. */
  shape: (number | null)[];
  /** 'nchw' for a 4-D image batch stored channels first; 'tfjs' when stored as tfjs holds it. */
  layout: 'nchw' | 'tfjs';
}

/** An attribute value: number (int unless `float`), number list (ints), string, or explicit float(s). */
export type AttrValue = number | number[] | string | { float: number } | { floats: number[] };

function attribute(name: string, v: AttrValue): AttributeProto {
  if (typeof v === 'string') return { name, type: ATTR.STRING, s: new TextEncoder().encode(v) };
  if (typeof v === 'number') return { name, type: ATTR.INT, i: v };
  if (Array.isArray(v)) return { name, type: ATTR.INTS, ints: v };
  if ('float' in v) return { name, type: ATTR.FLOAT, f: v.float };
  return { name, type: ATTR.FLOATS, floats: v.floats };
}

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly used = new Set<string>();

  /** A name not used yet in this graph, from `base`. */
  fresh(base: string): string {
    const clean = base.replace(/[^A-Za-z0-9_./:-]/g, '_') || 'v';
    let name = clean;
    for (let i = 1; this.used.has(name); i++) name = `${clean}_${i}`;
    this.used.add(name);
    return name;
  }

  /** A float32 initializer of `dims`; returns its name. */
  floats(base: string, dims: number[], data: Float32Array): string {
    const n = dims.reduce((a, b) => a * b, 1);
    if (n !== data.length) throw new Error(`initializer ${base}: dims [${dims}] need ${n} values, got ${data.length}`);
    const name = this.fresh(base);
    this.initializers.push({ name, dims, data_type: ONNX_FLOAT, raw_data: Uint8Array.from(f32Bytes(data)) });
    return name;
  }

  /** An int64 initializer (shapes, pads, indices); returns its name. */
  int64s(base: string, values: number[]): string {
    const name = this.fresh(base);
    const raw = new Uint8Array(values.length * 8);
    const dv = new DataView(raw.buffer);
    values.forEach((v, i) => {
      dv.setBigInt64(8 * i, BigInt(v), true);
    });
    this.initializers.push({ name, dims: [values.length], data_type: ONNX_INT64, raw_data: raw });
    return name;
  }

  /** Adds a node with one output; returns the output's name. */
  node(op: string, inputs: string[], base: string, attrs: Record<string, AttrValue> = {}): string {
    const out = this.fresh(base);
    this.nodes.push({
      name: this.fresh(`${base}/${op}`),
      op_type: op,
      input: inputs,
      output: [out],
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return out;
  }

  /** A 4-D value in NCHW (transposed from the tfjs layout when needed). */
  toNchw(v: OnnxValue, base: string): OnnxValue {
    if (v.shape.length !== 4 || v.layout === 'nchw') return v;
    return { ...v, name: this.node('Transpose', [v.name], `${base}/to_nchw`, { perm: [0, 3, 1, 2] }), layout: 'nchw' };
  }

  /** A value in the tfjs layout (NHWC for 4-D). */
  toTfjs(v: OnnxValue, base: string): OnnxValue {
    if (v.layout === 'tfjs') return v;
    return { ...v, name: this.node('Transpose', [v.name], `${base}/to_nhwc`, { perm: [0, 2, 3, 1] }), layout: 'tfjs' };
  }
}
