import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { modelFromArtifacts } from "@/lib/models/serialize";
import type { ModelArtifactsData } from "@/lib/models/types";
import { forestProba } from "../forest-proba";
import { maxAbsDiff, ortSingleThreaded } from "../onnx/ort-check";
import { buildBundle, type BundleInput } from "./build";
import { inspectTflite } from "../tflite/inspect";
import { normalisedWindow } from "./golden";
import { readmeNumber } from "./readme";
import { fingerprintMatch, readBundle } from "./read";

import { F, W, bundleFixture, withEmptySplit } from "@/test/bundle";

describe("model bundle", () => {
  let input: BundleInput;
  let closes: Float64Array;

  beforeAll(async () => {
    await tf.setBackend("cpu");
    ({ input, closes } = await bundleFixture());
  });

  it("round-trips: manifest, tfjs models, forest and golden vectors reproduce the expected outputs", async () => {
    const zip = buildBundle(input);
    const names = Object.keys(unzipSync(zip)).sort();
    expect(names).toEqual([
      "README.md",
      "forest/forest.bin",
      "forest/inputs.json",
      "forest/schema.json",
      "golden.json",
      "lstm/model.json",
      "lstm/weights.bin",
      "manifest.json",
      "transformer/model.json",
      "transformer/weights.bin",
    ]);
    const r = readBundle(zip);
    if (!r.ok) throw new Error(r.error);
    const b = r.bundle;
    expect(b.manifest.features.map((f) => f.fallback)).toEqual([false, false, false, false, true]);
    expect(b.manifest.features[2].params).toEqual({ period: 16 });
    expect(b.manifest.fingerprint.value).toMatch(/^[0-9a-f]{64}$/);
    const trained = withEmptySplit(input.dataset);
    expect(await fingerprintMatch(b.manifest, trained)).toBe("same");
    const altered = input.dataset.matrix.slice();
    altered[7] += 1e-3;
    expect(await fingerprintMatch(b.manifest, { ...trained, matrix: altered })).toBe("other");
    // The same data split another way must not pass for the bundle's (issue 12).
    const resplit = { ...trained, split: { ...trained.split, test: Int32Array.of(70, 71) } };
    expect(await fingerprintMatch(b.manifest, resplit)).toBe("resplit");
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

  it("can include the TFLite files the app loads, listed in the manifest and the README", () => {
    for (const float16 of [false, true]) {
      const files = unzipSync(buildBundle({ ...input, tflite: true, float16 }));
      const r = readBundle(buildBundle({ ...input, tflite: true, float16 }));
      if (!r.ok) throw new Error(r.error);
      for (const id of ["transformer", "lstm"] as const) {
        const path = `tflite/${id}_model.tflite`;
        expect(r.bundle.manifest.models.find((m) => m.id === id)!.files).toContain(path);
        const s = inspectTflite(files[path]);
        expect(s.input.shape).toEqual([1, W, F]);
        expect(s.output.shape).toEqual([1, 4]);
        expect(s.tensors.some((t) => t.type === "float16")).toBe(float16);
      }
      const readme = strFromU8(files["README.md"]);
      expect(readme).toContain(`shape [1, ${W}, ${F}]`);
      expect(readme).toContain("0 = STRONG_SELL, 1 = SELL, 2 = BUY, 3 = STRONG_BUY");
      expect(readme).toContain("transformer 0.5, lstm 0.3, forest 0.2");
      expect(readme).toMatch(/`tflite\/lstm_model.tflite` \| float(16|32) \| [\d.]+ KB \| fits \|.*FULLY_CONNECTED/);
      // Features in the manifest's order with their normalisation statistics.
      const rows = readme.split("\n").filter((l) => /^\| \d+ \| 1h_f/.test(l));
      expect(rows.map((l) => l.split(" | ")[1])).toEqual(input.dataset.features.map((f) => f.name));
      expect(rows[2]).toContain(`| ${readmeNumber(input.dataset.normalization.mean[2])} |`);
      expect(readme).toContain("x[feature] <= threshold");
      expect(readme).toContain("golden.json");
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
    const xw = normalisedWindow(
      c,
      r.bundle.manifest.features.map((f) => f.mean),
      r.bundle.manifest.features.map((f) => f.std),
    );
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
    expect(err(rezip({ "manifest.json": strToU8(JSON.stringify({ ...manifest, formatVersion: 9 })) }))).toMatch(
      /version 9 is not supported/,
    );
    expect(err(rezip({ "manifest.json": strToU8(JSON.stringify({ ...manifest, window: -3 })) }))).toMatch(
      /manifest.json is invalid: window/,
    );
    expect(err(rezip({ "manifest.json": strToU8("{not json") }))).toMatch(/not valid JSON/);
    expect(err(rezip({ "transformer/weights.bin": files["transformer/weights.bin"].slice(0, 100) }))).toMatch(
      /damaged: transformer: weights data too short/,
    );
    expect(err(rezip({ "lstm/weights.bin": null }))).toMatch(/lstm\/weights.bin is missing/);
    expect(err(rezip({ "forest/forest.bin": files["forest/forest.bin"].slice(0, 60) }))).toMatch(
      /forest\/forest.bin: forest data is truncated/,
    );
    expect(err(rezip({ "forest/inputs.json": strToU8(JSON.stringify(["a"])) }))).toMatch(/inputs.json differs/);
    expect(err(rezip({ "golden.json": strToU8(JSON.stringify({ version: 1, cases: [] })) }))).toMatch(
      /golden.json has 0 cases/,
    );
  });

  it("refuses inconsistent inputs", () => {
    expect(() => buildBundle({ ...input, golden: [{ ...input.golden[0], features: [[1]] }] })).toThrow(/golden case/);
    const bad: ModelArtifactsData = { ...input.lstm!.artifacts, weightData: new ArrayBuffer(8) };
    expect(() => buildBundle({ ...input, lstm: { artifacts: bad, params: {} }, float16: true })).toThrow(/too short/);
  });

  it("refuses a dataset normalised per symbol (one mean/std per feature is all a bundle holds)", () => {
    const d = input.dataset;
    const perSymbol = { ...d, symbols: ["A", "B"], symbolNormalization: d.normalization };
    expect(() => buildBundle({ ...input, dataset: perSymbol })).toThrow(
      /is normalised per symbol \(A, B\).*Rebuild it with pooled normalisation/,
    );
  });
});
