import { GraphBuilder } from "./graph-builder";
import type { ArtifactReader } from "./neural-common";
import type { OnnxExportOptions } from "./forest";
import { DataType, attr, encodeModel } from "./proto";

/** Applies a Keras activation by name; `out` names the result (graph outputs). */
export function activation(g: GraphBuilder, kind: string, x: string, out?: string): string {
  switch (kind) {
    case "linear":
      return out ? g.op("Identity", [x], undefined, out) : x;
    case "relu":
      return g.op("Relu", [x], undefined, out);
    case "tanh":
      return g.op("Tanh", [x], undefined, out);
    case "sigmoid":
      return g.op("Sigmoid", [x], undefined, out);
    case "softmax":
      return g.op("Softmax", [x], { axis: attr.i(-1) }, out);
    default:
      throw new Error(`ONNX export: activation "${kind}" is not supported`);
  }
}

/** A Keras Dense layer on the last axis: MatMul + Add + activation. */
export function dense(g: GraphBuilder, r: ArtifactReader, name: string, x: string, out?: string): string {
  const k = r.weight(`${name}/kernel`);
  if (k.shape.length !== 2) throw new Error(`${r.what}: ${name}/kernel is not 2-D`);
  const [inDim, units] = k.shape;
  let y = g.op("MatMul", [x, g.floats(`${name}_kernel`, k.values, [inDim, units])]);
  if (r.layer(name, "Dense").config.use_bias !== false)
    y = g.op("Add", [y, g.floats(`${name}_bias`, r.weight(`${name}/bias`, [units]).values, [units])]);
  return activation(g, r.str(name, "activation"), y, out);
}

/** StudioLayerNorm → LayerNormalization (opset 17) over the last axis. */
export function layerNorm(g: GraphBuilder, r: ArtifactReader, name: string, x: string): string {
  const gamma = r.weight(`${name}/gamma`);
  const d = gamma.shape[0];
  const eps = r.layer(name, "StudioLayerNorm").config.epsilon;
  return g.op(
    "LayerNormalization",
    [
      x,
      g.floats(`${name}_gamma`, gamma.values, [d]),
      g.floats(`${name}_beta`, r.weight(`${name}/beta`, [d]).values, [d]),
    ],
    {
      axis: attr.i(-1),
      epsilon: attr.f(typeof eps === "number" ? eps : 1e-5),
    },
  );
}

/** Wraps a finished graph (input [N, W, F] → output [N, classes]) into ModelProto bytes. */
export function neuralModel(
  g: GraphBuilder,
  o: { name: string; input: [string, number, number]; outputWidth: number; doc: string; opts: OnnxExportOptions },
): Uint8Array {
  return encodeModel({
    irVersion: 8,
    opsets: [{ domain: "", version: 17 }],
    producerName: "trademate-studio",
    producerVersion: o.opts.producerVersion ?? "1",
    docString: o.doc,
    metadata: o.opts.metadata,
    graph: {
      name: o.name,
      nodes: g.nodes,
      initializers: g.initializers,
      inputs: [{ name: o.input[0], elemType: DataType.FLOAT, shape: ["N", o.input[1], o.input[2]] }],
      outputs: [{ name: "probabilities", elemType: DataType.FLOAT, shape: ["N", o.outputWidth] }],
    },
  });
}
