import { GraphBuilder } from "./graph-builder";
import type { DensePlan, LayerNormPlan } from "../nn/plan";
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

/** A Dense layer (lib/export/nn/plan.ts) on the last axis: MatMul + Add + activation. */
export function dense(g: GraphBuilder, p: DensePlan, x: string, out?: string): string {
  let y = g.op("MatMul", [x, g.floats(`${p.name}_kernel`, p.kernel, [p.inDim, p.units])]);
  if (p.bias) y = g.op("Add", [y, g.floats(`${p.name}_bias`, p.bias, [p.units])]);
  return activation(g, p.activation, y, out);
}

/** StudioLayerNorm → LayerNormalization (opset 17) over the last axis. */
export function layerNorm(g: GraphBuilder, p: LayerNormPlan, x: string): string {
  return g.op(
    "LayerNormalization",
    [x, g.floats(`${p.name}_gamma`, p.gamma, [p.dim]), g.floats(`${p.name}_beta`, p.beta, [p.dim])],
    { axis: attr.i(-1), epsilon: attr.f(p.epsilon) },
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
