/**
 * The fused LSTM recurrence: all time steps of one StudioLSTM layer, bias included, as a single
 * custom op (tf.customGrad), for host-memory backends (see fused.ts). The op path in
 * lstm-layer.ts runs ~12 kernels per step forward and ~3x that backward; on tfjs-wasm their fixed
 * cost, not the arithmetic, is much of a training step. Here the elementwise gate math and the
 * whole backward pass (BPTT) run in plain JS loops over host arrays, and the backend does what it
 * is much faster at: the matrix products (XNNPACK is 5-7x a JS loop) — one h·rk per step forward,
 * one dz·rkᵀ per step backward, the recurrent-kernel gradient as one matmul over all steps — and
 * the sigmoids, two kernels per step (see hostSigmoid). A default training step drops from 4,151
 * kernels to 476 (bench/train/lstm-step.ts).
 *
 * Where WebAssembly SIMD is there and u is a multiple of 4 (all of the studio's unit options), the
 * same steps run in lstm-simd.ts instead: products, gates and BPTT four lanes at a time in one
 * scratch memory, no tfjs kernel per step (a default 64-row shard step 156 → 117 ms). The JS
 * loops below remain for other shapes and as the SIMD path's second reference in the tests.
 *
 * Same math as the op path (lstm-layer.ts): gate blocks i, f, c, o along the last axis, sigmoid
 * for i/f/o, tanh for the candidate and the output, zero initial state; outputs and gradients
 * agree with it to float32 rounding (lstm-fused.test.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { readValues, recordingGradient, tensorFrom, tensorOf } from "./host-io";
import { lstmSimd, type LstmSimd } from "./lstm-simd";

/** What the forward pass keeps for the gradient (host arrays; a closure holds them). */
interface Saved {
  b: number;
  t: number;
  u: number;
  /** Activated gates i, f, g, o of every step, [T, B, 4u]. */
  gates: Float32Array;
  /** Cell state c_t, [T, B, u]. */
  cells: Float32Array;
  /** tanh(c_t), [T, B, u]. */
  tanhCells: Float32Array;
  /** Hidden state h_t, [B, T, u] (the output layout of returnSequences). */
  hidden: Float32Array;
}

/**
 * a [rows, inner] (host) · w on the backend, read back. `w` is [inner, cols]. Disposes by hand:
 * tf.tidy walks a returned typed array element by element (20 ms for a [128, 256] result).
 */
function hostMatMul(a: Float32Array, rows: number, inner: number, w: tf.Tensor2D): Float32Array {
  const at = tf.tensor2d(a, [rows, inner]);
  const out = tf.matMul(at, w);
  const data = out.dataSync() as Float32Array;
  tf.dispose([at, out]);
  return data;
}

/**
 * a ← σ(a) in place, on the backend: tfjs-wasm's Sigmoid (XNNPACK, SIMD) takes ~0.1 ms for a
 * [128, 256] block, copies included, where a JS loop of Math.exp takes ~0.7 ms and Math.tanh ~1 ms
 * (its Tanh kernel is no faster). So tanh is taken as 2σ(2x) - 1: within ~1e-7 (absolute).
 */
function hostSigmoid(a: Float32Array): void {
  const at = tf.tensor1d(a);
  const out = tf.sigmoid(at);
  const data = out.dataSync();
  tf.dispose(at); // before writing: on the cpu backend the tensor holds `a` itself
  a.set(data);
  out.dispose();
}

/**
 * Step s's gates into `z` (the step's [B, 4u] block of the saved gates): z = xk[:, s, :] + bias
 * + rec, rec = h_{s-1}·rk (null for s = 0, where h is 0); then i, f, o = σ(z), g = tanh(z).
 */
function gateStep(
  z: Float32Array,
  xk: Float32Array,
  bias: Float32Array,
  rec: Float32Array | null,
  b: number,
  t: number,
  s: number,
): void {
  const g4 = bias.length;
  const u = g4 / 4;
  for (let r = 0; r < b; r++) {
    const xo = (r * t + s) * g4;
    const zo = r * g4;
    if (rec) for (let j = 0; j < g4; j++) z[zo + j] = xk[xo + j] + bias[j] + rec[zo + j];
    else for (let j = 0; j < g4; j++) z[zo + j] = xk[xo + j] + bias[j];
    for (let j = zo + 2 * u; j < zo + 3 * u; j++) z[j] *= 2; // g: tanh(x) = 2σ(2x) - 1
  }
  hostSigmoid(z);
  for (let r = 0; r < b; r++) for (let j = r * g4 + 2 * u; j < r * g4 + 3 * u; j++) z[j] = 2 * z[j] - 1;
}

/**
 * c_s = f ⊙ c_{s-1} + i ⊙ g and h_s = o ⊙ tanh(c_s) for step s, from its activated gates;
 * writes c and tanh(c) (at [s, B, u]), h_s into `h` [B, u] and into `hidden` [B, T, u].
 */
function cellStep(saved: Saved, s: number, h: Float32Array): void {
  const { b, t, u, gates, cells, tanhCells, hidden } = saved;
  const g4 = 4 * u;
  const block = b * u;
  const tc = tanhCells.subarray(s * block, (s + 1) * block);
  for (let r = 0; r < b; r++) {
    const go = (s * b + r) * g4;
    const co = (s * b + r) * u;
    for (let k = 0; k < u; k++) {
      const ig = gates[go + k] * gates[go + 2 * u + k];
      const c = s > 0 ? gates[go + u + k] * cells[co - block + k] + ig : ig;
      cells[co + k] = c;
      tc[r * u + k] = 2 * c;
    }
  }
  hostSigmoid(tc);
  for (let r = 0; r < b; r++) {
    const go = (s * b + r) * g4 + 3 * u;
    const ho = (r * t + s) * u;
    for (let k = 0; k < u; k++) {
      const th = 2 * tc[r * u + k] - 1;
      tc[r * u + k] = th;
      const hv = gates[go + k] * th;
      h[r * u + k] = hv;
      hidden[ho + k] = hv;
    }
  }
}

/**
 * Runs the recurrence over xk [B, T, 4u] (the input projections x·kernel), the bias and the
 * recurrent kernel rk.
 */
function forward(xk: Float32Array, bias: Float32Array, rk: tf.Tensor2D, b: number, t: number, u: number): Saved {
  const g4 = 4 * u;
  const saved: Saved = {
    b,
    t,
    u,
    gates: new Float32Array(t * b * g4),
    cells: new Float32Array(t * b * u),
    tanhCells: new Float32Array(t * b * u),
    hidden: new Float32Array(b * t * u),
  };
  const h = new Float32Array(b * u);
  for (let s = 0; s < t; s++) {
    // h_0 = 0: the first step has no recurrent product.
    const rec = s > 0 ? hostMatMul(h, b, u, rk) : null;
    gateStep(saved.gates.subarray(s * b * g4, (s + 1) * b * g4), xk, bias, rec, b, t, s);
    cellStep(saved, s, h);
  }
  return saved;
}

/** The output tensor: every h_t [B, T, u], or h_T [B, u]. */
function output(saved: Saved, returnSequences: boolean): tf.Tensor {
  const { b, t, u, hidden } = saved;
  if (returnSequences) return tf.tensor3d(hidden, [b, t, u]);
  const last = new Float32Array(b * u);
  for (let r = 0; r < b; r++) last.set(hidden.subarray(((r + 1) * t - 1) * u, (r + 1) * t * u), r * u);
  return tf.tensor2d(last, [b, u]);
}

/**
 * Backpropagation through time. `dy` is the output gradient ([B, T, u] or [B, u]); returns the
 * gradients of xk [B, T, 4u] (dz of every step), rk [u, 4u] and the bias [4u] (Σ dz).
 */
function backward(
  saved: Saved,
  dy: Float32Array,
  rk: tf.Tensor2D,
  returnSequences: boolean,
): [tf.Tensor3D, tf.Tensor2D, tf.Tensor1D] {
  const { b, t, u, gates, cells, tanhCells } = saved;
  const g4 = 4 * u;
  const dxk = new Float32Array(b * t * g4);
  const dbias = new Float64Array(g4);
  const dc = new Float32Array(b * u); // dL/dc_s, carried to the step before
  const dz = new Float32Array(b * g4); // this step's dz, [B, 4u], for dz·rkᵀ
  const rkT = tf.transpose(rk); // once, not per step
  let dhRec: Float32Array | null = null; // dL/dh_s through h_s·rk of step s+1
  for (let s = t - 1; s >= 0; s--) {
    for (let r = 0; r < b; r++) {
      const go = (s * b + r) * g4;
      const co = (s * b + r) * u;
      const xo = (r * t + s) * g4;
      for (let k = 0; k < u; k++) {
        let dh = dhRec ? dhRec[r * u + k] : 0;
        if (returnSequences) dh += dy[(r * t + s) * u + k];
        else if (s === t - 1) dh += dy[r * u + k];
        const i = gates[go + k];
        const f = gates[go + u + k];
        const g = gates[go + 2 * u + k];
        const o = gates[go + 3 * u + k];
        const tc = tanhCells[co + k];
        const dcs = dc[r * u + k] + dh * o * (1 - tc * tc);
        const cPrev = s > 0 ? cells[co - b * u + k] : 0;
        dc[r * u + k] = dcs * f;
        const zi = dcs * g * i * (1 - i);
        const zf = dcs * cPrev * f * (1 - f);
        const zg = dcs * i * (1 - g * g);
        const zo = dh * tc * o * (1 - o);
        dxk[xo + k] = zi;
        dxk[xo + u + k] = zf;
        dxk[xo + 2 * u + k] = zg;
        dxk[xo + 3 * u + k] = zo;
        dbias[k] += zi;
        dbias[u + k] += zf;
        dbias[2 * u + k] += zg;
        dbias[3 * u + k] += zo;
        const zo4 = r * g4 + k;
        dz[zo4] = zi;
        dz[zo4 + u] = zf;
        dz[zo4 + 2 * u] = zg;
        dz[zo4 + 3 * u] = zo;
      }
    }
    dhRec = s > 0 ? hostMatMul(dz, b, g4, rkT) : null;
  }
  rkT.dispose();
  return [tf.tensor3d(dxk, [b, t, g4]), recurrentKernelGrad(saved, dxk), tf.tensor1d(Float32Array.from(dbias))];
}

/**
 * d rk = Σ_s h_{s-1}ᵀ·dz_s as one matmul over all steps, rows r·T + s of h_{s-1} (zero for s = 0)
 * against dz as [B·T, 4u], which is d xk's layout. Computed as (dzᵀ·h)ᵀ: XNNPACK packs the right
 * operand on every call, and [B·T, u] packs faster than [B·T, 4u] (measured 8 vs 14 ms).
 */
function recurrentKernelGrad(saved: Saved, dxk: Float32Array): tf.Tensor2D {
  const { b, t, u, hidden } = saved;
  const n = b * t;
  const hPrev = new Float32Array(n * u);
  for (let r = 0; r < b; r++) hPrev.set(hidden.subarray(r * t * u, (r * t + t - 1) * u), (r * t + 1) * u);
  // An explicit transpose: stock tfjs-wasm's transposeA matmul is ~10x slower (wasm-kernels.ts).
  return tf.tidy(() => tf.matMul(tf.tensor2d(dxk, [n, 4 * u]).transpose(), tf.tensor2d(hPrev, [n, u])).transpose());
}

/**
 * The SIMD path (lstm-simd.ts): forward and backward in one scratch memory, step-major; here only
 * the layout changes to and from tfjs's batch-major tensors, and the recurrent-kernel gradient
 * (one big matmul, XNNPACK's strength).
 */
function simdOp(
  simd: LstmSimd,
  xk: Float32Array,
  bias: Float32Array,
  rk: tf.Tensor2D,
  b: number,
  t: number,
  u: number,
  returnSequences: boolean,
  keep: boolean,
) {
  // Inputs are read through heap views (host-io.ts): forward copies them into its scratch before
  // any tensor is made.
  const saved = simd.forward(xk, bias, readValues(rk), b, t, u, keep);
  const { rows, hidden } = saved;
  const value = returnSequences
    ? tensorFrom([b, t, u], (out) => fromStepMajorInto(out, hidden, b, rows, t, u))
    : tensorOf(hidden.subarray((t - 1) * rows * u, ((t - 1) * rows + b) * u), [b, u]);
  const gradFunc = (dy: tf.Tensor): tf.Tensor[] =>
    simd.backward(saved, readValues(dy), readValues(rk), returnSequences, (dxk, dbias, h) => {
      const g4 = 4 * u;
      // d rk = Σ_{s≥1} h_{s-1}ᵀ·dz_s (h_0 = 0) over step-major rows; pad rows of dz are zero.
      // The views' tensors are disposed before the scratch changes (on cpu they share memory).
      const drk =
        t > 1
          ? tf.tidy(() =>
              tf
                .matMul(
                  tf.tensor2d(dxk.subarray(rows * g4), [(t - 1) * rows, g4]).transpose(),
                  tf.tensor2d(h.subarray(0, (t - 1) * rows * u), [(t - 1) * rows, u]),
                )
                .transpose(),
            )
          : tf.zeros([u, g4]);
      const dx = tensorFrom([b, t, g4], (out) => fromStepMajorInto(out, dxk, b, rows, t, g4));
      return [dx, drk, tf.tensor1d(dbias.slice())];
    });
  return { value, gradFunc };
}

/** [t, rows, cols] step-major (rows ≥ b) → [b, t, cols] batch-major, into `out`. */
function fromStepMajorInto(out: Float32Array, a: Float32Array, b: number, rows: number, t: number, cols: number): void {
  for (let s = 0; s < t; s++)
    for (let r = 0; r < b; r++)
      out.set(a.subarray((s * rows + r) * cols, (s * rows + r + 1) * cols), (r * t + s) * cols);
}

/**
 * The LSTM recurrence with its input projections given, as one differentiable op: on the SIMD
 * path where WebAssembly SIMD is there and u is a multiple of 4 (lstm-simd.ts), else in JS.
 * @param xk input projections x·kernel (no bias), [B, T, 4u]
 * @param rk recurrent kernel [u, 4u]
 * @param bias [4u]; inside the op its add and its gradient (a sum over B·T rows) cost nothing extra
 * @returns every h_t [B, T, u] when returnSequences, else h_T [B, u]
 */
export function lstmRecurrence(
  xk: tf.Tensor3D,
  rk: tf.Tensor2D,
  bias: tf.Tensor1D,
  returnSequences: boolean,
): tf.Tensor {
  const [b, t, g4] = xk.shape;
  const u = g4 / 4;
  if (t < 1) throw new Error("StudioLSTM needs at least one time step");
  if (rk.shape[0] !== u || rk.shape[1] !== g4 || bias.shape[0] !== g4)
    throw new Error(`recurrent kernel ${rk.shape} or bias ${bias.shape} does not fit ${g4} gate columns`);
  const simd = u % 4 === 0 && simdEnabled ? lstmSimd() : null;
  // Asked outside the op (inside it tfjs records nothing): without a gradient nothing is kept.
  const keep = recordingGradient();
  const op = tf.customGrad((xkIn, rkIn, biasIn) => {
    const rkTensor = rkIn as tf.Tensor2D;
    if (simd)
      return simdOp(
        simd,
        readValues(xkIn as tf.Tensor),
        readValues(biasIn as tf.Tensor),
        rkTensor,
        b,
        t,
        u,
        returnSequences,
        keep,
      );
    // The JS path keeps its inputs for the gradient: copies.
    const xkHost = (xkIn as tf.Tensor).dataSync() as Float32Array;
    const biasHost = (biasIn as tf.Tensor).dataSync() as Float32Array;
    const saved = forward(xkHost, biasHost, rkTensor, b, t, u);
    return {
      value: output(saved, returnSequences),
      gradFunc: (dy: tf.Tensor) =>
        backward(saved, dy.dataSync() as Float32Array, rkTensor, returnSequences) as tf.Tensor[],
    };
  });
  return op(xk, rk, bias);
}

let simdEnabled = true;

/** Turns the SIMD path off (false) to test the JS path on the same shapes. Tests only. */
export function setLstmSimd(on: boolean): void {
  simdEnabled = on;
}
