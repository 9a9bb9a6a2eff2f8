/**
 * Export benchmark (Node; `npm run bench:export`): the Transformer and the LSTM at the studio's
 * default size (the guide-sized models the bundle check builds), unpatched (one token / LSTM step
 * per candle) and the largest the forms allow, written as TFLite with float32 and float16
 * weights, then read by two real interpreters: TFLite itself (@tensorflow/tfjs-tflite in
 * Chromium) and Arm NN's TFLite parser on CpuRef (Debian's python3-pyarmnn). One JSON line per
 * file and reader:
 *   {"bench":"export","format":"tflite","model","size","weights","bytes","under_3mb","max_abs_diff","reader","export_s"}
 * max_abs_diff is against the studio's own probabilities (tfjs predict) on `cases` random windows.
 * export_s times the first (cold) export of each file in this process, as one export in a fresh
 * export worker is; it runs in Node's V8, the engine the studio's worker runs in Chromium.
 * A node script rather than a bench/run.ts page because the Arm NN reader is a native Python module.
 *
 *   npx tsx bench/export/tflite.ts [sizes=default,unpatched,largest] [cases=8]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { maxAbsDiff } from "@/lib/core/max-abs-diff";
import { TFLITE_GUIDE_LIMIT_BYTES } from "@/lib/export/tflite/common";
import { lstmToTflite } from "@/lib/export/tflite/lstm";
import { neuralFixture, type FixtureSize } from "@/test/neural-models";
import { transformerToTflite } from "@/lib/export/tflite/transformer";
import { pythonWith } from "@/test/python";
import { openTfliteInterpreter, tfliteInterpreterAvailable } from "@/test/tflite-interpreter";

const args = Object.fromEntries(process.argv.slice(2).map((kv) => kv.split("=", 2) as [string, string]));
const sizes = (args.sizes ?? "default,unpatched,largest").split(",") as FixtureSize[];
const cases = Number(args.cases ?? 8);

/** Runs the bundle check's own Arm NN reader (check_bundle.armnn_run) on one file. */
const ARMNN = `
import json, sys
import numpy as np
sys.path.insert(0, "scripts/bundle-check")
from check_bundle import armnn, armnn_run
model, inputs, n, w, f = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
x = np.fromfile(inputs, np.float32).reshape(n, w, f)
try:
    print(json.dumps({"probs": armnn_run(armnn(), open(model, "rb").read(), x).reshape(-1).tolist()}))
except Exception as e:
    print(json.dumps({"error": " ".join(str(e).split())[:300]}))
`;

async function main(): Promise<void> {
  await tf.setBackend("cpu");
  const dir = mkdtempSync(path.join(tmpdir(), "bench-export-"));
  const python = pythonWith("numpy", "pyarmnn");
  const tfl = tfliteInterpreterAvailable() ? await openTfliteInterpreter() : null;
  if (!tfl) console.error("bench:export: @tensorflow/tfjs-tflite or Chromium missing: no tfjs-tflite lines");
  if (!python) console.error("bench:export: no python3 with pyarmnn (apt python3-pyarmnn): no pyarmnn lines");
  try {
    for (const size of sizes)
      for (const model of ["transformer", "lstm"] as const) {
        const f = await neuralFixture(model, size, cases);
        const inputs = path.join(dir, `${model}-${size}.in`);
        writeFileSync(inputs, f.inputs);
        for (const weights of ["float32", "float16"] as const) {
          const t0 = performance.now();
          const bytes = (model === "transformer" ? transformerToTflite : lstmToTflite)(f.artifacts, {
            float16: weights === "float16",
          });
          const exportS = (performance.now() - t0) / 1000;
          const row = {
            bench: "export",
            format: "tflite",
            model,
            size,
            weights,
            bytes: bytes.length,
            under_3mb: bytes.length <= TFLITE_GUIDE_LIMIT_BYTES,
            export_s: +exportS.toFixed(3),
          };
          if (tfl) {
            const r = await tfl.run(bytes, f.inputs, f.cases);
            const diff = maxAbsDiff(Float32Array.from(r.outputs), f.expected);
            console.log(JSON.stringify({ ...row, max_abs_diff: diff, reader: "tfjs-tflite" }));
          }
          if (python) {
            const file = path.join(dir, `${model}-${size}-${weights}.tflite`);
            writeFileSync(file, bytes);
            const out = JSON.parse(
              execFileSync(python, ["-c", ARMNN, file, inputs, String(f.cases), "120", "42"], {
                encoding: "utf8",
                stdio: ["ignore", "pipe", "ignore"],
              }),
            ) as { probs?: number[]; error?: string };
            const diff = out.probs ? maxAbsDiff(Float32Array.from(out.probs), f.expected) : null;
            console.log(
              JSON.stringify({
                ...row,
                max_abs_diff: diff,
                reader: "pyarmnn",
                ...(out.error ? { error: out.error } : {}),
              }),
            );
          }
        }
      }
  } finally {
    await tfl?.close();
  }
}

void main();
