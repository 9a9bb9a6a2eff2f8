import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { unzipSync, zipSync } from "fflate";
import { hasPythonModule, pythonWith } from "@/test/python";
import { inspectTflite } from "../tflite/inspect";
import { buildBundle } from "./build";
import { bundleFixture } from "@/test/bundle";

const numpy = hasPythonModule("numpy");
if (!numpy) console.warn("consumer.test: python3 with numpy not found; skipping the independent bundle reader");

/**
 * scripts/bundle-check/check_bundle.py reads a bundle as another app would, from its documents
 * alone (its own forest.bin parser written from forest/schema.json; onnxruntime when installed).
 */
describe.skipIf(!numpy)("an independent consumer (Python, from the bundle's documents)", () => {
  let file: string;
  beforeAll(async () => {
    await tf.setBackend("cpu");
    const { input } = await bundleFixture();
    file = path.join(mkdtempSync(path.join(tmpdir(), "bundle-")), "bundle.zip");
    writeFileSync(file, buildBundle({ ...input, onnx: true }));
  });

  it("reproduces the forest's golden probabilities with its own forest.bin reader", () => {
    const run = () => execFileSync("python3", ["scripts/bundle-check/check_bundle.py", file], { encoding: "utf8" });
    const lines = run()
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { model?: string; runtime: string; max_abs_diff?: number; ok?: boolean });
    const forest = lines.find((l) => l.model === "forest" && l.runtime === "python forest.bin reader");
    expect(forest?.ok).toBe(true);
    expect(forest?.max_abs_diff).toBeLessThan(1e-6);
    expect(lines.every((l) => l.ok !== false)).toBe(true);
  });

  it("fails on a bundle whose forest no longer computes its golden vectors", () => {
    const tampered = file.replace(".zip", "-tampered.zip");
    // Make every golden expectation of the forest wrong by the same amount.
    execFileSync("python3", ["-c", TAMPER, file, tampered]);
    let failed = false;
    try {
      execFileSync("python3", ["scripts/bundle-check/check_bundle.py", tampered], { encoding: "utf8", stdio: "pipe" });
    } catch (e) {
      failed = (e as { status?: number }).status === 1;
    }
    expect(failed).toBe(true);
  });
});

const armnnPython = pythonWith("numpy", "pyarmnn");
if (!armnnPython)
  console.warn("consumer.test: no python3 with pyarmnn (apt python3-pyarmnn); skipping Arm NN's TFLite reader");

interface CheckLine {
  model?: string;
  runtime: string;
  file?: string;
  max_abs_diff?: number;
  ok?: boolean;
  skipped?: string;
  error?: string;
}

/** Runs check_bundle.py with the Python that has pyarmnn: its exit status and JSON lines. */
function checkWithArmnn(file: string): { status: number; lines: CheckLine[] } {
  let out: string;
  let status = 0;
  try {
    out = execFileSync(armnnPython!, ["scripts/bundle-check/check_bundle.py", file], {
      encoding: "utf8",
      stdio: "pipe",
    });
  } catch (e) {
    const err = e as { status?: number; stdout?: string };
    status = err.status ?? -1;
    out = err.stdout ?? "";
  }
  const lines = out
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as CheckLine);
  return { status, lines };
}

/** The bundle with `path` replaced by edit(bytes). */
function rewrite(zip: Uint8Array, path: string, edit: (b: Uint8Array) => Uint8Array): Uint8Array {
  const files = unzipSync(zip);
  files[path] = edit(files[path]).slice();
  return zipSync(files);
}

/**
 * Arm NN's TFLite parser on its CpuRef backend (Debian's python3-pyarmnn, 20.08) is the bundle
 * check's independent native reader of the TFLite files.
 */
describe.skipIf(!armnnPython)("Arm NN's TFLite parser in the bundle check (pyarmnn, CpuRef)", () => {
  let dir: string;
  let float32: Uint8Array;
  let float16: Uint8Array;
  const save = (name: string, bytes: Uint8Array) => {
    const file = path.join(dir, name);
    writeFileSync(file, bytes);
    return file;
  };
  beforeAll(async () => {
    await tf.setBackend("cpu");
    const { input } = await bundleFixture();
    dir = mkdtempSync(path.join(tmpdir(), "bundle-tflite-"));
    float32 = buildBundle({ ...input, tflite: true });
    float16 = buildBundle({ ...input, tflite: true, float16: true });
  });

  it("runs both float32 TFLite files to the golden probabilities (max |diff| < 1e-4)", () => {
    const { status, lines } = checkWithArmnn(save("f32.zip", float32));
    expect(status).toBe(0);
    for (const id of ["transformer", "lstm"]) {
      const line = lines.find((l) => l.model === id && l.runtime.startsWith("pyarmnn"));
      expect(line?.ok).toBe(true);
      expect(line?.max_abs_diff).toBeLessThan(1e-4);
    }
  });

  it("says it cannot read float16 files (FULLY_CONNECTED fed by DEQUANTIZE) instead of passing them", () => {
    const { status, lines } = checkWithArmnn(save("f16.zip", float16));
    expect(status).toBe(0);
    const armnn = lines.filter((l) => l.runtime.startsWith("pyarmnn"));
    expect(armnn.map((l) => l.model).sort()).toEqual(["lstm", "transformer"]);
    for (const l of armnn) {
      expect(l.skipped).toMatch(/cannot read float16/);
      expect(l.error).toMatch(/Failed to parse operator #\d+/);
    }
  });

  it("fails on a truncated file and on a tampered weight", () => {
    const truncated = rewrite(float32, "tflite/lstm_model.tflite", (b) => b.subarray(0, b.length >> 1));
    const t = checkWithArmnn(save("truncated.zip", truncated));
    expect(t.status).toBe(1);
    expect(t.lines.find((l) => l.model === "lstm" && l.runtime.startsWith("pyarmnn"))?.ok).toBe(false);
    const tampered = rewrite(float32, "tflite/transformer_model.tflite", (b) => {
      const out = b.slice();
      const kernel = inspectTflite(out).tensors.find((x) => x.name === "head/kernel")!;
      const view = new DataView(out.buffer);
      for (let i = kernel.dataOffset; i < kernel.dataOffset + kernel.bytes; i += 4)
        view.setFloat32(i, view.getFloat32(i, true) * 3 + 0.5, true);
      return out;
    });
    const w = checkWithArmnn(save("tampered.zip", tampered));
    expect(w.status).toBe(1);
    const line = w.lines.find((l) => l.model === "transformer" && l.runtime.startsWith("pyarmnn"));
    expect(line?.ok).toBe(false);
    expect(line?.max_abs_diff).toBeGreaterThan(1e-2);
  });
});

const TAMPER = `
import json, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(src) as z, zipfile.ZipFile(dst, "w") as out:
    for name in z.namelist():
        data = z.read(name)
        if name == "golden.json":
            g = json.loads(data)
            for c in g["cases"]:
                c["expected"]["forest"] = [p + 0.01 for p in c["expected"]["forest"]]
            data = json.dumps(g).encode()
        out.writestr(name, data)
`;
