import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { TFLITE_GUIDE_LIMIT_BYTES } from "./common";
import { inspectTflite } from "./inspect";
import { lstmToTflite } from "./lstm";
import { neuralFixture, type NeuralFixture } from "@/test/neural-models";
import { transformerToTflite } from "./transformer";

/** The operators the writer may use: builtins every TFLite runtime and Arm NN 20.08's parser read. */
const PORTABLE = new Set([
  "ADD",
  "SUB",
  "MUL",
  "FULLY_CONNECTED",
  "RESHAPE",
  "TRANSPOSE",
  "MEAN",
  "SOFTMAX",
  "LOGISTIC",
  "TANH",
  "CONCATENATION",
  "L2_NORMALIZATION",
  "SPLIT",
  "SPLIT_V",
  "DEQUANTIZE",
]);

const write = (f: NeuralFixture, float16 = false) =>
  (f.kind === "transformer" ? transformerToTflite : lstmToTflite)(f.artifacts, { float16 });

describe("TFLite files (structure)", () => {
  const fixtures: NeuralFixture[] = [];
  beforeAll(async () => {
    await tf.setBackend("cpu");
    for (const kind of ["transformer", "lstm"] as const) fixtures.push(await neuralFixture(kind, "default", 1));
  }, 60_000);

  it("take window [1, 120, 42] float32, give probabilities [1, 4], with builtin operators only", () => {
    for (const f of fixtures) {
      const s = inspectTflite(write(f));
      expect(s.input).toMatchObject({ name: "window", shape: [1, 120, 42], type: "float32" });
      expect(s.output).toMatchObject({ name: "probabilities", shape: [1, 4], type: "float32" });
      expect(s.customOperators).toEqual([]);
      for (const op of Object.keys(s.operators)) expect(PORTABLE.has(op), `${f.kind}: ${op}`).toBe(true);
      expect(s.operators.DEQUANTIZE).toBeUndefined();
      expect(s.tensors.filter((t) => t.type === "float16")).toEqual([]);
      expect(s.description).toContain("STRONG_SELL, SELL, BUY, STRONG_BUY");
      // Buffer.data is force_align 16 in the schema (mmap-friendly; XNNPack reads weights in place).
      for (const t of s.tensors) if (t.bytes > 0) expect(t.dataOffset % 16, t.name).toBe(0);
    }
  });

  it("float16 files store every model weight as float16, each dequantised once, at about half the size", () => {
    for (const f of fixtures) {
      const f32 = write(f);
      const f16 = write(f, true);
      const s = inspectTflite(f16);
      const halves = s.tensors.filter((t) => t.type === "float16");
      expect(halves.length).toBeGreaterThan(4);
      expect(s.operators.DEQUANTIZE).toBe(halves.length);
      // Float32 constants left: helper constants only (zero biases, epsilon columns, scales), all small.
      const leftover = s.tensors.filter((t) => t.type === "float32" && t.bytes > 0);
      expect(Math.max(...leftover.map((t) => t.bytes))).toBeLessThan(4 * 1024);
      expect(f16.length / f32.length).toBeLessThan(0.62);
    }
  });

  it("default-size models are far under the guide's 3 MB as float32", () => {
    for (const f of fixtures) expect(write(f).length).toBeLessThan(TFLITE_GUIDE_LIMIT_BYTES);
  });

  it("the same artifacts give the same bytes (deterministic)", () => {
    for (const f of fixtures) expect(Buffer.from(write(f, true)).equals(Buffer.from(write(f, true)))).toBe(true);
  });
});
