import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { hasPythonModule } from "@/test/python";
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
