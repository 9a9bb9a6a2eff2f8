import { DataType, type AttrValue, type NodeDef, type TensorDef } from "./proto";

/** Accumulates nodes and initializers with unique names (a tiny ONNX graph DSL). */
export class GraphBuilder {
  readonly nodes: NodeDef[] = [];
  readonly initializers: TensorDef[] = [];
  private used = new Set<string>();

  /** A fresh value name based on `base`. */
  name(base: string): string {
    let n = base;
    for (let i = 1; this.used.has(n); i++) n = `${base}_${i}`;
    this.used.add(n);
    return n;
  }

  /** Reserves an exact name (graph inputs / outputs). */
  reserve(name: string): string {
    if (this.used.has(name)) throw new Error(`duplicate value name ${name}`);
    this.used.add(name);
    return name;
  }

  /** A float32 initializer. */
  floats(base: string, values: Float32Array | number[], dims: number[]): string {
    const name = this.name(base);
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    if (data.length !== dims.reduce((a, b) => a * b, 1))
      throw new Error(`initializer ${name}: ${data.length} values for dims ${dims}`);
    this.initializers.push({ name, dims, data, dataType: DataType.FLOAT });
    return name;
  }

  /** An int64 initializer (shapes, axes, indices); `dims` omitted → 1-D; [] → scalar. */
  int64s(base: string, values: number[], dims: number[] = [values.length]): string {
    const name = this.name(base);
    this.initializers.push({ name, dims, data: values, dataType: DataType.INT64 });
    return name;
  }

  /** Adds a node with one output and returns the output name. */
  op(opType: string, inputs: string[], attributes?: Record<string, AttrValue>, out?: string): string {
    const output = out ?? this.name(opType.toLowerCase());
    this.nodes.push({ opType, inputs, outputs: [output], attributes, name: this.name(`n_${output}`) });
    return output;
  }

  /** Adds a node with several outputs ("" for an unused optional output) and returns their names. */
  opMulti(opType: string, inputs: string[], outputs: string[], attributes?: Record<string, AttrValue>): string[] {
    this.nodes.push({ opType, inputs, outputs, attributes, name: this.name(`n_${outputs.find((o) => o) ?? opType}`) });
    return outputs;
  }
}
