import type { ModelArtifactsData } from "@/lib/models/types";
import { transformerPlan } from "../nn/plan";
import { TfliteGraph } from "./graph";
import { TFLITE_INPUT, TFLITE_OUTPUT, modelDescription, type TfliteExportOptions } from "./common";
import { dense, layerNorm, selfAttention } from "./nn-ops";

/**
 * The Transformer (lib/models/transformer.ts) as TFLite, from its plan (lib/export/nn/plan.ts).
 * Input "window" float32 [1, W, F]; output "probabilities" float32 [1, 4].
 *
 * patch → RESHAPE [T, p·F]; Dense → FULLY_CONNECTED; position embedding → ADD [T, d]; layer norm
 * and attention as in nn-ops.ts; pool → RESHAPE [1, T·d] (token-major, like Flatten); head →
 * FULLY_CONNECTED + SOFTMAX. Dropout layers are identities at inference and are left out.
 */
export function transformerToTflite(artifacts: ModelArtifactsData, opts: TfliteExportOptions = {}): Uint8Array {
  const p = transformerPlan(artifacts);
  const g = new TfliteGraph(opts.float16 ?? false);
  const input = g.input(TFLITE_INPUT, [1, p.window, p.features]);
  let x = g.reshape(input, [p.tokens, p.tokenWidth], "patch");
  x = dense(g, p.proj, x);
  x = g.add(x, g.weight("pos/embeddings", p.positions, [p.tokens, p.dModel]), "pos");
  p.blocks.forEach((b, i) => {
    x = g.add(x, selfAttention(g, b.attention, layerNorm(g, b.ln1, x)), `b${i}_add1`);
    x = g.add(x, dense(g, b.ff2, dense(g, b.ff1, layerNorm(g, b.ln2, x))), `b${i}_add2`);
  });
  x = g.reshape(layerNorm(g, p.finalNorm, x), [1, p.tokens * p.dModel], "pool");
  const out = dense(g, p.head, x, TFLITE_OUTPUT);
  return g.finish(input, out, {
    name: "transformer",
    description: modelDescription(
      `Transformer: ${p.blocks.length} blocks, d_model ${p.dModel}, ${p.tokens} tokens of ${p.tokenWidth / p.features} steps`,
      p,
      g,
    ),
  });
}
