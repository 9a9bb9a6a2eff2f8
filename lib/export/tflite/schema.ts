/**
 * The part of the TFLite flatbuffer schema this writer emits, written with the `flatbuffers`
 * builder. Source: tensorflow/compiler/mlir/lite/schema/schema.fbs (file_identifier "TFL3",
 * schema version 3). Field slots below are the schema's field ids in declaration order; a union
 * field takes two ids (its `_type` byte, then the value), which is why Operator's
 * builtin_options is slot 4. Enum values and union indices are copied from the same file; keep
 * them exact (the TFLite interpreter reads them by number).
 */
import { Builder } from "flatbuffers";

/** TensorType. */
export const TensorType = { FLOAT32: 0, FLOAT16: 1, INT32: 2 } as const;
export type TensorTypeValue = (typeof TensorType)[keyof typeof TensorType];

/** BuiltinOperator codes used here (all below 127, so deprecated_builtin_code holds them too). */
export const BuiltinOperator = {
  ADD: 0,
  CONCATENATION: 2,
  DEQUANTIZE: 6,
  FULLY_CONNECTED: 9,
  L2_NORMALIZATION: 11,
  LOGISTIC: 14,
  MUL: 18,
  RESHAPE: 22,
  SOFTMAX: 25,
  TANH: 28,
  TRANSPOSE: 39,
  MEAN: 40,
  SUB: 41,
  SPLIT: 49,
  SPLIT_V: 102,
} as const;
export type BuiltinOperatorValue = (typeof BuiltinOperator)[keyof typeof BuiltinOperator];

/** Names by code, for messages and op inventories. */
export const BUILTIN_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(BuiltinOperator).map(([k, v]) => [v, k]),
);

/** ActivationFunctionType. */
export const Activation = { NONE: 0, RELU: 1 } as const;
export type ActivationValue = (typeof Activation)[keyof typeof Activation];

/** Index of each options table in union BuiltinOptions (NONE = 0). */
const Options = {
  FullyConnectedOptions: 8,
  SoftmaxOptions: 9,
  ConcatenationOptions: 10,
  AddOptions: 11,
  L2NormOptions: 12,
  ReshapeOptions: 17,
  MulOptions: 21,
  TransposeOptions: 26,
  ReducerOptions: 27,
  SubOptions: 28,
  SplitOptions: 35,
  DequantizeOptions: 38,
  SplitVOptions: 79,
} as const;

/** A builtin_options value: its union index and a writer of the table (returns its offset). */
export interface OptionsDef {
  type: number;
  write: (b: Builder) => number;
}

function table(type: number, fields: (b: Builder) => void = () => {}, count = 1): OptionsDef {
  return {
    type,
    write: (b) => {
      b.startObject(count);
      fields(b);
      return b.endObject();
    },
  };
}

/** Options tables, each with the fields this writer sets (others keep the schema's defaults). */
export const options = {
  /** FullyConnectedOptions { fused_activation_function, weights_format, keep_num_dims, ... }. */
  fullyConnected: (act: ActivationValue) =>
    table(Options.FullyConnectedOptions, (b) => b.addFieldInt8(0, act, Activation.NONE), 3),
  /** SoftmaxOptions { beta } — the schema's default is 0, so beta 1 is always written. */
  softmax: () => table(Options.SoftmaxOptions, (b) => b.addFieldFloat32(0, 1, 0)),
  /** ConcatenationOptions { axis, fused_activation_function }. */
  concatenation: (axis: number) => table(Options.ConcatenationOptions, (b) => b.addFieldInt32(0, axis, 0), 2),
  add: () => table(Options.AddOptions),
  sub: () => table(Options.SubOptions),
  mul: () => table(Options.MulOptions),
  l2Norm: () => table(Options.L2NormOptions),
  transpose: () => table(Options.TransposeOptions, undefined, 0),
  dequantize: () => table(Options.DequantizeOptions, undefined, 0),
  /** ReducerOptions { keep_dims }. */
  reducer: (keepDims: boolean) => table(Options.ReducerOptions, (b) => b.addFieldInt8(0, keepDims ? 1 : 0, 0)),
  /** SplitOptions / SplitVOptions { num_splits }. */
  split: (n: number) => table(Options.SplitOptions, (b) => b.addFieldInt32(0, n, 0)),
  splitV: (n: number) => table(Options.SplitVOptions, (b) => b.addFieldInt32(0, n, 0)),
  /** ReshapeOptions { new_shape } (the shape also travels as the op's second input). */
  reshape: (shape: number[]) => ({
    type: Options.ReshapeOptions,
    write: (b: Builder) => {
      const v = intVector(b, shape);
      b.startObject(1);
      b.addFieldOffset(0, v, 0);
      return b.endObject();
    },
  }),
};

export interface TensorDef {
  name: string;
  shape: number[];
  type: TensorTypeValue;
  /** Index into Model.buffers; 0 (the empty sentinel) for tensors computed at run time. */
  buffer: number;
}

export interface OperatorDef {
  opcodeIndex: number;
  /** Tensor indices; -1 for an omitted optional input. */
  inputs: number[];
  outputs: number[];
  options?: OptionsDef;
}

export interface OperatorCodeDef {
  code: BuiltinOperatorValue;
  version: number;
}

export interface ModelDef {
  description: string;
  operatorCodes: OperatorCodeDef[];
  /** Buffer 0 must be the empty sentinel (null). */
  buffers: (Uint8Array | null)[];
  subgraph: {
    name: string;
    tensors: TensorDef[];
    inputs: number[];
    outputs: number[];
    operators: OperatorDef[];
  };
  /** One SignatureDef ("serving_default"): names the input and output tensors for signature runners. */
  signature: { key: string; inputs: Record<string, number>; outputs: Record<string, number> };
}

function intVector(b: Builder, values: readonly number[]): number {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]);
  return b.endVector();
}

function offsetVector(b: Builder, offsets: readonly number[]): number {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]);
  return b.endVector();
}

/** Buffer.data is `[ubyte] (force_align: 16)`: the bytes start on a 16-byte boundary of the file. */
function alignedBytes(b: Builder, data: Uint8Array): number {
  b.prep(16, data.length);
  return b.createByteVector(data);
}

/** Serialises a Model (one subgraph) with file identifier "TFL3". */
export function writeModel(m: ModelDef): Uint8Array {
  if (m.buffers[0] !== null) throw new Error("tflite: buffer 0 must be the empty sentinel");
  const payload = m.buffers.reduce((n, d) => n + (d?.length ?? 0) + 16, 0);
  const b = new Builder(payload + 64 * 1024);

  const bufferOffsets = m.buffers.map((data) => {
    const dataOffset = data && data.length > 0 ? alignedBytes(b, data) : 0;
    b.startObject(3);
    if (dataOffset) b.addFieldOffset(0, dataOffset, 0);
    return b.endObject();
  });

  const sg = m.subgraph;
  const tensorOffsets = sg.tensors.map((t) => {
    const name = b.createString(t.name);
    const shape = intVector(b, t.shape);
    b.startObject(9);
    b.addFieldOffset(0, shape, 0); // shape
    b.addFieldInt8(1, t.type, TensorType.FLOAT32); // type
    b.addFieldInt32(2, t.buffer, 0); // buffer
    b.addFieldOffset(3, name, 0); // name
    b.addFieldInt8(8, 1, 0); // has_rank: the shape is known (rank 0 included)
    return b.endObject();
  });

  const operatorOffsets = sg.operators.map((op) => {
    const inputs = intVector(b, op.inputs);
    const outputs = intVector(b, op.outputs);
    const opts = op.options ? op.options.write(b) : 0;
    b.startObject(5);
    b.addFieldInt32(0, op.opcodeIndex, 0); // opcode_index
    b.addFieldOffset(1, inputs, 0); // inputs
    b.addFieldOffset(2, outputs, 0); // outputs
    if (op.options) {
      b.addFieldInt8(3, op.options.type, 0); // builtin_options_type
      b.addFieldOffset(4, opts, 0); // builtin_options
    }
    return b.endObject();
  });

  const subgraphName = b.createString(sg.name);
  const tensors = offsetVector(b, tensorOffsets);
  const sgInputs = intVector(b, sg.inputs);
  const sgOutputs = intVector(b, sg.outputs);
  const operators = offsetVector(b, operatorOffsets);
  b.startObject(5);
  b.addFieldOffset(0, tensors, 0);
  b.addFieldOffset(1, sgInputs, 0);
  b.addFieldOffset(2, sgOutputs, 0);
  b.addFieldOffset(3, operators, 0);
  b.addFieldOffset(4, subgraphName, 0);
  const subgraph = b.endObject();

  const codeOffsets = m.operatorCodes.map((c) => {
    b.startObject(4);
    b.addFieldInt8(0, c.code, 0); // deprecated_builtin_code (readers older than schema 3a)
    b.addFieldInt32(2, c.version, 1); // version
    b.addFieldInt32(3, c.code, 0); // builtin_code
    return b.endObject();
  });

  const tensorMaps = (entries: Record<string, number>) =>
    offsetVector(
      b,
      Object.entries(entries).map(([name, index]) => {
        const n = b.createString(name);
        b.startObject(2);
        b.addFieldOffset(0, n, 0);
        b.addFieldInt32(1, index, 0);
        return b.endObject();
      }),
    );
  const sigInputs = tensorMaps(m.signature.inputs);
  const sigOutputs = tensorMaps(m.signature.outputs);
  const sigKey = b.createString(m.signature.key);
  b.startObject(5);
  b.addFieldOffset(0, sigInputs, 0);
  b.addFieldOffset(1, sigOutputs, 0);
  b.addFieldOffset(2, sigKey, 0);
  b.addFieldInt32(4, 0, 0); // subgraph_index
  const signature = b.endObject();

  const description = b.createString(m.description);
  const codes = offsetVector(b, codeOffsets);
  const subgraphs = offsetVector(b, [subgraph]);
  const buffers = offsetVector(b, bufferOffsets);
  const signatures = offsetVector(b, [signature]);
  b.startObject(8);
  b.addFieldInt32(0, 3, 0); // version
  b.addFieldOffset(1, codes, 0);
  b.addFieldOffset(2, subgraphs, 0);
  b.addFieldOffset(3, description, 0);
  b.addFieldOffset(4, buffers, 0);
  b.addFieldOffset(7, signatures, 0);
  const model = b.endObject();
  b.finish(model, "TFL3");
  return b.asUint8Array().slice();
}
