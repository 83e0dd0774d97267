// ONNX protobuf encoding: the schema (proto/onnx.proto, ONNX 1.12.0, Apache-2.0) read with protobufjs,
// and the plain objects (field names as in the schema) that make a ModelProto.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import protobuf from 'protobufjs';

/** TensorProto.DataType values tsgan writes. */
export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;

/** AttributeProto.AttributeType values. */
export const ATTR = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 } as const;

export interface TensorProto {
  name: string;
  dims: number[];
  data_type: number;
  raw_data: Uint8Array;
}

export interface AttributeProto {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  floats?: number[];
  ints?: number[];
}

export interface NodeProto {
  name: string;
  op_type: string;
  input: string[];
  output: string[];
  attribute: AttributeProto[];
  domain?: string;
}

export interface ValueInfoProto {
  name: string;
  type: { tensor_type: { elem_type: number; shape: { dim: ({ dim_value: number } | { dim_param: string })[] } } };
}

export interface GraphProto {
  name: string;
  node: NodeProto[];
  initializer: TensorProto[];
  input: ValueInfoProto[];
  output: ValueInfoProto[];
  doc_string?: string;
}

export interface ModelProto {
  ir_version: number;
  opset_import: { domain: string; version: number }[];
  producer_name: string;
  producer_version: string;
  doc_string: string;
  graph: GraphProto;
  metadata_props: { key: string; value: string }[];
}

/** proto/onnx.proto, found above this file (src/export/onnx or dist/src/export/onnx). */
function schemaPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const p = path.join(dir, 'proto', 'onnx.proto');
    if (existsSync(p)) return p;
    dir = path.dirname(dir);
  }
  throw new Error('proto/onnx.proto not found beside tsgan: the installation is incomplete');
}

/** The ModelProto type of the schema (parsed on each call: no module-level state). */
export function modelType(): protobuf.Type {
  const root = protobuf.parse(readFileSync(schemaPath(), 'utf8'), { keepCase: true }).root;
  return root.lookupType('onnx.ModelProto');
}

/** Encodes a model to ONNX bytes (checked against the schema first). */
export function encodeModel(model: ModelProto): Uint8Array {
  const T = modelType();
  const err = T.verify(model);
  if (err) throw new Error(`ONNX model does not fit the schema: ${err}`);
  return T.encode(T.fromObject(model)).finish();
}

/** Decodes ONNX bytes to plain objects (tests, inspection). */
export function decodeModel(bytes: Uint8Array): ModelProto {
  const T = modelType();
  return T.toObject(T.decode(bytes), { longs: Number, bytes: Array, defaults: false }) as unknown as ModelProto;
}
