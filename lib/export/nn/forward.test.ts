import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { buildModel } from "@/lib/models/build";
import { defaultConfig } from "@/lib/models/config";
import { predictProba } from "@/lib/models/predict";
import { modelToArtifacts } from "@/lib/models/serialize";
import { forwardPlan, forwardPlanMany } from "./forward";
import { simdAvailable } from "./simd-matmul";
import { lstmPlan, transformerPlan } from "./plan";

const W = 120;
const F = 42;

/** Deterministic pseudo-random values in [-a, a]. */
function values(n: number, seed: number, a: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return ((s / 2 ** 32) * 2 - 1) * a;
  });
}

/** Every weight replaced by larger random values, so that outputs are far from uniform and a wrong step shows. */
function scramble(model: tf.LayersModel, seed: number): void {
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(values(w.size, seed + i, 0.6), w.shape)));
}

describe("plain-JS forward pass of a plan", () => {
  beforeAll(async () => {
    await tf.setBackend("cpu");
  });

  const cases: [
    string,
    () => tf.LayersModel,
    (
      a: Awaited<ReturnType<typeof modelToArtifacts>>,
    ) => never | ReturnType<typeof transformerPlan> | ReturnType<typeof lstmPlan>,
  ][] = [
    ["transformer (defaults)", () => buildModel("transformer", defaultConfig("transformer"), W, F), transformerPlan],
    [
      "transformer (2 blocks, 4 heads)",
      () =>
        buildModel("transformer", { ...defaultConfig("transformer"), dModel: 16, heads: 4, blocks: 2, ff: 24 }, W, F),
      transformerPlan,
    ],
    ["lstm (defaults)", () => buildModel("lstm", defaultConfig("lstm"), W, F), lstmPlan],
    ["lstm (2 layers)", () => buildModel("lstm", { ...defaultConfig("lstm"), units: 12, layers: 2 }, W, F), lstmPlan],
  ];

  for (const [name, build, plan] of cases)
    it(`gives tfjs's probabilities with the WebAssembly SIMD and the plain-JS product: ${name}`, async () => {
      const model = build();
      scramble(model, 7);
      const p = plan(await modelToArtifacts(model));
      const n = 6;
      const matrix = values(n * W * F, 3, 2);
      const ends = Int32Array.from({ length: n }, (_, i) => (i + 1) * W - 1);
      const expected = await predictProba(model, { matrix, rows: n * W, features: F, window: W }, ends);
      for (const simd of [true, false]) {
        const one = (i: number) => forwardPlan(p, matrix.subarray(i * W * F, (i + 1) * W * F), { simd });
        let spread = 0;
        for (let i = 0; i < n; i++) {
          const got = one(i);
          for (let c = 0; c < 4; c++) {
            expect(Math.abs(got[c] - expected[i * 4 + c]), `simd ${simd}, window ${i} class ${c}`).toBeLessThan(2e-5);
            spread = Math.max(spread, Math.abs(got[c] - 0.25));
          }
        }
        // Not a uniform output that any wiring would match.
        expect(spread).toBeGreaterThan(0.05);
        // All windows in one call (a replay's batch): each equals its own pass, bit for bit.
        const many = forwardPlanMany(p, matrix, { simd });
        for (let i = 0; i < n; i++) expect(many.subarray(i * 4, (i + 1) * 4)).toEqual(one(i));
      }
      model.dispose();
    });

  it("runs on WebAssembly SIMD here (Node and Chromium have it), so the test above checks that product", () => {
    expect(simdAvailable()).toBe(true);
  });

  it("refuses a window of the wrong size", async () => {
    const p = lstmPlan(await modelToArtifacts(buildModel("lstm", { ...defaultConfig("lstm"), units: 4 }, W, F)));
    expect(() => forwardPlan(p, new Float32Array(10))).toThrow(/a window of 10 values, the model takes 120×42/);
  });
});
