import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { maxAbsDiff } from "@/lib/core/max-abs-diff";
import { openTfliteInterpreter, tfliteInterpreterAvailable, type TfliteInterpreter } from "@/test/tflite-interpreter";
import { strFromU8, unzipSync } from "fflate";
import { buildBundle } from "../bundle/build";
import { normalisedWindow, type GoldenFile } from "../bundle/golden";
import { bundleFixture } from "@/test/bundle";
import { inspectTflite } from "./inspect";
import { lstmToTflite } from "./lstm";
import { neuralFixture, type FixtureSize, type NeuralFixture } from "@/test/neural-models";
import { transformerToTflite } from "./transformer";

const available = tfliteInterpreterAvailable();
if (!available)
  console.warn("interpreter.test: @tensorflow/tfjs-tflite or Chromium missing; skipping the TFLite interpreter");

const write = (f: NeuralFixture, float16: boolean) =>
  (f.kind === "transformer" ? transformerToTflite : lstmToTflite)(f.artifacts, { float16 });

/**
 * The real TFLite interpreter (@tensorflow/tfjs-tflite, TFLite compiled to wasm, in Chromium) runs
 * every exported file: the same probabilities as the studio's own model, within 1e-4 for float32
 * weights and 5e-3 for float16.
 */
describe.skipIf(!available)("TFLite files in the TFLite interpreter (tfjs-tflite, Chromium)", () => {
  let tfl: TfliteInterpreter;
  const fixtures = new Map<string, NeuralFixture>();
  beforeAll(async () => {
    await tf.setBackend("cpu");
    tfl = await openTfliteInterpreter();
    for (const size of ["small", "default", "unpatched"] as FixtureSize[])
      for (const kind of ["transformer", "lstm"] as const)
        fixtures.set(`${kind}/${size}`, await neuralFixture(kind, size, 4));
  }, 180_000);
  afterAll(async () => tfl?.close());

  for (const size of ["small", "default", "unpatched"] as FixtureSize[])
    for (const kind of ["transformer", "lstm"] as const)
      for (const float16 of [false, true])
        it(`${kind} (${size}, ${float16 ? "float16" : "float32"}): the studio's probabilities`, async () => {
          const f = fixtures.get(`${kind}/${size}`)!;
          const r = await tfl.run(write(f, float16), f.inputs, f.cases);
          expect(r.inputShape).toEqual([1, 120, 42]);
          expect(r.inputDtype).toBe("float32");
          expect(r.outputShape).toEqual([1, 4]);
          expect(maxAbsDiff(Float32Array.from(r.outputs), f.expected)).toBeLessThan(float16 ? 5e-3 : 1e-4);
          // Informative probabilities, so a near-uniform output could not pass by accident.
          expect(Math.max(...f.expected) - Math.min(...f.expected)).toBeGreaterThan(0.05);
        });

  it("a bundle's tflite/ files run its golden.json windows to the expected probabilities", async () => {
    const { input } = await bundleFixture();
    for (const float16 of [false, true]) {
      const files = unzipSync(buildBundle({ ...input, tflite: true, float16 }));
      const golden = JSON.parse(strFromU8(files["golden.json"])) as GoldenFile;
      const mean = input.dataset.normalization.mean;
      const std = input.dataset.normalization.std;
      const x = new Float32Array(golden.cases.length * golden.window * mean.length);
      golden.cases.forEach((c, i) => x.set(normalisedWindow(c, mean, std), i * golden.window * mean.length));
      for (const id of ["transformer", "lstm"]) {
        const r = await tfl.run(files[`tflite/${id}_model.tflite`], x, golden.cases.length);
        const expected = golden.cases.flatMap((c) => c.expected[id]);
        expect(maxAbsDiff(Float32Array.from(r.outputs), expected)).toBeLessThan(float16 ? 5e-3 : 1e-4);
      }
    }
  });

  it("a truncated file is refused", async () => {
    const f = fixtures.get("lstm/small")!;
    const bytes = write(f, false);
    await expect(tfl.run(bytes.subarray(0, Math.floor(bytes.length / 2)), f.inputs, f.cases)).rejects.toThrow();
  });

  it("a file with a corrupted header is refused", async () => {
    const f = fixtures.get("transformer/small")!;
    const bytes = write(f, false).slice();
    bytes.set([0xff, 0xff, 0xff, 0x7f], 0); // root table offset far past the end
    await expect(tfl.run(bytes, f.inputs, f.cases)).rejects.toThrow();
  });

  it("a tampered weight changes the probabilities past the tolerance (the comparison can fail)", async () => {
    const f = fixtures.get("transformer/small")!;
    const bytes = write(f, false).slice();
    const kernel = inspectTflite(bytes).tensors.find((t) => t.name === "head/kernel")!;
    const view = new DataView(bytes.buffer);
    for (let i = kernel.dataOffset; i < kernel.dataOffset + kernel.bytes; i += 4)
      view.setFloat32(i, view.getFloat32(i, true) * 3 + 0.5, true);
    const r = await tfl.run(bytes, f.inputs, f.cases);
    expect(maxAbsDiff(Float32Array.from(r.outputs), f.expected)).toBeGreaterThan(1e-2);
  });
});
