import type { ModelArtifactsData } from "@/lib/models/types";
import { transformerPlan, type AttentionPlan, type DensePlan } from "../nn/plan";
import { GraphBuilder } from "./graph-builder";
import { NN_ONNX_INPUT, NN_ONNX_OUTPUT } from "./neural-common";
import { dense, layerNorm, neuralModel } from "./nn-ops";
import { attr } from "./proto";
import type { OnnxExportOptions } from "./forest";

/**
 * The Transformer (lib/models/transformer.ts) as ONNX (opset 17), from its plan
 * (lib/export/nn/plan.ts). Input "window" float [N, W, F]; output "probabilities" float [N, 4].
 *
 * Mapping: patch → Reshape; Dense → MatMul + Add (+ activation); position embedding → Add of an
 * initializer [tokens, d]; StudioLayerNorm → LayerNormalization(axis -1, its epsilon);
 * StudioSelfAttention → per projection MatMul + Add, Reshape [N,T,H,dh], Transpose to heads,
 * softmax(q·kᵀ·1/sqrt(dh))·v, Transpose/Reshape back, MatMul + Add; pool →
 * Reshape to [N, T·d] (Flatten, token-major); dropout layers are identities at inference and are left out.
 */
export function transformerToOnnx(artifacts: ModelArtifactsData, opts: OnnxExportOptions = {}): Uint8Array {
  const p = transformerPlan(artifacts);
  const { tokens: T, dModel: d } = p;
  const g = new GraphBuilder();
  const input = g.reserve(NN_ONNX_INPUT);
  const output = g.reserve(NN_ONNX_OUTPUT);

  let x = g.op("Reshape", [input, g.int64s("patch_shape", [-1, T, p.tokenWidth])]);
  x = dense(g, p.proj, x);
  x = g.op("Add", [x, g.floats("pos_embeddings", p.positions, [T, d])]);
  for (const b of p.blocks) {
    x = g.op("Add", [x, selfAttention(g, b.attention, layerNorm(g, b.ln1, x), T)]);
    x = g.op("Add", [x, dense(g, b.ff2, dense(g, b.ff1, layerNorm(g, b.ln2, x)))]);
  }
  x = layerNorm(g, p.finalNorm, x);
  x = g.op("Reshape", [x, g.int64s("pool_shape", [-1, T * d])]); // Flatten, token-major
  dense(g, p.head, x, output);
  return neuralModel(g, {
    name: "transformer",
    input: [NN_ONNX_INPUT, p.window, p.features],
    outputWidth: p.head.units,
    doc: `Transformer: ${p.blocks.length} blocks, d_model ${d}, ${T} tokens of ${p.tokenWidth / p.features} steps`,
    opts,
  });
}

/** StudioSelfAttention (see AttentionPlan): head h uses columns h*dh..(h+1)*dh of each projection. */
function selfAttention(g: GraphBuilder, a: AttentionPlan, x: string, T: number): string {
  const { heads, dModel: d, name } = a;
  const dh = d / heads;
  const project = (p: DensePlan, perm: number[]) =>
    g.op("Transpose", [g.op("Reshape", [dense(g, p, x), g.int64s(`${p.name}_heads`, [-1, T, heads, dh])])], {
      perm: attr.ints(perm),
    });
  const q = project(a.q, [0, 2, 1, 3]); // [N, H, T, dh]
  const kt = project(a.k, [0, 2, 3, 1]); // [N, H, dh, T]
  const v = project(a.v, [0, 2, 1, 3]);
  const scores = g.op("Mul", [g.op("MatMul", [q, kt]), g.floats(`${name}_scale`, [1 / Math.sqrt(dh)], [])]);
  const ctx = g.op("MatMul", [g.op("Softmax", [scores], { axis: attr.i(-1) }), v]);
  const merged = g.op("Reshape", [
    g.op("Transpose", [ctx], { perm: attr.ints([0, 2, 1, 3]) }),
    g.int64s(`${name}_merge_shape`, [-1, T, d]),
  ]);
  return dense(g, a.out, merged);
}
