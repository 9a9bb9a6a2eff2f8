import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { buildModel } from "@/lib/models/build";
import { defaultConfig } from "@/lib/models/config";
import { modelToArtifacts } from "@/lib/models/serialize";
import { mulberry32 } from "@/lib/core/random";
import { artifactWeights, toFloat16Artifacts } from "../tfjs-weights";
import type { ModelArtifactsData } from "@/lib/models/types";
import { lstmToOnnx } from "./lstm";
import { maxAbsDiff, ortSingleThreaded } from "./ort-check";
import { transformerToOnnx } from "./transformer";

const W = 120;
const F = 42;
const N = 6;

/** Random weights everywhere (biases, norms and embeddings too) so every term is exercised. */
function randomize(model: tf.LayersModel, seed: number): void {
  const rnd = mulberry32(seed);
  model.setWeights(
    model.getWeights().map((w) =>
      tf.tensor(
        Float32Array.from({ length: w.size }, () => (rnd() - 0.5) * 0.6),
        w.shape,
      ),
    ),
  );
}

function inputs(seed: number): Float32Array {
  const rnd = mulberry32(seed);
  return Float32Array.from({ length: N * W * F }, () => (rnd() - 0.5) * 4);
}

async function ortPredict(bytes: Uint8Array, x: Float32Array): Promise<Float32Array> {
  const ort = ortSingleThreaded();
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ window: new ort.Tensor("float32", x, [N, W, F]) });
  expect(out.probabilities.dims).toEqual([N, 4]);
  return out.probabilities.data as Float32Array;
}

describe("tfjs models → ONNX (checked with onnxruntime-web)", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  it("Transformer: same probabilities (max |diff| < 1e-4)", async () => {
    const cfg = { ...defaultConfig("transformer"), dModel: 16, heads: 4, blocks: 2, ff: 24, patch: 8 };
    const model = buildModel("transformer", cfg, W, F);
    randomize(model, 3);
    const x = inputs(4);
    const ours = (model.predict(tf.tensor3d(x, [N, W, F])) as tf.Tensor).dataSync() as Float32Array;
    const onnx = transformerToOnnx(await modelToArtifacts(model));
    const theirs = await ortPredict(onnx, x);
    expect(maxAbsDiff(ours, theirs)).toBeLessThan(1e-4);
    // The probabilities are not trivially uniform (the test could otherwise pass by accident).
    expect(Math.max(...ours) - Math.min(...ours)).toBeGreaterThan(0.05);
  });

  it("Transformer artifacts with a fused [Q|K|V] attention kernel export to the same function", async () => {
    const cfg = { ...defaultConfig("transformer"), dModel: 8, heads: 2, blocks: 1, ff: 8, patch: 4 };
    const model = buildModel("transformer", cfg, W, F);
    randomize(model, 13);
    const x = inputs(14);
    const ours = (model.predict(tf.tensor3d(x, [N, W, F])) as tf.Tensor).dataSync() as Float32Array;
    const a = await modelToArtifacts(model);
    if (!a.weightSpecs.some((s) => s.name === "b0_mha/q_kernel")) return; // already fused: covered above
    // Rewrite the separate q/k/v weights into the fused layout (columns [Q | K | V]).
    const w = artifactWeights(a);
    const d = 8;
    const fusedK = new Float32Array(d * 3 * d);
    const fusedB = new Float32Array(3 * d);
    ["q", "k", "v"].forEach((p, j) => {
      const k = w.get(`b0_mha/${p}_kernel`)!.values;
      for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) fusedK[r * 3 * d + j * d + c] = k[r * d + c];
      fusedB.set(w.get(`b0_mha/${p}_bias`)!.values, j * d);
    });
    const specs: ModelArtifactsData["weightSpecs"] = [];
    const parts: Float32Array[] = [];
    for (const s of a.weightSpecs) {
      if (/b0_mha\/[qkv]_/.test(s.name)) {
        if (s.name !== "b0_mha/q_kernel") continue;
        specs.push(
          { name: "b0_mha/qkv_kernel", shape: [d, 3 * d], dtype: "float32" },
          { name: "b0_mha/qkv_bias", shape: [3 * d], dtype: "float32" },
        );
        parts.push(fusedK, fusedB);
      } else {
        specs.push(s);
        parts.push(w.get(s.name)!.values);
      }
    }
    const data = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (data.set(p, at), at + p.length), 0);
    const theirs = await ortPredict(transformerToOnnx({ ...a, weightSpecs: specs, weightData: data.buffer }), x);
    expect(maxAbsDiff(ours, theirs)).toBeLessThan(1e-4);
  });

  it("LSTM (2 layers, StudioLSTM sigmoid gates): same probabilities (max |diff| < 1e-4)", async () => {
    const cfg = { ...defaultConfig("lstm"), units: 12, layers: 2, patch: 4 };
    const model = buildModel("lstm", cfg, W, F);
    randomize(model, 5);
    const x = inputs(6);
    const ours = (model.predict(tf.tensor3d(x, [N, W, F])) as tf.Tensor).dataSync() as Float32Array;
    const onnx = lstmToOnnx(await modelToArtifacts(model));
    const theirs = await ortPredict(onnx, x);
    expect(maxAbsDiff(ours, theirs)).toBeLessThan(1e-4);
    expect(Math.max(...ours) - Math.min(...ours)).toBeGreaterThan(0.05);
  });

  it("exports from float16 artifacts too (weights dequantised, close to float32)", async () => {
    const cfg = { ...defaultConfig("lstm"), units: 8, layers: 1, patch: 8 };
    const model = buildModel("lstm", cfg, W, F);
    randomize(model, 9);
    const x = inputs(10);
    const ours = (model.predict(tf.tensor3d(x, [N, W, F])) as tf.Tensor).dataSync() as Float32Array;
    const theirs = await ortPredict(lstmToOnnx(toFloat16Artifacts(await modelToArtifacts(model))), x);
    expect(maxAbsDiff(ours, theirs)).toBeLessThan(5e-3);
  });

  it("fails clearly on artifacts of the wrong model", async () => {
    const model = buildModel("lstm", { ...defaultConfig("lstm"), units: 8, layers: 1 }, W, F);
    await expect(async () => transformerToOnnx(await modelToArtifacts(model))).rejects.toThrow(
      /transformer: weight proj\/kernel is missing/,
    );
  });
});
