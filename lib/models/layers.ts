/**
 * The studio's custom tfjs layers (registered for serialisation on import). Each is standard math
 * so the ONNX exporter can rebuild it from the weights:
 *
 * - StudioLayerNorm:   y = (x - mean) / sqrt(var + eps) * gamma + beta over the last axis.
 *                      Written with tf.moments broadcasting: tf.layers.layerNormalization trains
 *                      ~100x slower in tfjs 4.22 on WASM. On host backends one SIMD op instead
 *                      (layer-norm-simd.ts), as is attention's core (attention-simd.ts).
 * - StudioPositionEmbedding: y = x + embeddings, embeddings [tokens, dModel] learned.
 * - StudioSelfAttention: multi-head self-attention. Weights (in this order): q_kernel [d, d],
 *                      q_bias [d], k_kernel, k_bias, v_kernel, v_bias, out_kernel, out_bias.
 *                      Q = x·q_kernel + q_bias (same for K, V); head h uses columns
 *                      h*dh..(h+1)*dh (dh = d / heads); ctx_h = softmax(Q_h·K_hᵀ / sqrt(dh))·V_h;
 *                      heads concatenated in order; y = ctx·out_kernel + out_bias. No mask.
 * - StudioDropout:     inverted dropout whose masks are seeded (seed + call counter), so a run
 *                      is reproducible; identity at inference (export drops it). On host
 *                      backends the mask is drawn on the host (dropout-mask.ts) and multiplied in.
 */
import * as tf from "@tensorflow/tfjs";
import { attentionCore, attentionSimdFits } from "./attention-simd";
import { fillDropoutMask } from "./dropout-mask";
import { fusedOpsEnabled } from "./fused";
import { tensorFrom } from "./host-io";
import { layerNormCore, layerNormSimdFits } from "./layer-norm-simd";

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type Kwargs = Record<string, unknown>;

function single(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

function lastDim(inputShape: tf.Shape | tf.Shape[]): number {
  const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
  const d = shape[shape.length - 1];
  if (d == null) throw new Error("last dimension must be known");
  return d;
}

export class StudioLayerNorm extends tf.layers.Layer {
  static className = "StudioLayerNorm";
  readonly epsilon: number;
  private gamma!: tf.LayerVariable;
  private beta!: tf.LayerVariable;

  constructor(args: LayerArgs & { epsilon?: number } = {}) {
    super(args);
    this.epsilon = args.epsilon ?? 1e-5;
  }

  build(inputShape: tf.Shape | tf.Shape[]): void {
    const d = lastDim(inputShape);
    this.gamma = this.addWeight("gamma", [d], "float32", tf.initializers.ones());
    this.beta = this.addWeight("beta", [d], "float32", tf.initializers.zeros());
    this.built = true;
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = single(inputs);
      const d = x.shape[x.shape.length - 1];
      if (fusedOpsEnabled() && layerNormSimdFits(d))
        return layerNormCore(x, this.gamma.read() as tf.Tensor1D, this.beta.read() as tf.Tensor1D, this.epsilon);
      const { mean, variance } = tf.moments(x, -1, true);
      return x
        .sub(mean)
        .mul(tf.rsqrt(variance.add(this.epsilon)))
        .mul(this.gamma.read())
        .add(this.beta.read());
    });
  }

  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.epsilon };
  }
}

export class StudioPositionEmbedding extends tf.layers.Layer {
  static className = "StudioPositionEmbedding";
  readonly seed: number;
  private embeddings!: tf.LayerVariable;

  constructor(args: LayerArgs & { seed?: number } = {}) {
    super(args);
    this.seed = args.seed ?? 0;
  }

  build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = inputShape as tf.Shape;
    const tokens = shape[1];
    if (tokens == null) throw new Error("StudioPositionEmbedding needs a known token count");
    this.embeddings = this.addWeight(
      "embeddings",
      [tokens, lastDim(inputShape)],
      "float32",
      tf.initializers.randomNormal({ mean: 0, stddev: 0.02, seed: this.seed }),
    );
    this.built = true;
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => single(inputs).add(this.embeddings.read()));
  }

  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), seed: this.seed };
  }
}

export class StudioSelfAttention extends tf.layers.Layer {
  static className = "StudioSelfAttention";
  readonly heads: number;
  readonly seed: number;
  private kernels: Record<"q" | "k" | "v" | "out", { kernel: tf.LayerVariable; bias: tf.LayerVariable }> | undefined;

  constructor(args: LayerArgs & { heads: number; seed?: number }) {
    super(args);
    this.heads = args.heads;
    this.seed = args.seed ?? 0;
  }

  build(inputShape: tf.Shape | tf.Shape[]): void {
    const d = lastDim(inputShape);
    if (d % this.heads !== 0) throw new Error(`d_model ${d} is not a multiple of heads ${this.heads}`);
    const make = (name: string, seed: number) => ({
      kernel: this.addWeight(`${name}_kernel`, [d, d], "float32", tf.initializers.glorotUniform({ seed })),
      bias: this.addWeight(`${name}_bias`, [d], "float32", tf.initializers.zeros()),
    });
    this.kernels = {
      q: make("q", this.seed),
      k: make("k", this.seed + 1),
      v: make("v", this.seed + 2),
      out: make("out", this.seed + 3),
    };
    this.built = true;
  }

  call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const w = this.kernels;
      if (!w) throw new Error("StudioSelfAttention used before build");
      const x = single(inputs);
      const [b, t, d] = x.shape as [number, number, number];
      const h = this.heads;
      const dh = d / h;
      const flat = x.reshape([b * t, d]);
      // Separate Q/K/V matmuls: a fused [d, 3d] projection would need a split or a 5-D transpose,
      // both far slower than the matmuls themselves on tfjs WASM.
      const project = (p: { kernel: tf.LayerVariable; bias: tf.LayerVariable }) =>
        tf.matMul(flat, p.kernel.read()).add(p.bias.read());
      let merged: tf.Tensor;
      if (fusedOpsEnabled() && attentionSimdFits(d, h)) {
        // One op for the heads' products and softmax (attention-simd.ts): same math, far fewer kernels.
        const tokens = (y: tf.Tensor) => y.reshape([b, t, d]) as tf.Tensor3D;
        merged = attentionCore(tokens(project(w.q)), tokens(project(w.k)), tokens(project(w.v)), h).reshape([b * t, d]);
      } else {
        const heads = (y: tf.Tensor) => y.reshape([b, t, h, dh]).transpose([0, 2, 1, 3]); // [B, H, T, dh]
        const q = heads(project(w.q));
        const k = heads(project(w.k));
        const v = heads(project(w.v));
        const scores = tf.matMul(q, k, false, true).mul(1 / Math.sqrt(dh)); // [B, H, T, T]
        const ctx = tf.matMul(tf.softmax(scores, -1), v); // [B, H, T, dh]
        merged = ctx.transpose([0, 2, 1, 3]).reshape([b * t, d]);
      }
      return tf.matMul(merged, w.out.kernel.read()).add(w.out.bias.read()).reshape([b, t, d]);
    });
  }

  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), heads: this.heads, seed: this.seed };
  }
}

export class StudioDropout extends tf.layers.Layer {
  static className = "StudioDropout";
  readonly rate: number;
  readonly seed: number;
  /** Masks drawn so far; the trainer resets it (setDropoutStep) so resumed runs stay reproducible. */
  calls = 0;

  constructor(args: LayerArgs & { rate: number; seed?: number }) {
    super(args);
    this.rate = args.rate;
    this.seed = args.seed ?? 0;
  }

  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = single(inputs);
    if (kwargs?.training !== true || this.rate <= 0) return x.clone();
    // A fixed seed alone would repeat one mask forever (tf.dropout seeds a fresh generator per
    // call); seed + call counter gives a fresh, reproducible mask per batch.
    const seed = (this.seed * 1000003 + this.calls++) % 2147483647;
    if (fusedOpsEnabled())
      return tf.tidy(() =>
        tf.mul(
          x,
          tensorFrom(x.shape, (mask) => fillDropoutMask(mask, this.rate, seed)),
        ),
      );
    return tf.tidy(() => tf.dropout(x, this.rate, undefined, seed));
  }

  computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape | tf.Shape[] {
    return inputShape;
  }

  getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

tf.serialization.registerClass(StudioLayerNorm);
tf.serialization.registerClass(StudioPositionEmbedding);
tf.serialization.registerClass(StudioSelfAttention);
tf.serialization.registerClass(StudioDropout);

/** Sets the mask counter of every StudioDropout layer (resume: step = optimiser steps done). */
export function setDropoutStep(model: tf.LayersModel, step: number): void {
  for (const layer of model.layers) if (layer instanceof StudioDropout) layer.calls = step;
}
