import type { ModelArtifactsData } from "@/lib/models/types";
import { lstmPlan } from "../nn/plan";
import { GraphBuilder } from "./graph-builder";
import { NN_ONNX_INPUT, NN_ONNX_OUTPUT } from "./neural-common";
import { dense, neuralModel } from "./nn-ops";
import { attr } from "./proto";
import type { OnnxExportOptions } from "./forest";

/** Keras activation name → ONNX RNN activation (+ alpha/beta when it takes them). */
function rnnActivation(kind: string): { name: string; alpha?: number; beta?: number } {
  switch (kind) {
    case "sigmoid":
      return { name: "Sigmoid" };
    // tfjs' hard_sigmoid is clip(0.2x + 0.5, 0, 1) = ONNX HardSigmoid(alpha 0.2, beta 0.5).
    case "hard_sigmoid":
      return { name: "HardSigmoid", alpha: 0.2, beta: 0.5 };
    case "tanh":
      return { name: "Tanh" };
    case "relu":
      return { name: "Relu" };
    default:
      throw new Error(`ONNX export: LSTM activation "${kind}" is not supported`);
  }
}

/**
 * Keras packs gates as column blocks [i | f | c | o] of kernel [in, 4u]; ONNX wants row blocks
 * [i | o | f | c] of W [4u, in]. Returns the transposed, re-ordered matrix [4u, in].
 */
export function kerasToOnnxGates(kernel: Float32Array, inDim: number, units: number): Float32Array {
  const out = new Float32Array(4 * units * inDim);
  const onnxToKeras = [0, 3, 1, 2]; // ONNX gate g (i, o, f, c) is Keras block onnxToKeras[g]
  for (let g = 0; g < 4; g++) {
    const kb = onnxToKeras[g];
    for (let u = 0; u < units; u++) {
      const row = g * units + u;
      const col = kb * units + u;
      for (let i = 0; i < inDim; i++) out[row * inDim + i] = kernel[i * 4 * units + col];
    }
  }
  return out;
}

/** The Keras bias [4u] (i, f, c, o) as ONNX B [8u]: Wb in (i, o, f, c) order, then Rb = 0. */
function kerasToOnnxBias(bias: Float32Array, units: number): Float32Array {
  const out = new Float32Array(8 * units);
  const onnxToKeras = [0, 3, 1, 2];
  for (let g = 0; g < 4; g++) out.set(bias.subarray(onnxToKeras[g] * units, (onnxToKeras[g] + 1) * units), g * units);
  return out;
}

/**
 * The LSTM (lib/models/lstm.ts) as ONNX (opset 17), from its plan (lib/export/nn/plan.ts). Input
 * "window" float [N, W, F]; output "probabilities" float [N, 4].
 * patch → Reshape [N, S, p·F] → Transpose to [S, N, p·F] (ONNX LSTM layout 0); each Keras LSTM →
 * one ONNX LSTM (zero initial state, the plan's activations: tfjs defaults to hard_sigmoid for the
 * gates, StudioLSTM uses the logistic sigmoid); the last layer's Y_h [1, N, u] → Reshape [N, u] →
 * Dense softmax.
 */
export function lstmToOnnx(artifacts: ModelArtifactsData, opts: OnnxExportOptions = {}): Uint8Array {
  const p = lstmPlan(artifacts);
  const S = p.steps;
  const g = new GraphBuilder();
  const input = g.reserve(NN_ONNX_INPUT);
  const output = g.reserve(NN_ONNX_OUTPUT);

  let x = g.op("Transpose", [g.op("Reshape", [input, g.int64s("patch_shape", [-1, S, p.stepWidth])])], {
    perm: attr.ints([1, 0, 2]),
  });
  let last = "";
  for (const l of p.layers) {
    const { name, units, inDim } = l;
    const acts = [rnnActivation(l.gateActivation), rnnActivation(l.activation), rnnActivation(l.activation)];
    const alphas = acts.filter((a) => a.alpha !== undefined).map((a) => a.alpha!);
    const betas = acts.filter((a) => a.beta !== undefined).map((a) => a.beta!);
    const [y, yh] = g.opMulti(
      "LSTM",
      [
        x,
        g.floats(`${name}_W`, kerasToOnnxGates(l.kernel, inDim, units), [1, 4 * units, inDim]),
        g.floats(`${name}_R`, kerasToOnnxGates(l.recurrentKernel, units, units), [1, 4 * units, units]),
        g.floats(`${name}_B`, kerasToOnnxBias(l.bias, units), [1, 8 * units]),
      ],
      [g.name(`${name}_Y`), g.name(`${name}_Yh`)],
      {
        hidden_size: attr.i(units),
        direction: attr.s("forward"),
        activations: attr.strings(acts.map((a) => a.name)),
        ...(alphas.length ? { activation_alpha: attr.floats(alphas), activation_beta: attr.floats(betas) } : {}),
      },
    );
    if (l.returnSequences) x = g.op("Reshape", [y, g.int64s(`${name}_seq_shape`, [S, -1, units])]);
    else last = g.op("Reshape", [yh, g.int64s(`${name}_h_shape`, [-1, units])]);
  }
  dense(g, p.head, last, output);
  return neuralModel(g, {
    name: "lstm",
    input: [NN_ONNX_INPUT, p.window, p.features],
    outputWidth: p.head.units,
    doc: `LSTM: ${p.layers.length} layers, ${S} steps of ${p.stepWidth / p.features} candles`,
    opts,
  });
}
