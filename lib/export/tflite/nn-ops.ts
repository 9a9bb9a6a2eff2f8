/**
 * The plans' layers (lib/export/nn/plan.ts) as TFLite builtin ops, on 2-D activations [rows, d]
 * (the exported models take one window, so the batch of 1 is folded away).
 *
 * Only operators that every TFLite runtime has, down to Arm NN 20.08's TFLite parser (Debian's
 * independent reader in scripts/bundle-check), are used: no BATCH_MATMUL, RSQRT, SUM or GELU,
 * which that parser cannot read. Layer norm and attention are therefore written with
 * L2_NORMALIZATION, MEAN and broadcasting MUL, which compute the same function (see below).
 */
import type { AttentionPlan, DensePlan, LayerNormPlan } from "../nn/plan";
import { TfliteGraph, type Tensor } from "./graph";
import { Activation } from "./schema";

/** Kernel [in, units] (Keras) → FULLY_CONNECTED weights [units, in]. */
export function transposeKernel(kernel: Float32Array, inDim: number, units: number): Float32Array {
  const out = new Float32Array(inDim * units);
  for (let i = 0; i < inDim; i++) for (let u = 0; u < units; u++) out[u * inDim + i] = kernel[i * units + u];
  return out;
}

/** A Dense layer: FULLY_CONNECTED (relu fused), then tanh / logistic / softmax as an op. */
export function dense(g: TfliteGraph, p: DensePlan, x: Tensor, name?: string): Tensor {
  const w = g.weight(`${p.name}/kernel`, transposeKernel(p.kernel, p.inDim, p.units), [p.units, p.inDim]);
  const b = p.bias
    ? g.weight(`${p.name}/bias`, p.bias, [p.units])
    : g.constant(`${p.name}/bias`, new Float32Array(p.units), [p.units]);
  switch (p.activation) {
    case "linear":
      return g.fullyConnected(x, w, b, Activation.NONE, name ?? p.name);
    case "relu":
      return g.fullyConnected(x, w, b, Activation.RELU, name ?? p.name);
    case "tanh":
      return g.tanh(g.fullyConnected(x, w, b), name ?? p.name);
    case "sigmoid":
      return g.logistic(g.fullyConnected(x, w, b), name ?? p.name);
    case "softmax":
      return g.softmax(g.fullyConnected(x, w, b), name ?? p.name);
    default:
      throw new Error(`TFLite export: ${p.name}: activation "${p.activation}" is not supported`);
  }
}

/**
 * StudioLayerNorm over the last axis of x [rows, d], exactly:
 *   c = x - mean(x);  (x - μ) / sqrt(var + ε) = sqrt(d) · c / sqrt(Σc² + dε)
 * and c / sqrt(Σc² + dε) is L2_NORMALIZATION of [c | sqrt(dε)] (one constant column appended),
 * cut back to its first d columns. sqrt(d) is folded into gamma. TFLite's L2 norm floors the
 * norm at 1e-6, which the norm never reaches while dε ≥ 1e-12 (the studio's ε is 1e-5), so
 * nothing is approximated; a smaller ε is refused.
 */
export function layerNorm(g: TfliteGraph, p: LayerNormPlan, x: Tensor): Tensor {
  const [rows, d] = x.shape;
  if (x.shape.length !== 2 || d !== p.dim)
    throw new Error(`TFLite export: ${p.name}: input [${x.shape}], dim ${p.dim}`);
  if (d * p.epsilon < 1e-12)
    throw new Error(`TFLite export: ${p.name}: epsilon ${p.epsilon} is too small to write exactly (needs d·ε ≥ 1e-12)`);
  const c = g.sub(x, g.mean(x, 1, true), `${p.name}/centred`);
  const epsColumn = g.constant(`${p.name}/eps_column`, new Float32Array(rows).fill(Math.sqrt(d * p.epsilon)), [
    rows,
    1,
  ]);
  const normed = g.l2Normalize(g.concatenate([c, epsColumn], 1), `${p.name}/l2`);
  const [unit] = g.splitV(normed, [d, 1], 1, `${p.name}/unit`);
  const gamma = Float32Array.from(p.gamma, (v) => v * Math.sqrt(d));
  return g.add(
    g.mul(unit, g.weight(`${p.name}/gamma_sqrt_d`, gamma, [d])),
    g.weight(`${p.name}/beta`, p.beta, [d]),
    p.name,
  );
}

/**
 * StudioSelfAttention on x [T, d] without BATCH_MATMUL: per head h,
 *   scores[h,i,j] = Σ_k Q[h,i,k]·K[h,j,k] / sqrt(dh) = mean_k(Q[h,i,1,k]·K[h,1,j,k]) · sqrt(dh)
 *   ctx[h,i,k]    = Σ_j P[h,i,j]·V[h,j,k]            = mean_j(P[h,i,j,1]·V[h,1,j,k]) · T
 * i.e. a broadcasting MUL to [H, T, T, dh] and a MEAN. At the studio's sizes (T ≤ 120 tokens,
 * d ≤ 256) the [H, T, T, dh] product stays under 4 M floats.
 */
export function selfAttention(g: TfliteGraph, a: AttentionPlan, x: Tensor): Tensor {
  const [T, d] = x.shape;
  const H = a.heads;
  const dh = d / H;
  const heads = (p: DensePlan, shape: number[], perm: number[]) => g.transpose(g.reshape(dense(g, p, x), shape), perm);
  const q = heads(a.q, [T, H, 1, dh], [1, 0, 2, 3]); // [H, T, 1, dh]
  const k = heads(a.k, [1, T, H, dh], [2, 0, 1, 3]); // [H, 1, T, dh]
  const v = heads(a.v, [1, T, H, dh], [2, 0, 1, 3]); // [H, 1, T, dh]
  const scores = g.mul(
    g.mean(g.mul(q, k), 3, false), // [H, T, T]
    g.constant(`${a.name}/sqrt_dh`, [Math.sqrt(dh)], [1, 1, 1]),
  );
  const p = g.reshape(g.softmax(scores, `${a.name}/weights`), [H, T, T, 1]);
  const ctx = g.mul(g.mean(g.mul(p, v), 2, false), g.constant(`${a.name}/tokens`, [T], [1, 1, 1])); // [H, T, dh]
  const merged = g.reshape(g.transpose(ctx, [1, 0, 2]), [T, d]);
  return dense(g, a.out, merged, a.name);
}
