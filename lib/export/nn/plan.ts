/**
 * The model → plan step every neural exporter shares (ONNX, TFLite): the tfjs artifacts of the
 * Transformer (lib/models/transformer.ts) or the LSTM (lib/models/lstm.ts) read by layer name into
 * a plain description (shapes, float32 weights, activations) that a writer lowers to its own ops.
 *
 * The reader checks the wiring as well as the weights: every layer must be one the plan knows,
 * fed by the layer the plan expects, and every layer of the topology must be read. A model built
 * differently (a new layer, post-norm blocks, a stateful LSTM) fails here with the layer's name
 * instead of becoming a file that computes something else. Dropout layers are identities at
 * inference and are only checked for their wiring.
 */
import type { ModelArtifactsData } from "@/lib/models/types";
import { ArtifactReader } from "./reader";

/** Keras activations the plans carry (others are refused when read). */
export type Activation = "linear" | "relu" | "tanh" | "sigmoid" | "softmax" | "hard_sigmoid";

const DENSE_ACTIVATIONS: readonly Activation[] = ["linear", "relu", "tanh", "sigmoid", "softmax"];

/** A Dense layer on the last axis: y = act(x · kernel + bias). kernel [inDim, units] row-major. */
export interface DensePlan {
  name: string;
  inDim: number;
  units: number;
  kernel: Float32Array;
  /** [units], or null when the layer has no bias. */
  bias: Float32Array | null;
  activation: Activation;
}

/** StudioLayerNorm over the last axis: (x - mean) / sqrt(var + epsilon) * gamma + beta. */
export interface LayerNormPlan {
  name: string;
  dim: number;
  gamma: Float32Array;
  beta: Float32Array;
  epsilon: number;
}

/**
 * StudioSelfAttention: Q/K/V/out are linear [d, d] projections with biases; head h uses columns
 * h*dh..(h+1)*dh of Q, K and V (dh = d / heads); ctx_h = softmax(Q_h·K_hᵀ / sqrt(dh))·V_h, heads
 * concatenated in order, then the out projection. A fused [Q|K|V] kernel (earlier builds) is
 * split into the three projections when read.
 */
export interface AttentionPlan {
  name: string;
  heads: number;
  dModel: number;
  q: DensePlan;
  k: DensePlan;
  v: DensePlan;
  out: DensePlan;
}

/** One pre-norm encoder block: x += attn(ln1(x)); x += ff2(ff1(ln2(x))). */
export interface TransformerBlockPlan {
  ln1: LayerNormPlan;
  attention: AttentionPlan;
  ln2: LayerNormPlan;
  ff1: DensePlan;
  ff2: DensePlan;
}

/**
 * The Transformer: input [N, window, features] → patch reshape [N, tokens, tokenWidth] (token j is
 * rows j*p..j*p+p-1, step-major) → proj → + positions → blocks → finalNorm → flatten token-major
 * [N, tokens*dModel] → head (softmax) [N, classes].
 */
export interface TransformerPlan {
  kind: "transformer";
  window: number;
  features: number;
  tokens: number;
  tokenWidth: number;
  dModel: number;
  proj: DensePlan;
  /** Learned position embeddings [tokens, dModel] row-major. */
  positions: Float32Array;
  blocks: TransformerBlockPlan[];
  finalNorm: LayerNormPlan;
  head: DensePlan;
}

/**
 * One Keras LSTM layer (StudioLSTM, or a plain tfjs LSTM): kernel [inDim, 4u], recurrentKernel
 * [u, 4u], bias [4u], gate blocks i, f, c, o along the last axis; zero initial state;
 * z = x·kernel + h·recurrentKernel + bias; i, f, o = gate(z); g = activation(z_c);
 * c = f⊙c + i⊙g; h = o⊙activation(c).
 */
export interface LstmLayerPlan {
  name: string;
  inDim: number;
  units: number;
  kernel: Float32Array;
  recurrentKernel: Float32Array;
  bias: Float32Array;
  gateActivation: Activation;
  activation: Activation;
  returnSequences: boolean;
}

/**
 * The LSTM: input [N, window, features] → patch reshape [N, steps, stepWidth] → LSTM layers (all
 * but the last return sequences) → head (softmax) on the last hidden state [N, classes].
 */
export interface LstmPlan {
  kind: "lstm";
  window: number;
  features: number;
  steps: number;
  stepWidth: number;
  layers: LstmLayerPlan[];
  head: DensePlan;
}

export type NeuralPlan = TransformerPlan | LstmPlan;

function activationOf(r: ArtifactReader, layer: string, key: string, value: unknown, allowed: readonly Activation[]) {
  const a = String(value);
  if (!(allowed as readonly string[]).includes(a))
    throw new Error(`${r.what}: ${layer}.${key} "${a}" is not supported (supported: ${allowed.join(", ")})`);
  return a as Activation;
}

function densePlan(r: ArtifactReader, name: string, from: string): DensePlan {
  const k = r.weight(`${name}/kernel`);
  const cfg = r.layer(name, "Dense").config;
  r.expectInputs(name, [from]);
  if (k.shape.length !== 2) throw new Error(`${r.what}: ${name}/kernel is not 2-D`);
  const [inDim, units] = k.shape;
  return {
    name,
    inDim,
    units,
    kernel: k.values,
    bias: cfg.use_bias === false ? null : r.weight(`${name}/bias`, [units]).values,
    activation: activationOf(r, name, "activation", cfg.activation ?? "linear", DENSE_ACTIVATIONS),
  };
}

function layerNormPlan(r: ArtifactReader, name: string, from: string): LayerNormPlan {
  const eps = r.layer(name, "StudioLayerNorm").config.epsilon;
  r.expectInputs(name, [from]);
  const gamma = r.weight(`${name}/gamma`);
  const dim = gamma.shape[0];
  return {
    name,
    dim,
    gamma: gamma.values,
    beta: r.weight(`${name}/beta`, [dim]).values,
    epsilon: typeof eps === "number" ? eps : 1e-5,
  };
}

/** A dropout layer `name` fed by `from` when the model has one; returns the name of the value after it. */
function dropout(r: ArtifactReader, name: string, from: string): string {
  if (!r.layers.has(name)) return from;
  r.layer(name, "StudioDropout", "Dropout");
  r.expectInputs(name, [from]);
  return name;
}

function linear(name: string, d: number, kernel: Float32Array, bias: Float32Array): DensePlan {
  return { name, inDim: d, units: d, kernel, bias, activation: "linear" };
}

function attentionPlan(r: ArtifactReader, name: string, from: string, d: number): AttentionPlan {
  r.layer(name, "StudioSelfAttention");
  r.expectInputs(name, [from]);
  const heads = r.num(name, "heads");
  if (!Number.isInteger(d / heads)) throw new Error(`${r.what}: ${name}: d ${d} not divisible by ${heads} heads`);
  const w = (p: string, shape: number[]) => r.weight(`${name}/${p}`, shape).values;
  let q: DensePlan, k: DensePlan, v: DensePlan;
  if (r.weights.has(`${name}/q_kernel`)) {
    [q, k, v] = ["q", "k", "v"].map((p) => linear(`${name}_${p}`, d, w(`${p}_kernel`, [d, d]), w(`${p}_bias`, [d])));
  } else {
    // Earlier builds: one qkv_kernel [d, 3d] whose columns are [Q | K | V].
    const fused = w("qkv_kernel", [d, 3 * d]);
    const fusedBias = w("qkv_bias", [3 * d]);
    [q, k, v] = [0, 1, 2].map((j) => {
      const kernel = new Float32Array(d * d);
      for (let row = 0; row < d; row++)
        kernel.set(fused.subarray(row * 3 * d + j * d, row * 3 * d + (j + 1) * d), row * d);
      return linear(`${name}_${"qkv"[j]}`, d, kernel, fusedBias.slice(j * d, (j + 1) * d));
    });
  }
  return {
    name,
    heads,
    dModel: d,
    q,
    k,
    v,
    out: linear(`${name}_out`, d, w("out_kernel", [d, d]), w("out_bias", [d])),
  };
}

function addLayer(r: ArtifactReader, name: string, inputs: [string, string]): string {
  r.layer(name, "Add");
  r.expectInputs(name, inputs, true);
  return name;
}

function finish(r: ArtifactReader, head: string): void {
  r.expectModelOutput(head);
  const left = r.unread();
  if (left.length > 0) throw new Error(`${r.what}: layer ${left.join(", ")} is not supported by the exporters`);
}

/** Reads Transformer artifacts into a plan (throws with the layer's name on anything it cannot describe). */
export function transformerPlan(artifacts: ModelArtifactsData): TransformerPlan {
  const r = new ArtifactReader(artifacts, "transformer");
  const { window, features } = r.inputShape();
  const [tokens, tokenWidth] = r.patchShape();
  if (tokens * tokenWidth !== window * features)
    throw new Error(`transformer: patch [${tokens}, ${tokenWidth}] does not hold a [${window}, ${features}] window`);
  r.expectInputs("patch", ["window"]);
  const proj = densePlan(r, "proj", "patch");
  const d = proj.units;
  r.layer("pos", "StudioPositionEmbedding");
  r.expectInputs("pos", ["proj"]);
  const positions = r.weight("pos/embeddings", [tokens, d]).values;
  let x = dropout(r, "drop_in", "pos");
  const blocks: TransformerBlockPlan[] = [];
  for (let b = 0; r.layers.has(`b${b}_ln1`); b++) {
    const n = (s: string) => `b${b}_${s}`;
    const ln1 = layerNormPlan(r, n("ln1"), x);
    const attention = attentionPlan(r, n("mha"), n("ln1"), d);
    const add1 = addLayer(r, n("add1"), [x, dropout(r, n("drop1"), n("mha"))]);
    const ln2 = layerNormPlan(r, n("ln2"), add1);
    const ff1 = densePlan(r, n("ff1"), n("ln2"));
    const ff2 = densePlan(r, n("ff2"), n("ff1"));
    if (ff2.units !== d) throw new Error(`transformer: ${n("ff2")} has ${ff2.units} units, the residual needs ${d}`);
    x = addLayer(r, n("add2"), [add1, dropout(r, n("drop2"), n("ff2"))]);
    blocks.push({ ln1, attention, ln2, ff1, ff2 });
  }
  const finalNorm = layerNormPlan(r, "ln_f", x);
  r.layer("pool", "Flatten");
  r.expectInputs("pool", ["ln_f"]);
  const head = densePlan(r, "head", dropout(r, "drop_out", "pool"));
  if (head.inDim !== tokens * d)
    throw new Error(`transformer: head takes ${head.inDim} inputs, pool gives ${tokens * d}`);
  finish(r, "head");
  return {
    kind: "transformer",
    window,
    features,
    tokens,
    tokenWidth,
    dModel: d,
    proj,
    positions,
    blocks,
    finalNorm,
    head,
  };
}

/** Reads LSTM artifacts into a plan (throws with the layer's name on anything it cannot describe). */
export function lstmPlan(artifacts: ModelArtifactsData): LstmPlan {
  const r = new ArtifactReader(artifacts, "lstm");
  const { window, features } = r.inputShape();
  const [steps, stepWidth] = r.patchShape();
  if (steps * stepWidth !== window * features)
    throw new Error(`lstm: patch [${steps}, ${stepWidth}] does not hold a [${window}, ${features}] window`);
  r.expectInputs("patch", ["window"]);
  let x = "patch";
  let inDim = stepWidth;
  const layers: LstmLayerPlan[] = [];
  for (let l = 0; r.layers.has(`lstm_${l}`); l++) {
    const name = `lstm_${l}`;
    const layer = r.layer(name, "StudioLSTM", "LSTM");
    r.expectInputs(name, [x]);
    const cfg = layer.config;
    for (const flag of ["stateful", "go_backwards", "return_state"])
      if (cfg[flag] === true) throw new Error(`lstm: ${name}.${flag} is not supported by the exporters`);
    const units = r.num(name, "units");
    // StudioLSTM is Keras math with logistic-sigmoid gates and tanh (lstm-layer.ts); a plain
    // tfjs LSTM records its activations (tfjs defaults to hard_sigmoid gates).
    const studio = layer.class_name === "StudioLSTM";
    const acts: readonly Activation[] = ["sigmoid", "hard_sigmoid", "tanh", "relu"];
    layers.push({
      name,
      inDim,
      units,
      kernel: r.weight(`${name}/kernel`, [inDim, 4 * units]).values,
      recurrentKernel: r.weight(`${name}/recurrent_kernel`, [units, 4 * units]).values,
      bias: cfg.use_bias === false ? new Float32Array(4 * units) : r.weight(`${name}/bias`, [4 * units]).values,
      gateActivation: studio
        ? "sigmoid"
        : activationOf(r, name, "recurrent_activation", cfg.recurrent_activation ?? "hard_sigmoid", acts),
      activation: studio ? "tanh" : activationOf(r, name, "activation", cfg.activation ?? "tanh", acts),
      returnSequences: cfg.return_sequences === true || cfg.returnSequences === true,
    });
    x = dropout(r, `drop_${l}`, name);
    inDim = units;
  }
  if (layers.length === 0) throw new Error("lstm: layer lstm_0 is missing");
  layers.forEach((l, i) => {
    if (l.returnSequences !== i < layers.length - 1)
      throw new Error(
        `lstm: ${l.name} ${l.returnSequences ? "returns" : "does not return"} sequences; only the last layer may return its final state alone`,
      );
  });
  const head = densePlan(r, "head", x);
  finish(r, "head");
  return { kind: "lstm", window, features, steps, stepWidth, layers, head };
}
