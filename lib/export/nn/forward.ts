/**
 * A plain-JS forward pass of a plan (plan.ts): the live worker's predictor for one window at a
 * time. tfjs dispatches dozens of small kernels per layer and, for the LSTM, per step, so one
 * window costs tens of milliseconds on wasm however small the model (bench:live measured 126 ms
 * median for the default Transformer + LSTM + forest); here a window is a few million
 * multiply-adds in typed arrays with no dispatch at all. The same plan feeds the ONNX and TFLite
 * writers, so this is also one more independent reading of what they export (forward.test.ts
 * compares it with tfjs). Accumulation is in float64, weights and activations are float32.
 */
import type { Activation, DensePlan, LayerNormPlan, LstmPlan, NeuralPlan, TransformerPlan } from "./plan";

function act(a: Activation, x: number): number {
  switch (a) {
    case "linear":
      return x;
    case "relu":
      return x > 0 ? x : 0;
    case "tanh":
      return Math.tanh(x);
    case "sigmoid":
      return 1 / (1 + Math.exp(-x));
    case "hard_sigmoid":
      return Math.max(0, Math.min(1, 0.2 * x + 0.5));
    case "softmax":
      throw new Error("softmax is applied per row, not per value");
  }
}

function softmaxInPlace(x: Float32Array, from: number, n: number): void {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, x[from + i]);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(x[from + i] - max);
    x[from + i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) x[from + i] /= sum;
}

/** y[rows, units] = act(x[rows, inDim] · kernel + bias), row by row. */
function dense(p: DensePlan, x: Float32Array, rows: number): Float32Array {
  const { inDim, units, kernel, bias } = p;
  const y = new Float32Array(rows * units);
  const acc = new Float64Array(units);
  for (let r = 0; r < rows; r++) {
    if (bias) for (let u = 0; u < units; u++) acc[u] = bias[u];
    else acc.fill(0);
    for (let i = 0; i < inDim; i++) {
      const xi = x[r * inDim + i];
      if (xi === 0) continue;
      const k = i * units;
      for (let u = 0; u < units; u++) acc[u] += xi * kernel[k + u];
    }
    const o = r * units;
    if (p.activation === "softmax") {
      for (let u = 0; u < units; u++) y[o + u] = acc[u];
      softmaxInPlace(y, o, units);
    } else for (let u = 0; u < units; u++) y[o + u] = act(p.activation, acc[u]);
  }
  return y;
}

function layerNorm(p: LayerNormPlan, x: Float32Array, rows: number): Float32Array {
  const d = p.dim;
  const y = new Float32Array(rows * d);
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    let mean = 0;
    for (let i = 0; i < d; i++) mean += x[o + i];
    mean /= d;
    let v = 0;
    for (let i = 0; i < d; i++) v += (x[o + i] - mean) ** 2;
    const inv = 1 / Math.sqrt(v / d + p.epsilon);
    for (let i = 0; i < d; i++) y[o + i] = (x[o + i] - mean) * inv * p.gamma[i] + p.beta[i];
  }
  return y;
}

function transformer(p: TransformerPlan, input: Float32Array): Float32Array {
  const T = p.tokens;
  const d = p.dModel;
  // The patch reshape of a row-major window is the same buffer read as [tokens, tokenWidth].
  let x = dense(p.proj, input, T);
  for (let i = 0; i < T * d; i++) x[i] += p.positions[i];
  const scores = new Float32Array(T);
  for (const b of p.blocks) {
    const h = layerNorm(b.ln1, x, T);
    const { heads } = b.attention;
    const dh = d / heads;
    const q = dense(b.attention.q, h, T);
    const k = dense(b.attention.k, h, T);
    const v = dense(b.attention.v, h, T);
    const ctx = new Float32Array(T * d);
    const scale = 1 / Math.sqrt(dh);
    for (let hd = 0; hd < heads; hd++) {
      const c0 = hd * dh;
      for (let i = 0; i < T; i++) {
        for (let j = 0; j < T; j++) {
          let s = 0;
          for (let c = 0; c < dh; c++) s += q[i * d + c0 + c] * k[j * d + c0 + c];
          scores[j] = s * scale;
        }
        softmaxInPlace(scores, 0, T);
        for (let c = 0; c < dh; c++) {
          let s = 0;
          for (let j = 0; j < T; j++) s += scores[j] * v[j * d + c0 + c];
          ctx[i * d + c0 + c] = s;
        }
      }
    }
    const attended = dense(b.attention.out, ctx, T);
    for (let i = 0; i < T * d; i++) x[i] += attended[i];
    const ff = dense(b.ff2, dense(b.ff1, layerNorm(b.ln2, x, T), T), T);
    const next = new Float32Array(T * d);
    for (let i = 0; i < T * d; i++) next[i] = x[i] + ff[i];
    x = next;
  }
  // Flatten is token-major: the [tokens, d] buffer as it is.
  return dense(p.head, layerNorm(p.finalNorm, x, T), 1);
}

function lstm(p: LstmPlan, input: Float32Array): Float32Array {
  let seq = input;
  let steps = p.steps;
  let h = new Float32Array(0);
  for (const l of p.layers) {
    const u = l.units;
    const G = 4 * u;
    const { kernel, recurrentKernel, bias, inDim, gateActivation: ga, activation: a } = l;
    h = new Float32Array(u);
    const c = new Float64Array(u);
    const z = new Float64Array(G);
    const out = l.returnSequences ? new Float32Array(steps * u) : null;
    for (let t = 0; t < steps; t++) {
      for (let g = 0; g < G; g++) z[g] = bias[g];
      const x0 = t * inDim;
      for (let i = 0; i < inDim; i++) {
        const xi = seq[x0 + i];
        if (xi === 0) continue;
        const k = i * G;
        for (let g = 0; g < G; g++) z[g] += xi * kernel[k + g];
      }
      for (let i = 0; i < u; i++) {
        const hi = h[i];
        if (hi === 0) continue;
        const k = i * G;
        for (let g = 0; g < G; g++) z[g] += hi * recurrentKernel[k + g];
      }
      for (let j = 0; j < u; j++) {
        const ig = act(ga, z[j]);
        const fg = act(ga, z[u + j]);
        const cg = act(a, z[2 * u + j]);
        const og = act(ga, z[3 * u + j]);
        c[j] = fg * c[j] + ig * cg;
        h[j] = og * act(a, c[j]);
      }
      out?.set(h, t * u);
    }
    if (out) seq = out;
    steps = l.returnSequences ? steps : 1;
  }
  return dense(p.head, h, 1);
}

/** Class probabilities for one window [window * features] (row-major, normalised). */
export function forwardPlan(plan: NeuralPlan, window: Float32Array): Float32Array {
  if (window.length !== plan.window * plan.features)
    throw new Error(
      `${plan.kind}: a window of ${window.length} values, the model takes ${plan.window}×${plan.features}`,
    );
  return plan.kind === "transformer" ? transformer(plan, window) : lstm(plan, window);
}
