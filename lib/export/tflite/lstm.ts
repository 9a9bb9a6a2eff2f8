import type { ModelArtifactsData } from "@/lib/models/types";
import { lstmPlan, type LstmLayerPlan } from "../nn/plan";
import { TfliteGraph, type Tensor } from "./graph";
import { TFLITE_INPUT, TFLITE_OUTPUT, modelDescription, type TfliteExportOptions } from "./common";
import { dense, transposeKernel } from "./nn-ops";

/** Keras gate blocks (i, f, c, o) of a [rows, 4u] matrix re-ordered to (i, f, o, c): one LOGISTIC covers i, f, o. */
export function gatesIfoc(m: Float32Array, rows: number, units: number): Float32Array {
  const out = new Float32Array(rows * 4 * units);
  const from = [0, 1, 3, 2]; // output block b comes from Keras block from[b]
  for (let r = 0; r < rows; r++)
    for (let b = 0; b < 4; b++)
      out.set(
        m.subarray(r * 4 * units + from[b] * units, r * 4 * units + (from[b] + 1) * units),
        r * 4 * units + b * units,
      );
  return out;
}

/**
 * One LSTM layer unrolled over its S steps, x [S, in] → every h_t [1, u]:
 *   xw = x·W + b for all steps at once (FULLY_CONNECTED), SPLIT into rows;
 *   z_t = xw_t + h_{t-1}·R; [i f o] = σ(z_t[:3u]), g = tanh(z_t[3u:]); c = f⊙c + i⊙g; h = o⊙tanh(c).
 * Not UNIDIRECTIONAL_SEQUENCE_LSTM: its state tensors are variables that carry over from one
 * Invoke() to the next unless the app resets them, so a second prediction would start from the
 * first one's state; the unrolled graph starts every window from zero, as the model does.
 */
function lstmLayer(g: TfliteGraph, l: LstmLayerPlan, x: Tensor): Tensor[] {
  if (l.gateActivation !== "sigmoid" || l.activation !== "tanh")
    throw new Error(
      `TFLite export: ${l.name} uses ${l.gateActivation} gates and ${l.activation} (only sigmoid gates with tanh, as StudioLSTM, are written)`,
    );
  const { units: u, inDim, name } = l;
  const S = x.shape[0];
  const w = g.weight(`${name}/kernel`, transposeKernel(gatesIfoc(l.kernel, inDim, u), inDim, 4 * u), [4 * u, inDim]);
  const b = g.weight(`${name}/bias`, gatesIfoc(l.bias, 1, u), [4 * u]);
  const r = g.weight(`${name}/recurrent_kernel`, transposeKernel(gatesIfoc(l.recurrentKernel, u, u), u, 4 * u), [
    4 * u,
    u,
  ]);
  const noBias = g.constant(`${name}/no_bias`, new Float32Array(4 * u), [4 * u]);
  const xw = g.fullyConnected(x, w, b, undefined, `${name}/xw`);
  const rows = S > 1 ? g.split(xw, 0, S, `${name}/steps`) : [xw];
  const hs: Tensor[] = [];
  let h: Tensor | null = null;
  let c: Tensor | null = null;
  rows.forEach((row, t) => {
    const z = h ? g.add(row, g.fullyConnected(h, r, noBias, undefined, `${name}/hr_${t}`)) : row;
    const [ifo, gPre] = g.splitV(z, [3 * u, u], 1);
    const [i, f, o] = g.split(g.logistic(ifo), 1, 3);
    const ig = g.mul(i, g.tanh(gPre));
    c = c ? g.add(g.mul(f, c), ig, `${name}/c_${t}`) : ig;
    h = g.mul(o, g.tanh(c), `${name}/h_${t}`);
    hs.push(h);
  });
  return hs;
}

/**
 * The LSTM (lib/models/lstm.ts) as TFLite, from its plan (lib/export/nn/plan.ts). Input "window"
 * float32 [1, W, F]; output "probabilities" float32 [1, 4]. patch → RESHAPE [S, p·F]; each LSTM
 * layer unrolled (lstmLayer); a layer returning sequences passes CONCATENATION of its h_t [S, u]
 * on; the head (FULLY_CONNECTED + SOFTMAX) reads the last layer's final h [1, u].
 */
export function lstmToTflite(artifacts: ModelArtifactsData, opts: TfliteExportOptions = {}): Uint8Array {
  const p = lstmPlan(artifacts);
  const g = new TfliteGraph(opts.float16 ?? false);
  const input = g.input(TFLITE_INPUT, [1, p.window, p.features]);
  let x = g.reshape(input, [p.steps, p.stepWidth], "patch");
  for (const l of p.layers) {
    const hs = lstmLayer(g, l, x);
    x = l.returnSequences ? (hs.length > 1 ? g.concatenate(hs, 0, `${l.name}/sequence`) : hs[0]) : hs[hs.length - 1];
  }
  const out = dense(g, p.head, x, TFLITE_OUTPUT);
  return g.finish(input, out, {
    name: "lstm",
    description: modelDescription(
      `LSTM: ${p.layers.length} layers, ${p.steps} steps of ${p.stepWidth / p.features} candles`,
      p,
      g,
    ),
  });
}
