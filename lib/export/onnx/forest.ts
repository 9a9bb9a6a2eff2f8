import type { ForestModel } from "@/lib/models/forest/types";
import { GraphBuilder } from "./graph-builder";
import { DataType, attr, encodeModel, type ModelDef, type NodeDef, type ValueInfoDef } from "./proto";

/** Options shared by the ONNX exporters. */
export interface OnnxExportOptions {
  producerVersion?: string;
  /** Extra metadata_props (e.g. {classes: "STRONG_SELL,SELL,BUY,STRONG_BUY", fingerprint}). */
  metadata?: Record<string, string>;
}

export const FOREST_ONNX_INPUT = "input";
/** Input name when the forest takes the normalised window itself (see `windowInput`). */
export const FOREST_ONNX_WINDOW = "window";

export interface ForestOnnxOptions extends OnnxExportOptions {
  /**
   * true: the model takes the normalised window [N, W, F] (like the sequence models) and applies
   * the forest's view inside the graph (flat: Reshape; compact: last/mean/std/min/max/delta per
   * feature with Gather / Reduce* ops). Needs model.view. false (default): input [N, numFeatures].
   * Compact stats are computed in float32 by the runtime (ours in float64, then rounded), so a
   * value lying within ~1e-6 of a split threshold may rarely take the other branch.
   */
  windowInput?: boolean;
}
export const FOREST_ONNX_LABEL = "label";
export const FOREST_ONNX_PROBABILITIES = "probabilities";

/**
 * The forest as an ONNX model using ai.onnx.ml TreeEnsembleClassifier (ml opset 3).
 * Input "input" float [N, numFeatures]; outputs "label" int64 [N] and "probabilities" float
 * [N, numClasses] (no ZipMap: a plain tensor).
 *
 * Why the probabilities match ours: the classifier sums, per class, the weights of the leaves the
 * row reaches in every tree; each leaf's weight is its class probability divided by the number of
 * trees, and post_transform is NONE, so the sum is the mean of leaf probabilities.
 * Node modes: BRANCH_LEQ (x <= threshold → true branch = our `left`) and LEAF.
 */
export function forestToOnnx(model: ForestModel, opts: ForestOnnxOptions = {}): Uint8Array {
  const C = model.numClasses;
  const T = model.trees.length;
  if (T === 0) throw new Error("forestToOnnx: the forest has no trees");
  const treeIds: number[] = [];
  const nodeIds: number[] = [];
  const featureIds: number[] = [];
  const values: number[] = [];
  const modes: string[] = [];
  const trueIds: number[] = [];
  const falseIds: number[] = [];
  const cTree: number[] = [];
  const cNode: number[] = [];
  const cClass: number[] = [];
  const cWeight: number[] = [];
  model.trees.forEach((tree, t) => {
    const n = tree.feature.length;
    for (let i = 0; i < n; i++) {
      const leaf = tree.feature[i] === -1;
      treeIds.push(t);
      nodeIds.push(i);
      featureIds.push(leaf ? 0 : tree.feature[i]);
      values.push(leaf ? 0 : tree.threshold[i]);
      modes.push(leaf ? "LEAF" : "BRANCH_LEQ");
      trueIds.push(leaf ? 0 : tree.left[i]);
      falseIds.push(leaf ? 0 : tree.right[i]);
      if (leaf) {
        for (let c = 0; c < C; c++) {
          const p = tree.value[i * C + c];
          if (p === 0) continue; // absent weights count as 0: smaller file
          cTree.push(t);
          cNode.push(i);
          cClass.push(c);
          cWeight.push(p / T);
        }
      }
    }
  });
  const g = new GraphBuilder();
  let treeInput = FOREST_ONNX_INPUT;
  let graphInput: ValueInfoDef = { name: FOREST_ONNX_INPUT, elemType: DataType.FLOAT, shape: ["N", model.numFeatures] };
  if (opts.windowInput) {
    if (!model.view)
      throw new Error("forestToOnnx: windowInput needs the model's view (how inputs come from a window)");
    const { window: W, features: F } = model.view;
    g.reserve(FOREST_ONNX_WINDOW);
    graphInput = { name: FOREST_ONNX_WINDOW, elemType: DataType.FLOAT, shape: ["N", W, F] };
    treeInput =
      model.view.kind === "flat"
        ? g.op("Reshape", [FOREST_ONNX_WINDOW, g.int64s("flat_shape", [-1, W * F])])
        : compactView(g, FOREST_ONNX_WINDOW, W, F);
  }
  const treeNode: NodeDef = {
    opType: "TreeEnsembleClassifier",
    domain: "ai.onnx.ml",
    name: "forest",
    inputs: [treeInput],
    outputs: [FOREST_ONNX_LABEL, FOREST_ONNX_PROBABILITIES],
    attributes: {
      classlabels_int64s: attr.ints(Array.from({ length: C }, (_, c) => c)),
      nodes_treeids: attr.ints(treeIds),
      nodes_nodeids: attr.ints(nodeIds),
      nodes_featureids: attr.ints(featureIds),
      nodes_values: attr.floats(values),
      nodes_modes: attr.strings(modes),
      nodes_truenodeids: attr.ints(trueIds),
      nodes_falsenodeids: attr.ints(falseIds),
      class_treeids: attr.ints(cTree),
      class_nodeids: attr.ints(cNode),
      class_ids: attr.ints(cClass),
      class_weights: attr.floats(cWeight),
      post_transform: attr.s("NONE"),
    },
  };
  const def: ModelDef = {
    irVersion: 8,
    opsets: [
      { domain: "", version: 17 },
      { domain: "ai.onnx.ml", version: 3 },
    ],
    producerName: "trademate-studio",
    producerVersion: opts.producerVersion ?? "1",
    docString: `Random forest, ${T} trees, ${model.numFeatures} inputs, ${C} classes; probabilities = mean of leaf probabilities.`,
    metadata: { inputs: model.featureNames.join(","), ...opts.metadata },
    graph: {
      name: "random_forest",
      nodes: [...g.nodes, treeNode],
      initializers: g.initializers,
      inputs: [graphInput],
      outputs: [
        { name: FOREST_ONNX_LABEL, elemType: DataType.INT64, shape: ["N"] },
        { name: FOREST_ONNX_PROBABILITIES, elemType: DataType.FLOAT, shape: ["N", C] },
      ],
    },
  };
  return encodeModel(def);
}

/**
 * The compact view in ONNX ops: per feature, [last, mean, std (population), min, max,
 * last - first] over the window, laid out as input 6f + k (lib/models/forest/views.ts).
 */
function compactView(g: GraphBuilder, x: string, W: number, F: number): string {
  const at = (i: number) => g.op("Gather", [x, g.int64s(`step_${i}`, [i], [])], { axis: attr.i(1) });
  const reduce = (op: string, v: string, keep = 0) => g.op(op, [v], { axes: attr.ints([1]), keepdims: attr.i(keep) });
  const last = at(W - 1);
  const mean = reduce("ReduceMean", x);
  const centred = g.op("Sub", [x, reduce("ReduceMean", x, 1)]);
  const std = g.op("Sqrt", [reduce("ReduceMean", g.op("Mul", [centred, centred]))]);
  const stats = [last, mean, std, reduce("ReduceMin", x), reduce("ReduceMax", x), g.op("Sub", [last, at(0)])];
  const axis2 = g.int64s("axis2", [2]);
  const stacked = g.op(
    "Concat",
    stats.map((s) => g.op("Unsqueeze", [s, axis2])),
    { axis: attr.i(2) },
  );
  return g.op("Reshape", [stacked, g.int64s("compact_shape", [-1, 6 * F])]);
}
