import { ProtoWriter } from "./protobuf";

/**
 * ONNX IR messages (onnx/onnx.proto, proto2), only the fields this exporter writes. Field numbers
 * are those of onnx.proto; keep them exact.
 */

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT32: 6, INT64: 7, STRING: 8, FLOAT16: 10 } as const;

/** AttributeProto.AttributeType. */
const AttrType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

export interface TensorDef {
  name: string;
  dims: number[];
  /** FLOAT (Float32Array) or INT64 (number[] / BigInt64Array) or INT32 (Int32Array). */
  data: Float32Array | BigInt64Array | Int32Array | number[];
  dataType: (typeof DataType)[keyof typeof DataType];
}

/** Attribute values: number → INT when `int` is true or the key says so, see attr helpers below. */
export type AttrValue =
  | { kind: "float"; value: number }
  | { kind: "int"; value: number }
  | { kind: "string"; value: string }
  | { kind: "floats"; value: ArrayLike<number> }
  | { kind: "ints"; value: ArrayLike<number> }
  | { kind: "strings"; value: string[] }
  | { kind: "tensor"; value: TensorDef };

export const attr = {
  f: (value: number): AttrValue => ({ kind: "float", value }),
  i: (value: number): AttrValue => ({ kind: "int", value }),
  s: (value: string): AttrValue => ({ kind: "string", value }),
  floats: (value: ArrayLike<number>): AttrValue => ({ kind: "floats", value }),
  ints: (value: ArrayLike<number>): AttrValue => ({ kind: "ints", value }),
  strings: (value: string[]): AttrValue => ({ kind: "strings", value }),
  t: (value: TensorDef): AttrValue => ({ kind: "tensor", value }),
};

export interface NodeDef {
  opType: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  domain?: string;
  attributes?: Record<string, AttrValue>;
}

/** A dimension: a fixed size or a symbolic name (e.g. "batch"). */
export type Dim = number | string;

export interface ValueInfoDef {
  name: string;
  elemType: (typeof DataType)[keyof typeof DataType];
  shape: Dim[];
}

export interface GraphDef {
  name: string;
  nodes: NodeDef[];
  initializers: TensorDef[];
  inputs: ValueInfoDef[];
  outputs: ValueInfoDef[];
}

export interface ModelDef {
  irVersion: number;
  opsets: { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  docString?: string;
  graph: GraphDef;
  metadata?: Record<string, string>;
}

export function encodeTensor(t: TensorDef): Uint8Array {
  const w = new ProtoWriter();
  w.packedInts(1, t.dims); // dims
  w.int(2, t.dataType); // data_type
  w.string(8, t.name); // name
  if (t.dataType === DataType.FLOAT) {
    const f = t.data instanceof Float32Array ? t.data : Float32Array.from(t.data as number[]);
    w.bytes(9, new Uint8Array(f.buffer.slice(f.byteOffset, f.byteOffset + f.byteLength))); // raw_data, little-endian
  } else if (t.dataType === DataType.INT64) {
    const src =
      t.data instanceof BigInt64Array
        ? t.data
        : BigInt64Array.from(Array.from(t.data as ArrayLike<number>, (x) => BigInt(x)));
    const raw = new Uint8Array(src.length * 8);
    const dv = new DataView(raw.buffer);
    src.forEach((v, i) => dv.setBigInt64(i * 8, v, true));
    w.bytes(9, raw);
  } else if (t.dataType === DataType.INT32) {
    const src = t.data instanceof Int32Array ? t.data : Int32Array.from(t.data as number[]);
    const raw = new Uint8Array(src.length * 4);
    const dv = new DataView(raw.buffer);
    src.forEach((v, i) => dv.setInt32(i * 4, v, true));
    w.bytes(9, raw);
  } else {
    throw new Error(`encodeTensor: unsupported data type ${t.dataType}`);
  }
  return w.finish();
}

function encodeAttribute(name: string, a: AttrValue): Uint8Array {
  const w = new ProtoWriter();
  w.string(1, name);
  switch (a.kind) {
    case "float":
      w.int(20, AttrType.FLOAT).float(2, a.value);
      break;
    case "int":
      w.int(20, AttrType.INT).int(3, a.value);
      break;
    case "string":
      w.int(20, AttrType.STRING).string(4, a.value);
      break;
    case "tensor":
      w.int(20, AttrType.TENSOR).bytes(5, encodeTensor(a.value));
      break;
    case "floats":
      w.int(20, AttrType.FLOATS).packedFloats(7, a.value);
      break;
    case "ints":
      w.int(20, AttrType.INTS).packedInts(8, a.value);
      break;
    case "strings":
      w.int(20, AttrType.STRINGS);
      for (const s of a.value) w.string(9, s);
      break;
  }
  return w.finish();
}

function encodeNode(n: NodeDef): Uint8Array {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  if (n.name) w.string(3, n.name);
  w.string(4, n.opType);
  for (const [k, v] of Object.entries(n.attributes ?? {})) w.bytes(5, encodeAttribute(k, v));
  if (n.domain) w.string(7, n.domain);
  return w.finish();
}

function encodeValueInfo(v: ValueInfoDef): Uint8Array {
  const shape = new ProtoWriter();
  for (const d of v.shape) {
    const dim = new ProtoWriter();
    if (typeof d === "number") dim.int(1, d);
    else dim.string(2, d);
    shape.bytes(1, dim.finish());
  }
  const tensorType = new ProtoWriter().int(1, v.elemType).bytes(2, shape.finish()).finish();
  const type = new ProtoWriter().bytes(1, tensorType).finish(); // TypeProto.tensor_type = 1
  return new ProtoWriter().string(1, v.name).bytes(2, type).finish();
}

function encodeGraph(g: GraphDef): Uint8Array {
  const w = new ProtoWriter();
  for (const n of g.nodes) w.bytes(1, encodeNode(n));
  w.string(2, g.name);
  for (const t of g.initializers) w.bytes(5, encodeTensor(t));
  for (const i of g.inputs) w.bytes(11, encodeValueInfo(i));
  for (const o of g.outputs) w.bytes(12, encodeValueInfo(o));
  return w.finish();
}

/** Serialises a ModelProto. */
export function encodeModel(m: ModelDef): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, m.irVersion);
  w.string(2, m.producerName);
  w.string(3, m.producerVersion);
  if (m.docString) w.string(6, m.docString);
  w.bytes(7, encodeGraph(m.graph));
  for (const o of m.opsets) {
    const op = new ProtoWriter();
    if (o.domain) op.string(1, o.domain);
    op.int(2, o.version);
    w.bytes(8, op.finish());
  }
  for (const [k, v] of Object.entries(m.metadata ?? {}))
    w.bytes(14, new ProtoWriter().string(1, k).string(2, v).finish());
  return w.finish();
}
