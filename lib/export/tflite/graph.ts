/**
 * A small TFLite graph builder: tensors with their shapes, constant buffers, builtin operators in
 * execution order, and typed op helpers that compute each output's shape (readers such as Arm NN
 * take the shapes written in the file as they are, so they must be exact).
 *
 * Float16 files: `weight()` stores a model weight as FLOAT16 and adds a DEQUANTIZE op to float32
 * right there, which is how TensorFlow's own float16 post-training quantisation writes models;
 * every computation stays float32. Helper constants (shapes, axes, scales) stay as they are.
 */
import { float32ToHalf } from "../float16";
import {
  Activation,
  BuiltinOperator,
  TensorType,
  options,
  writeModel,
  type ActivationValue,
  type BuiltinOperatorValue,
  type OperatorDef,
  type OptionsDef,
  type TensorDef,
  type TensorTypeValue,
} from "./schema";

/** A tensor of the graph: its index in the subgraph and its static shape. */
export interface Tensor {
  index: number;
  shape: number[];
}

/**
 * Operator versions (tensorflow/compiler/mlir/lite/tools/versioning/op_version.cc): version 1 for
 * every float32 op here; DEQUANTIZE of float16 input is version 3.
 */
function opVersion(code: BuiltinOperatorValue): number {
  return code === BuiltinOperator.DEQUANTIZE ? 3 : 1;
}

const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** NumPy broadcasting of two shapes (throws when they do not broadcast). */
export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[a.length - n + i] ?? 1;
    const y = b[b.length - n + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new Error(`tflite: shapes [${a}] and [${b}] do not broadcast`);
    out.push(Math.max(x, y));
  }
  return out;
}

export class TfliteGraph {
  private readonly tensors: TensorDef[] = [];
  private readonly buffers: (Uint8Array | null)[] = [null];
  private readonly operators: OperatorDef[] = [];
  private readonly codes: BuiltinOperatorValue[] = [];
  private readonly names = new Set<string>();

  /** @param float16 store model weights as float16 (with DEQUANTIZE ops) */
  constructor(readonly float16: boolean) {}

  private name(base: string): string {
    let n = base;
    for (let i = 1; this.names.has(n); i++) n = `${base}_${i}`;
    this.names.add(n);
    return n;
  }

  private addTensor(base: string, shape: number[], type: TensorTypeValue, data?: Uint8Array): Tensor {
    let buffer = 0;
    if (data) {
      buffer = this.buffers.length;
      this.buffers.push(data);
    }
    const index = this.tensors.length;
    this.tensors.push({ name: this.name(base), shape: [...shape], type, buffer });
    return { index, shape: [...shape] };
  }

  /** A run-time float32 tensor (graph input or op output). */
  private activation(base: string, shape: number[]): Tensor {
    if (shape.some((d) => !Number.isInteger(d) || d < 1)) throw new Error(`tflite: ${base}: bad shape [${shape}]`);
    return this.addTensor(base, shape, TensorType.FLOAT32);
  }

  input(name: string, shape: number[]): Tensor {
    return this.activation(name, shape);
  }

  /** A float32 constant that is always stored as float32 (scales, epsilon columns, zero biases). */
  constant(name: string, values: Float32Array | number[], shape: number[]): Tensor {
    const f = values instanceof Float32Array ? values : Float32Array.from(values);
    if (f.length !== count(shape)) throw new Error(`tflite: constant ${name}: ${f.length} values for [${shape}]`);
    return this.addTensor(
      name,
      shape,
      TensorType.FLOAT32,
      new Uint8Array(f.buffer.slice(f.byteOffset, f.byteOffset + f.byteLength)),
    );
  }

  /** A model weight: float32, or float16 + DEQUANTIZE when the graph stores float16 weights. */
  weight(name: string, values: Float32Array, shape: number[]): Tensor {
    if (!this.float16) return this.constant(name, values, shape);
    if (values.length !== count(shape))
      throw new Error(`tflite: weight ${name}: ${values.length} values for [${shape}]`);
    const half = float32ToHalf(values);
    const stored = this.addTensor(`${name}_fp16`, shape, TensorType.FLOAT16, new Uint8Array(half.buffer));
    return this.op(BuiltinOperator.DEQUANTIZE, [stored], [shape], options.dequantize(), name)[0];
  }

  /** An int32 constant (shapes, axes, split sizes). */
  ints(name: string, values: number[], shape: number[] = [values.length]): Tensor {
    const data = Int32Array.from(values);
    return this.addTensor(name, shape, TensorType.INT32, new Uint8Array(data.buffer));
  }

  /** Appends an operator (execution order) with fresh float32 outputs of `outShapes`. */
  op(
    code: BuiltinOperatorValue,
    inputs: (Tensor | null)[],
    outShapes: number[][],
    opts?: OptionsDef,
    name?: string,
  ): Tensor[] {
    let opcodeIndex = this.codes.indexOf(code);
    if (opcodeIndex < 0) opcodeIndex = this.codes.push(code) - 1;
    const base = name ?? `op${this.operators.length}`;
    const outputs = outShapes.map((s, i) => this.activation(outShapes.length > 1 ? `${base}:${i}` : base, s));
    this.operators.push({
      opcodeIndex,
      inputs: inputs.map((t) => (t ? t.index : -1)),
      outputs: outputs.map((t) => t.index),
      options: opts,
    });
    return outputs;
  }

  /** Builtin operators used so far (codes in first-use order). */
  operatorCodes(): readonly BuiltinOperatorValue[] {
    return this.codes;
  }

  /** The model bytes: `input` → `output`, with a serving_default signature naming both. */
  finish(input: Tensor, output: Tensor, o: { name: string; description: string }): Uint8Array {
    return writeModel({
      description: o.description,
      operatorCodes: this.codes.map((code) => ({ code, version: opVersion(code) })),
      buffers: this.buffers,
      subgraph: {
        name: o.name,
        tensors: this.tensors,
        inputs: [input.index],
        outputs: [output.index],
        operators: this.operators,
      },
      signature: {
        key: "serving_default",
        inputs: { [this.tensors[input.index].name]: input.index },
        outputs: { [this.tensors[output.index].name]: output.index },
      },
    });
  }

  // ---- typed op helpers (float32 in, float32 out) -------------------------------------------

  /** FULLY_CONNECTED: x [rows, in] · weightsᵀ + bias, weights [units, in] (TFLite's layout). */
  fullyConnected(x: Tensor, weights: Tensor, bias: Tensor, act: ActivationValue = Activation.NONE, name?: string) {
    const [units, inDim] = weights.shape;
    if (x.shape.length !== 2 || x.shape[1] !== inDim || bias.shape.join() !== String(units))
      throw new Error(`tflite: fully connected [${x.shape}] × [${weights.shape}]ᵀ + [${bias.shape}]`);
    return this.op(
      BuiltinOperator.FULLY_CONNECTED,
      [x, weights, bias],
      [[x.shape[0], units]],
      options.fullyConnected(act),
      name,
    )[0];
  }

  private binary(code: BuiltinOperatorValue, opts: OptionsDef, a: Tensor, b: Tensor, name?: string): Tensor {
    return this.op(code, [a, b], [broadcastShape(a.shape, b.shape)], opts, name)[0];
  }

  add(a: Tensor, b: Tensor, name?: string): Tensor {
    return this.binary(BuiltinOperator.ADD, options.add(), a, b, name);
  }

  sub(a: Tensor, b: Tensor, name?: string): Tensor {
    return this.binary(BuiltinOperator.SUB, options.sub(), a, b, name);
  }

  mul(a: Tensor, b: Tensor, name?: string): Tensor {
    return this.binary(BuiltinOperator.MUL, options.mul(), a, b, name);
  }

  private unary(code: BuiltinOperatorValue, x: Tensor, opts?: OptionsDef, name?: string): Tensor {
    return this.op(code, [x], [x.shape], opts, name)[0];
  }

  logistic(x: Tensor, name?: string): Tensor {
    return this.unary(BuiltinOperator.LOGISTIC, x, undefined, name);
  }

  tanh(x: Tensor, name?: string): Tensor {
    return this.unary(BuiltinOperator.TANH, x, undefined, name);
  }

  /** SOFTMAX over the last axis (beta 1). */
  softmax(x: Tensor, name?: string): Tensor {
    return this.unary(BuiltinOperator.SOFTMAX, x, options.softmax(), name);
  }

  /** L2_NORMALIZATION over the last axis: x / sqrt(sum(x²)) (TFLite floors the norm at 1e-6). */
  l2Normalize(x: Tensor, name?: string): Tensor {
    return this.unary(BuiltinOperator.L2_NORMALIZATION, x, options.l2Norm(), name);
  }

  reshape(x: Tensor, shape: number[], name?: string): Tensor {
    if (count(shape) !== count(x.shape)) throw new Error(`tflite: reshape [${x.shape}] → [${shape}]`);
    return this.op(BuiltinOperator.RESHAPE, [x, this.ints("shape", shape)], [shape], options.reshape(shape), name)[0];
  }

  transpose(x: Tensor, perm: number[], name?: string): Tensor {
    if ([...perm].sort().join() !== x.shape.map((_, i) => i).join())
      throw new Error(`tflite: transpose perm [${perm}] for [${x.shape}]`);
    return this.op(
      BuiltinOperator.TRANSPOSE,
      [x, this.ints("perm", perm)],
      [perm.map((p) => x.shape[p])],
      options.transpose(),
      name,
    )[0];
  }

  /** MEAN over one axis (non-negative), keeping it as size 1 or dropping it. */
  mean(x: Tensor, axis: number, keepDims: boolean, name?: string): Tensor {
    const shape = keepDims ? x.shape.map((d, i) => (i === axis ? 1 : d)) : x.shape.filter((_, i) => i !== axis);
    return this.op(BuiltinOperator.MEAN, [x, this.ints("axis", [axis])], [shape], options.reducer(keepDims), name)[0];
  }

  concatenate(xs: Tensor[], axis: number, name?: string): Tensor {
    const shape = [...xs[0].shape];
    shape[axis] = xs.reduce((n, t) => n + t.shape[axis], 0);
    for (const t of xs)
      if (t.shape.some((d, i) => i !== axis && d !== shape[i]))
        throw new Error(`tflite: concatenate [${t.shape}] with [${xs[0].shape}] on axis ${axis}`);
    return this.op(BuiltinOperator.CONCATENATION, xs, [shape], options.concatenation(axis), name)[0];
  }

  /** SPLIT into `n` equal parts along `axis` (inputs: axis, then the tensor). */
  split(x: Tensor, axis: number, n: number, name?: string): Tensor[] {
    if (x.shape[axis] % n !== 0) throw new Error(`tflite: split [${x.shape}] into ${n} on axis ${axis}`);
    const part = x.shape.map((d, i) => (i === axis ? d / n : d));
    return this.op(
      BuiltinOperator.SPLIT,
      [this.ints("axis", [axis], []), x],
      Array.from({ length: n }, () => part),
      options.split(n),
      name,
    );
  }

  /** SPLIT_V into parts of `sizes` along `axis` (inputs: the tensor, sizes, axis). */
  splitV(x: Tensor, sizes: number[], axis: number, name?: string): Tensor[] {
    if (sizes.reduce((a, b) => a + b, 0) !== x.shape[axis])
      throw new Error(`tflite: split_v [${x.shape}] into [${sizes}] on axis ${axis}`);
    return this.op(
      BuiltinOperator.SPLIT_V,
      [x, this.ints("sizes", sizes), this.ints("axis", [axis], [])],
      sizes.map((s) => x.shape.map((d, i) => (i === axis ? s : d))),
      options.splitV(sizes.length),
      name,
    );
  }
}
