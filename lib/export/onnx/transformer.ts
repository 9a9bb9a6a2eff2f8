import type { ModelArtifactsData } from "@/lib/models/types";
import { GraphBuilder } from "./graph-builder";
import { ArtifactReader, NN_ONNX_INPUT, NN_ONNX_OUTPUT } from "./neural-common";
import { dense, layerNorm, neuralModel } from "./nn-ops";
import { attr } from "./proto";
import type { OnnxExportOptions } from "./forest";

/**
 * The Transformer (lib/models/transformer.ts) as ONNX (opset 17), rebuilt from its tfjs
 * artifacts by layer name. Input "window" float [N, W, F]; output "probabilities" float [N, 4].
 *
 * Mapping: patch → Reshape; Dense → MatMul + Add (+ activation); position embedding → Add of an
 * initializer [tokens, d]; StudioLayerNorm → LayerNormalization(axis -1, its epsilon);
 * StudioSelfAttention → per projection MatMul + Add, Reshape [N,T,H,dh], Transpose to heads,
 * softmax(q·kᵀ·1/sqrt(dh))·v, Transpose/Reshape back, MatMul + Add; pool →
 * Reshape to [N, T·d] (Flatten, token-major); dropout layers are identities at inference and are left out.
 */
export function transformerToOnnx(artifacts: ModelArtifactsData, opts: OnnxExportOptions = {}): Uint8Array {
  const r = new ArtifactReader(artifacts, "transformer");
  const { window: W, features: F } = r.inputShape();
  const [T, width] = r.patchShape();
  const d = r.weight("proj/kernel").shape[1];
  const g = new GraphBuilder();
  const input = g.reserve(NN_ONNX_INPUT);
  const output = g.reserve(NN_ONNX_OUTPUT);

  let x = g.op("Reshape", [input, g.int64s("patch_shape", [-1, T, width])]);
  x = dense(g, r, "proj", x);
  x = g.op("Add", [x, g.floats("pos_embeddings", r.weight("pos/embeddings", [T, d]).values, [T, d])]);
  let blocks = 0;
  for (; r.layers.has(`b${blocks}_ln1`); blocks++) {
    const b = `b${blocks}`;
    let y = layerNorm(g, r, `${b}_ln1`, x);
    y = selfAttention(g, r, `${b}_mha`, y, T, d);
    x = g.op("Add", [x, y]);
    y = layerNorm(g, r, `${b}_ln2`, x);
    y = dense(g, r, `${b}_ff1`, y);
    y = dense(g, r, `${b}_ff2`, y);
    x = g.op("Add", [x, y]);
  }
  x = layerNorm(g, r, "ln_f", x);
  x = g.op("Reshape", [x, g.int64s("pool_shape", [-1, T * d])]); // Flatten, token-major
  dense(g, r, "head", x, output);
  return neuralModel(g, {
    name: "transformer",
    input: [NN_ONNX_INPUT, W, F],
    outputWidth: r.weight("head/kernel").shape[1],
    doc: `Transformer: ${blocks} blocks, d_model ${d}, ${T} tokens of ${width / F} steps`,
    opts,
  });
}

/**
 * StudioSelfAttention (lib/models/layers.ts). Two weight layouts are read: separate
 * q/k/v kernels [d, d] with biases [d] (current), or one fused qkv_kernel [d, 3d] whose columns
 * are [Q | K | V] (earlier builds). Head h uses columns h*dh..(h+1)*dh of each projection.
 */
function selfAttention(g: GraphBuilder, r: ArtifactReader, name: string, x: string, T: number, d: number): string {
  const heads = r.num(name, "heads");
  const dh = d / heads;
  if (!Number.isInteger(dh)) throw new Error(`transformer: ${name}: d ${d} not divisible by ${heads} heads`);
  let q: string;
  let kt: string;
  let v: string;
  if (r.weights.has(`${name}/q_kernel`)) {
    const project = (p: string) => {
      const k = g.floats(`${name}_${p}_kernel`, r.weight(`${name}/${p}_kernel`, [d, d]).values, [d, d]);
      const b = g.floats(`${name}_${p}_bias`, r.weight(`${name}/${p}_bias`, [d]).values, [d]);
      return g.op("Reshape", [
        g.op("Add", [g.op("MatMul", [x, k]), b]),
        g.int64s(`${name}_${p}_heads`, [-1, T, heads, dh]),
      ]); // [N, T, H, dh]
    };
    q = g.op("Transpose", [project("q")], { perm: attr.ints([0, 2, 1, 3]) }); // [N, H, T, dh]
    kt = g.op("Transpose", [project("k")], { perm: attr.ints([0, 2, 3, 1]) }); // [N, H, dh, T]
    v = g.op("Transpose", [project("v")], { perm: attr.ints([0, 2, 1, 3]) });
  } else {
    const qkvK = g.floats(`${name}_qkv_kernel`, r.weight(`${name}/qkv_kernel`, [d, 3 * d]).values, [d, 3 * d]);
    const qkvB = g.floats(`${name}_qkv_bias`, r.weight(`${name}/qkv_bias`, [3 * d]).values, [3 * d]);
    const qkv = g.op("Add", [g.op("MatMul", [x, qkvK]), qkvB]);
    const split = g.op("Transpose", [g.op("Reshape", [qkv, g.int64s(`${name}_qkv_shape`, [-1, T, 3, heads, dh])])], {
      perm: attr.ints([2, 0, 3, 1, 4]),
    });
    const part = (i: number) => g.op("Gather", [split, g.int64s(`${name}_idx${i}`, [i], [])], { axis: attr.i(0) });
    q = part(0);
    kt = g.op("Transpose", [part(1)], { perm: attr.ints([0, 1, 3, 2]) });
    v = part(2);
  }
  const scores = g.op("Mul", [g.op("MatMul", [q, kt]), g.floats(`${name}_scale`, [1 / Math.sqrt(dh)], [])]);
  const ctx = g.op("MatMul", [g.op("Softmax", [scores], { axis: attr.i(-1) }), v]);
  const merged = g.op("Reshape", [
    g.op("Transpose", [ctx], { perm: attr.ints([0, 2, 1, 3]) }),
    g.int64s(`${name}_merge_shape`, [-1, T, d]),
  ]);
  const outK = g.floats(`${name}_out_kernel`, r.weight(`${name}/out_kernel`, [d, d]).values, [d, d]);
  const outB = g.floats(`${name}_out_bias`, r.weight(`${name}/out_bias`, [d]).values, [d]);
  return g.op("Add", [g.op("MatMul", [merged, outK]), outB]);
}
