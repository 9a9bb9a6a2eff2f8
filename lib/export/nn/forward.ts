/**
 * A plain-JS forward pass of a plan (plan.ts): the live worker's predictor, for one window (a
 * live signal) or a batch (a replay's next candles, whose rows share each kernel load). tfjs dispatches dozens of small kernels per layer and, for the LSTM, per step, so one
 * window costs tens of milliseconds on wasm however small the model (bench:live measured 126 ms
 * median for the default Transformer + LSTM + forest); here a window is a few million
 * multiply-adds in typed arrays with no dispatch at all. The same plan feeds the ONNX and TFLite
 * writers, so this is also one more independent reading of what they export (forward.test.ts
 * compares it with tfjs). The matrix products run in WebAssembly SIMD (simd-matmul.ts, float32
 * lanes) where the engine has it, else in plain JS (float64 sums); activations are float32.
 */
import type { Activation, DensePlan, LayerNormPlan, LstmPlan, NeuralPlan, TransformerPlan } from "./plan";
import { SimdMatmul, type Matmul } from "./simd-matmul";

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

/**
 * Kernels transposed to [units, inDim] for the JS product, made once per plan layer: each output
 * is then a dot product of two contiguous rows summed in a local, where the [inDim, units] layout
 * made every multiply-add a load and a store of an accumulator array.
 */
const transposed = new WeakMap<Float32Array, Float32Array>();

function transposeOf(kernel: Float32Array, inDim: number, units: number): Float32Array {
  let t = transposed.get(kernel);
  if (!t) {
    t = new Float32Array(kernel.length);
    for (let i = 0; i < inDim; i++) for (let u = 0; u < units; u++) t[u * inDim + i] = kernel[i * units + u];
    transposed.set(kernel, t);
  }
  return t;
}

/**
 * out[r * units + u] = bias[u] + x[r, :] · kt[u, :] for rows r (x [rows, inDim], kt [units, inDim]):
 * the fallback where WebAssembly SIMD is missing (register blocking made it 1.6× faster, but the
 * SIMD product is several times faster again, so the fallback stays plain). Each output is summed
 * in the same order whatever the number of rows, so a window's result does not depend on the batch.
 */
function matmulT(
  x: Float32Array,
  rows: number,
  inDim: number,
  kt: Float32Array,
  units: number,
  bias: Float32Array | null,
  out: Float32Array | Float64Array,
): void {
  for (let r = 0; r < rows; r++) {
    const x0 = r * inDim;
    for (let u = 0; u < units; u++) {
      const k0 = u * inDim;
      let s = bias ? bias[u] : 0;
      for (let i = 0; i < inDim; i++) s += x[x0 + i] * kt[k0 + i];
      out[r * units + u] = s;
    }
  }
}

const jsMatmul: Matmul = (x, rows, inDim, kernel, units, bias, out) =>
  matmulT(x, rows, inDim, transposeOf(kernel, inDim, units), units, bias, out);

/** Each plan's SIMD instance (its weights placed once), or null without WebAssembly SIMD. */
const simdOf = new WeakMap<NeuralPlan, SimdMatmul | null>();

function matmulFor(plan: NeuralPlan, simd: boolean): Matmul {
  if (!simd) return jsMatmul;
  let e = simdOf.get(plan);
  if (e === undefined) simdOf.set(plan, (e = SimdMatmul.create()));
  return e ? e.matmul : jsMatmul;
}

/** y[rows, units] = act(x[rows, inDim] · kernel + bias). */
function dense(p: DensePlan, x: Float32Array, rows: number, mm: Matmul): Float32Array {
  const { inDim, units } = p;
  const y = new Float32Array(rows * units);
  mm(x, rows, inDim, p.kernel, units, p.bias, y);
  if (p.activation === "softmax") for (let r = 0; r < rows; r++) softmaxInPlace(y, r * units, units);
  else if (p.activation !== "linear") for (let i = 0; i < y.length; i++) y[i] = act(p.activation, y[i]);
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

/** n windows [n * window * features] → probabilities [n * 4]; every dense layer runs over all n windows' rows at once. */
function transformer(p: TransformerPlan, input: Float32Array, n: number, mm: Matmul): Float32Array {
  const T = p.tokens;
  const d = p.dModel;
  const rows = n * T;
  // The patch reshape of a row-major window is the same buffer read as [tokens, tokenWidth].
  let x = dense(p.proj, input, rows, mm);
  for (let w = 0; w < n; w++) for (let i = 0; i < T * d; i++) x[w * T * d + i] += p.positions[i];
  const scores = new Float32Array(T);
  for (const b of p.blocks) {
    const h = layerNorm(b.ln1, x, rows);
    const { heads } = b.attention;
    const dh = d / heads;
    const q = dense(b.attention.q, h, rows, mm);
    const k = dense(b.attention.k, h, rows, mm);
    const v = dense(b.attention.v, h, rows, mm);
    const ctx = new Float32Array(rows * d);
    const scale = 1 / Math.sqrt(dh);
    for (let w = 0; w < n; w++) {
      const o = w * T * d; // attention stays within a window
      for (let hd = 0; hd < heads; hd++) {
        const c0 = o + hd * dh;
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
    }
    const attended = dense(b.attention.out, ctx, rows, mm);
    for (let i = 0; i < rows * d; i++) x[i] += attended[i];
    const ff = dense(b.ff2, dense(b.ff1, layerNorm(b.ln2, x, rows), rows, mm), rows, mm);
    const next = new Float32Array(rows * d);
    for (let i = 0; i < rows * d; i++) next[i] = x[i] + ff[i];
    x = next;
  }
  // Flatten is token-major: each window's [tokens, d] rows as they are.
  return dense(p.head, layerNorm(p.finalNorm, x, rows), n, mm);
}

/** n windows → probabilities [n * 4]; each step's gates are computed for all n windows at once. */
function lstm(p: LstmPlan, input: Float32Array, n: number, mm: Matmul): Float32Array {
  let seq = input; // [n, steps, inDim]
  let steps = p.steps;
  let h = new Float32Array(0);
  for (const l of p.layers) {
    const u = l.units;
    const G = 4 * u;
    const { gateActivation: ga, activation: a } = l;
    // The input half of every window's and step's gates at once: [n * steps, G] = seq · kernel + bias.
    const zx = new Float64Array(n * steps * G);
    mm(seq, n * steps, l.inDim, l.kernel, G, l.bias, zx);
    h = new Float32Array(n * u);
    const c = new Float64Array(n * u);
    const z = new Float64Array(n * G);
    const out = l.returnSequences ? new Float32Array(n * steps * u) : null;
    for (let t = 0; t < steps; t++) {
      // z = h · recurrentKernel for every window (h is zero at t = 0), then the cell.
      mm(h, n, u, l.recurrentKernel, G, null, z);
      for (let w = 0; w < n; w++) {
        const z0 = (w * steps + t) * G;
        const r0 = w * G;
        const h0 = w * u;
        for (let j = 0; j < u; j++) {
          const ig = act(ga, zx[z0 + j] + z[r0 + j]);
          const fg = act(ga, zx[z0 + u + j] + z[r0 + u + j]);
          const cg = act(a, zx[z0 + 2 * u + j] + z[r0 + 2 * u + j]);
          const og = act(ga, zx[z0 + 3 * u + j] + z[r0 + 3 * u + j]);
          c[h0 + j] = fg * c[h0 + j] + ig * cg;
          h[h0 + j] = og * act(a, c[h0 + j]);
        }
        out?.set(h.subarray(h0, h0 + u), (w * steps + t) * u);
      }
    }
    if (out) seq = out;
    steps = l.returnSequences ? steps : 1;
  }
  return dense(p.head, h, n, mm);
}

/**
 * Class probabilities [n * 4] for n windows [n * window * features] (row-major, normalised), one
 * after another. A window's result does not depend on the others (the same sums in the same
 * order), so a replay's batch equals its candles predicted one by one, bit for bit.
 */
export function forwardPlanMany(plan: NeuralPlan, windows: Float32Array, opts: { simd?: boolean } = {}): Float32Array {
  const size = plan.window * plan.features;
  const n = windows.length / size;
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`${plan.kind}: ${windows.length} values are not whole ${plan.window}×${plan.features} windows`);
  const mm = matmulFor(plan, opts.simd ?? true);
  return plan.kind === "transformer" ? transformer(plan, windows, n, mm) : lstm(plan, windows, n, mm);
}

/** Class probabilities [4] for one window [window * features] (row-major, normalised). */
export function forwardPlan(plan: NeuralPlan, window: Float32Array, opts: { simd?: boolean } = {}): Float32Array {
  if (window.length !== plan.window * plan.features)
    throw new Error(
      `${plan.kind}: a window of ${window.length} values, the model takes ${plan.window}×${plan.features}`,
    );
  return forwardPlanMany(plan, window, opts);
}
