import type { ModelArtifactsData } from "@/lib/models/types";
import { GraphBuilder } from "./graph-builder";
import { ArtifactReader, NN_ONNX_INPUT, NN_ONNX_OUTPUT } from "./neural-common";
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
 * The LSTM (lib/models/lstm.ts) as ONNX (opset 17), rebuilt from its tfjs artifacts. Input
 * "window" float [N, W, F]; output "probabilities" float [N, 4].
 * patch → Reshape [N, S, p·F] → Transpose to [S, N, p·F] (ONNX LSTM layout 0); each Keras LSTM →
 * one ONNX LSTM (zero initial state, activations read from the layer config: tfjs defaults to
 * hard_sigmoid for the gates); the last layer's Y_h [1, N, u] → Reshape [N, u] → Dense softmax.
 */
export function lstmToOnnx(artifacts: ModelArtifactsData, opts: OnnxExportOptions = {}): Uint8Array {
  const r = new ArtifactReader(artifacts, "lstm");
  const { window: W, features: F } = r.inputShape();
  const [S, width] = r.patchShape();
  const g = new GraphBuilder();
  const input = g.reserve(NN_ONNX_INPUT);
  const output = g.reserve(NN_ONNX_OUTPUT);

  let x = g.op("Transpose", [g.op("Reshape", [input, g.int64s("patch_shape", [-1, S, width])])], {
    perm: attr.ints([1, 0, 2]),
  });
  let inDim = width;
  let last = "";
  let layers = 0;
  for (; r.layers.has(`lstm_${layers}`); layers++) {
    const name = `lstm_${layers}`;
    const layer = r.layer(name);
    if (layer.class_name !== "LSTM" && layer.class_name !== "StudioLSTM")
      throw new Error(`lstm: layer ${name} is ${layer.class_name}, expected StudioLSTM or LSTM`);
    const cfg = layer.config;
    // StudioLSTM is Keras math with logistic-sigmoid gates and tanh (lstm-layer.ts); a plain
    // tfjs LSTM records its activations (tfjs defaults to hard_sigmoid gates).
    const studio = layer.class_name === "StudioLSTM";
    const units = r.num(name, "units");
    const kernel = r.weight(`${name}/kernel`, [inDim, 4 * units]);
    const rec = r.weight(`${name}/recurrent_kernel`, [units, 4 * units]);
    const bias = cfg.use_bias === false ? new Float32Array(4 * units) : r.weight(`${name}/bias`, [4 * units]).values;
    const gate = studio ? "sigmoid" : String(cfg.recurrent_activation ?? "hard_sigmoid");
    const act = studio ? "tanh" : String(cfg.activation ?? "tanh");
    const acts = [rnnActivation(gate), rnnActivation(act), rnnActivation(act)];
    const alphas = acts.filter((a) => a.alpha !== undefined).map((a) => a.alpha!);
    const betas = acts.filter((a) => a.beta !== undefined).map((a) => a.beta!);
    const [y, yh] = g.opMulti(
      "LSTM",
      [
        x,
        g.floats(`${name}_W`, kerasToOnnxGates(kernel.values, inDim, units), [1, 4 * units, inDim]),
        g.floats(`${name}_R`, kerasToOnnxGates(rec.values, units, units), [1, 4 * units, units]),
        g.floats(`${name}_B`, kerasToOnnxBias(bias, units), [1, 8 * units]),
      ],
      [g.name(`${name}_Y`), g.name(`${name}_Yh`)],
      {
        hidden_size: attr.i(units),
        direction: attr.s("forward"),
        activations: attr.strings(acts.map((a) => a.name)),
        ...(alphas.length ? { activation_alpha: attr.floats(alphas), activation_beta: attr.floats(betas) } : {}),
      },
    );
    if (cfg.return_sequences === true || cfg.returnSequences === true)
      x = g.op("Reshape", [y, g.int64s(`${name}_seq_shape`, [S, -1, units])]);
    else last = g.op("Reshape", [yh, g.int64s(`${name}_h_shape`, [-1, units])]);
    inDim = units;
  }
  if (!last) throw new Error("lstm: no final LSTM layer (return_sequences false) found");
  dense(g, r, "head", last, output);
  return neuralModel(g, {
    name: "lstm",
    input: [NN_ONNX_INPUT, W, F],
    outputWidth: r.weight("head/kernel").shape[1],
    doc: `LSTM: ${layers} layers, ${S} steps of ${width / F} candles`,
    opts,
  });
}
