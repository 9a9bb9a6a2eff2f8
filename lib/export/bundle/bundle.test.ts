import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import type { FeatureSpec } from "@/lib/core/dataset";
import { buildModel } from "@/lib/models/build";
import { defaultConfig } from "@/lib/models/config";
import { modelFromArtifacts, modelToArtifacts } from "@/lib/models/serialize";
import type { ModelArtifactsData } from "@/lib/models/types";
import { randomForest } from "../forest-fixture";
import { forestProba } from "../forest-proba";
import { mulberry32 } from "../share/fixture";
import { maxAbsDiff, ortSingleThreaded } from "../onnx/ort-check";
import { buildBundle, type BundleDataset, type BundleInput } from "./build";
import { makeGoldenCases, normalisedWindow, pickGoldenEnds } from "./golden";
import { matchesFingerprint, readBundle } from "./read";

const W = 8;
const F = 5;
const ROWS = 80;

function dataset(): BundleDataset {
  const rnd = mulberry32(1);
  const matrix = Float32Array.from({ length: ROWS * F }, () => rnd() * 10 - 3);
  const mean = new Float32Array(F);
  const std = new Float32Array(F);
  for (let f = 0; f < F; f++) {
    let s = 0;
    let q = 0;
    for (let t = 0; t < ROWS; t++) {
      s += matrix[t * F + f];
      q += matrix[t * F + f] ** 2;
    }
    mean[f] = s / ROWS;
    std[f] = Math.sqrt(q / ROWS - (s / ROWS) ** 2);
  }
  const features: FeatureSpec[] = Array.from({ length: F }, (_, f) => ({ name: `1h_f${f}`, timeframe: "1h", indicator: "rsi", params: { period: 14 + f } }));
  return {
    symbol: "BTCUSDT",
    synthetic: true,
    baseInterval: "1h",
    timeframes: ["15m", "1h", "4h"],
    features,
    fallbackFeatures: ["1h_f4"],
    labelSpec: { horizon: 4, strong: 0.015, weak: 0.005, weakZone: "sign", atrScaled: false },
    window: W,
    rows: ROWS,
    matrix,
    labels: Int8Array.from({ length: ROWS }, () => Math.floor(rnd() * 4)),
    normalization: { mean, std },
  };
}

const metrics = { accuracy: 0.5, balancedAccuracy: 0.4, macroF1: 0.38, logLoss: 1.2, precision: [0.1, 0.2, 0.3, 0.4], recall: [0.4, 0.3, 0.2, 0.1] };

describe("model bundle", () => {
  let input: BundleInput;
  let transformer: tf.LayersModel;
  let lstm: tf.LayersModel;
  const times = Float64Array.from({ length: ROWS }, (_, t) => Date.UTC(2024, 0, 1) + t * 3_600_000);
  const closes = Float64Array.from({ length: ROWS }, (_, t) => 40_000 + t);

  beforeAll(async () => {
    await tf.setBackend("cpu");
    const d = dataset();
    transformer = buildModel("transformer", { ...defaultConfig("transformer"), dModel: 8, heads: 2, blocks: 1, ff: 8, patch: 4 }, W, F);
    lstm = buildModel("lstm", { ...defaultConfig("lstm"), units: 6, layers: 1, patch: 2 }, W, F);
    const forest = { ...randomForest(mulberry32(2), { trees: 7, depth: 5, features: W * F, classes: 4 }), view: { kind: "flat" as const, window: W, features: F } };
    const ends = pickGoldenEnds(Int32Array.from({ length: ROWS - W + 1 }, (_, i) => i + W - 1), 12);
    // Normalised windows exactly as the consumer will compute them from golden.json.
    const norm = new Float32Array(ends.length * W * F);
    ends.forEach((t, i) => {
      for (let s = 0; s < W; s++)
        for (let f = 0; f < F; f++) norm[i * W * F + s * F + f] = (d.matrix[(t - W + 1 + s) * F + f] - d.normalization.mean[f]) / d.normalization.std[f];
    });
    const x = tf.tensor3d(norm, [ends.length, W, F]);
    const probabilities = {
      transformer: (transformer.predict(x) as tf.Tensor).dataSync() as Float32Array,
      lstm: (lstm.predict(x) as tf.Tensor).dataSync() as Float32Array,
      forest: forestProba(forest, norm, ends.length),
    };
    const weights = { transformer: 0.5, lstm: 0.3, forest: 0.2 };
    const golden = makeGoldenCases({
      dataset: { ...d, features: d.features, times, closes },
      ends,
      probabilities,
      weights,
      candlesFor: (t) => ({ "1h": { openTime: Float64Array.of(times[t]), open: Float64Array.of(1), high: Float64Array.of(2), low: Float64Array.of(0.5), close: Float64Array.of(closes[t]), volume: Float64Array.of(10), quoteVolume: Float64Array.of(0), trades: Float64Array.of(0), takerBuyBase: Float64Array.of(NaN) } }),
    });
    input = {
      dataset: d,
      transformer: { artifacts: await modelToArtifacts(transformer), params: { dModel: 8, heads: 2 } },
      lstm: { artifacts: await modelToArtifacts(lstm), params: { units: 6 } },
      forest: { model: forest, params: { trees: 7 } },
      ensemble: { weights: Object.entries(weights).map(([model, weight]) => ({ model, weight })) },
      metrics: { transformer: metrics, ensemble: metrics },
      golden,
      createdAt: Date.UTC(2026, 0, 1),
    };
  });

  it("round-trips: manifest, tfjs models, forest and golden vectors reproduce the expected outputs", async () => {
    const zip = buildBundle(input);
    const names = Object.keys(unzipSync(zip)).sort();
    expect(names).toEqual(["forest/forest.bin", "forest/inputs.json", "forest/schema.json", "golden.json", "lstm/model.json", "lstm/weights.bin", "manifest.json", "transformer/model.json", "transformer/weights.bin"]);
    const r = readBundle(zip);
    if (!r.ok) throw new Error(r.error);
    const b = r.bundle;
    expect(b.manifest.features.map((f) => f.fallback)).toEqual([false, false, false, false, true]);
    expect(b.manifest.features[2].params).toEqual({ period: 16 });
    expect(b.manifest.fingerprint.value).toMatch(/^[0-9a-f]{16}$/);
    expect(matchesFingerprint(b.manifest, input.dataset.matrix, input.dataset.labels)).toBe(true);
    const altered = input.dataset.matrix.slice();
    altered[7] += 1e-3;
    expect(matchesFingerprint(b.manifest, altered, input.dataset.labels)).toBe(false);
    expect(b.golden.cases).toHaveLength(12);
    expect(b.golden.cases[0].candles?.["1h"]?.close[0]).toBe(closes[b.golden.cases[0].row]);

    const mean = b.manifest.features.map((f) => f.mean);
    const std = b.manifest.features.map((f) => f.std);
    const t2 = await modelFromArtifacts(b.transformer!);
    const l2 = await modelFromArtifacts(b.lstm!);
    for (const c of b.golden.cases) {
      const xw = normalisedWindow(c, mean, std);
      const pt = (t2.predict(tf.tensor3d(xw, [1, W, F])) as tf.Tensor).dataSync();
      const pl = (l2.predict(tf.tensor3d(xw, [1, W, F])) as tf.Tensor).dataSync();
      const pf = forestProba(b.forest!, xw, 1);
      for (let k = 0; k < 4; k++) {
        expect(pt[k]).toBeCloseTo(c.expected.transformer[k], 5);
        expect(pl[k]).toBeCloseTo(c.expected.lstm[k], 5);
        expect(pf[k]).toBeCloseTo(c.expected.forest[k], 6);
        const ens = 0.5 * c.expected.transformer[k] + 0.3 * c.expected.lstm[k] + 0.2 * c.expected.forest[k];
        expect(c.expected.ensemble[k]).toBeCloseTo(ens, 5);
      }
    }
  });

  it("can include ONNX files that onnxruntime runs to the golden probabilities", async () => {
    const r = readBundle(buildBundle({ ...input, onnx: true }));
    if (!r.ok) throw new Error(r.error);
    const files = unzipSync(buildBundle({ ...input, onnx: true }));
    expect(r.bundle.manifest.models.find((m) => m.id === "forest")!.files).toContain("onnx/forest.onnx");
    const ort = ortSingleThreaded();
    const cases = r.bundle.golden.cases;
    const mean = r.bundle.manifest.features.map((f) => f.mean);
    const std = r.bundle.manifest.features.map((f) => f.std);
    const x = new Float32Array(cases.length * W * F);
    cases.forEach((c, i) => x.set(normalisedWindow(c, mean, std), i * W * F));
    for (const id of ["transformer", "lstm", "forest"]) {
      const session = await ort.InferenceSession.create(files[`onnx/${id}.onnx`]);
      const out = await session.run({ window: new ort.Tensor("float32", x, [cases.length, W, F]) });
      const expected = cases.flatMap((c) => c.expected[id]);
      expect(maxAbsDiff(out.probabilities.data as Float32Array, expected)).toBeLessThan(1e-4);
    }
  });

  it("float16 halves the tfjs weights and still loads in tfjs (close to float32)", async () => {
    const full = buildBundle(input);
    const half = buildBundle({ ...input, float16: true });
    const r = readBundle(half);
    if (!r.ok) throw new Error(r.error);
    const w32 = input.transformer!.artifacts.weightData.byteLength;
    expect(r.bundle.transformer!.weightData.byteLength).toBe(w32 / 2);
    expect(r.bundle.manifest.models.find((m) => m.id === "transformer")!.dtype).toBe("float16");
    expect(half.length).toBeLessThan(full.length);
    const spec = (r.bundle.transformer!.weightSpecs[0] as { quantization?: { dtype: string } }).quantization;
    expect(spec?.dtype).toBe("float16");
    const m = await modelFromArtifacts(r.bundle.transformer!);
    const c = r.bundle.golden.cases[3];
    const xw = normalisedWindow(c, r.bundle.manifest.features.map((f) => f.mean), r.bundle.manifest.features.map((f) => f.std));
    const p = (m.predict(tf.tensor3d(xw, [1, W, F])) as tf.Tensor).dataSync();
    for (let k = 0; k < 4; k++) expect(Math.abs(p[k] - c.expected.transformer[k])).toBeLessThan(5e-3);
  });

  it("gives clear errors for corrupt or foreign files", () => {
    const zip = buildBundle(input);
    const files = unzipSync(zip);
    const rezip = (patch: Record<string, Uint8Array | null>) => {
      const f: Record<string, Uint8Array> = { ...files };
      for (const [k, v] of Object.entries(patch)) {
        if (v) f[k] = v;
        else delete f[k];
      }
      return readBundle(zipSync(f));
    };
    const err = (r: ReturnType<typeof readBundle>) => (r.ok ? "ok" : r.error);
    expect(err(readBundle(zip.slice(0, zip.length >> 1)))).toMatch(/not a readable ZIP/);
    expect(err(readBundle(strToU8("hello")))).toMatch(/not a readable ZIP/);
    expect(err(rezip({ "manifest.json": null }))).toMatch(/manifest.json is missing/);
    const manifest = JSON.parse(strFromU8(files["manifest.json"]));
    expect(err(rezip({ "manifest.json": strToU8(JSON.stringify({ ...manifest, formatVersion: 9 })) }))).toMatch(/version 9 is not supported/);
    expect(err(rezip({ "manifest.json": strToU8(JSON.stringify({ ...manifest, window: -3 })) }))).toMatch(/manifest.json is invalid: window/);
    expect(err(rezip({ "manifest.json": strToU8("{not json") }))).toMatch(/not valid JSON/);
    expect(err(rezip({ "transformer/weights.bin": files["transformer/weights.bin"].slice(0, 100) }))).toMatch(/damaged: transformer: weights data too short/);
    expect(err(rezip({ "lstm/weights.bin": null }))).toMatch(/lstm\/weights.bin is missing/);
    expect(err(rezip({ "forest/forest.bin": files["forest/forest.bin"].slice(0, 60) }))).toMatch(/forest.bin is truncated/);
    // A child pointer turned into a cycle (node 1's left → root).
    const bin = files["forest/forest.bin"].slice();
    const dv = new DataView(bin.buffer);
    const n = dv.getUint32(20, true);
    const leftOffset = 24 + 8 * n; // after nodes, feature[n], threshold[n]
    let node = 0;
    while (dv.getInt32(24 + 4 * node, true) === -1) node++;
    dv.setInt32(leftOffset + 4 * node, node, true);
    expect(err(rezip({ "forest/forest.bin": bin }))).toMatch(/not a tree/);
    expect(err(rezip({ "golden.json": strToU8(JSON.stringify({ version: 1, cases: [] })) }))).toMatch(/golden.json has 0 cases/);
  });

  it("refuses inconsistent inputs", () => {
    expect(() => buildBundle({ ...input, golden: [{ ...input.golden[0], features: [[1]] }] })).toThrow(/golden case/);
    const bad: ModelArtifactsData = { ...input.lstm!.artifacts, weightData: new ArrayBuffer(8) };
    expect(() => buildBundle({ ...input, lstm: { artifacts: bad, params: {} }, float16: true })).toThrow(/too short/);
  });
});
