import { formatBytes } from "@/lib/core/format";
import { TFLITE_GUIDE_LIMIT_BYTES } from "../tflite/common";
import type { BundleManifest } from "./manifest";

/** What README.md says about one file of the bundle. */
export interface ReadmeFile {
  path: string;
  bytes: number;
  /** TFLite files: the builtin operators they use. */
  operators?: string[];
}

/** Up to 7 significant digits, no trailing zeros. */
export const readmeNumber = (x: number) => String(Number(x.toPrecision(7)));
const num = readmeNumber;
const cell = (s: string) => s.replace(/\|/g, "\\|");

/**
 * README.md of a model bundle: what an app developer feeds the models and what comes out, in the
 * manifest's own terms (feature order and normalisation, window, classes, ensemble weights), how
 * the forest file is evaluated and how golden.json proves an app computes the same features and
 * predictions. Pure: text from the manifest and the file list.
 */
export function bundleReadme(m: BundleManifest, files: ReadmeFile[]): string {
  const F = m.features.length;
  const W = m.window;
  const classes = m.classNames.map((c, i) => `${i} = ${c}`).join(", ");
  const byId = new Map(m.models.map((e) => [e.id, e]));
  const tflite = files.filter((f) => f.path.endsWith(".tflite"));
  const forest = byId.get("forest");
  const weights = m.ensemble.weights.map((w) => `${w.model} ${w.weight}`).join(", ");
  const lines: string[] = [
    `# TradeMate model bundle: ${m.symbols.join(", ")} ${m.baseInterval}`,
    "",
    `Made by ${m.producer} on ${new Date(m.createdAt).toISOString().slice(0, 10)}.` +
      (m.synthetic ? " **Trained on the studio's synthetic market, not on real prices.**" : "") +
      (m.syntheticAlt ? " **Its alternative data (funding, Fear & Greed) is synthetic.**" : ""),
    "Every number below is also in `manifest.json`, which is the reference.",
    "",
    "## Files",
    "",
    "| file | size |",
    "| --- | --- |",
    ...files.map((f) => `| \`${f.path}\` | ${formatBytes(f.bytes)} |`),
    "",
    "## Input: what to feed the models",
    "",
    `- A window of **${W} consecutive closed ${m.baseInterval} candles**, oldest first, ending at the candle you`,
    "  predict for. Never include a candle that has not closed: the models were trained without look-ahead.",
    `- For each of the ${W} steps, the **${F} features below, in this order**, each normalised with the`,
    "  training statistics: `x = (raw - mean) / std` (a std of 0 counts as 1).",
    `- The neural models take one tensor **\`window\`, float32, shape [1, ${W}, ${F}]**, row-major: element`,
    `  [0, s, f] is feature f at step s (s = 0 the oldest, s = ${W - 1} the newest).`,
    `- Features computed on a timeframe other than ${m.baseInterval} use only candles closed at the base candle's close.`,
    "  A feature marked *fallback* used its documented neutral value because its source was missing.",
    "",
    "| # | feature | timeframe | indicator | params | mean | std | fallback |",
    "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ...m.features.map(
      (f, j) =>
        `| ${j} | ${cell(f.name)} | ${f.timeframe ?? "-"} | ${cell(f.indicator)} | ${cell(JSON.stringify(f.params))} | ${num(f.mean)} | ${num(f.std)} | ${f.fallback ? "yes" : ""} |`,
    ),
    "",
    "## Output: what comes out",
    "",
    `- **\`probabilities\`, float32, shape [1, ${m.classNames.length}]**, summing to 1, in class order ${classes}.`,
    `- Training labels came from the return ${m.labelSpec.horizon} candles ahead: beyond ±${num(m.labelSpec.strong * 100)}%`,
    `  STRONG_BUY / STRONG_SELL, beyond ±${num(m.labelSpec.weak * 100)}% BUY / SELL, smaller returns ` +
      (m.labelSpec.weakZone === "sign" ? "BUY / SELL by their sign" : "left out of training") +
      (m.labelSpec.atrScaled ? " (thresholds scaled by ATR(14) / close over its training median)." : "."),
    "",
  ];
  if (tflite.length > 0) {
    lines.push(
      "## TFLite files (MyTradeMate app, `tflite_flutter`)",
      "",
      "Copy them to `assets/ml/` and load them with `Interpreter.fromAsset(...)`. Each has one input tensor",
      `(index 0, \`window\` [1, ${W}, ${F}] float32) and one output tensor (index 0, \`probabilities\` [1, 4] float32),`,
      "also named in the `serving_default` signature. Only builtin operators are used (no Select TF ops),",
      "and every prediction starts from a fresh state: nothing carries over between calls.",
      "",
      `| file | weights | size | guide limit ${formatBytes(TFLITE_GUIDE_LIMIT_BYTES)} | operators |`,
      "| --- | --- | --- | --- | --- |",
      ...tflite.map((f) => {
        const id = f.path.includes("transformer") ? "transformer" : "lstm";
        const dtype = byId.get(id)?.dtype ?? "float32";
        const fits = f.bytes <= TFLITE_GUIDE_LIMIT_BYTES ? "fits" : "**over**";
        return `| \`${f.path}\` | ${dtype} | ${formatBytes(f.bytes)} | ${fits} | ${(f.operators ?? []).join(", ")} |`;
      }),
      "",
      "Float16 files store the weights as float16 and dequantise them to float32 when loaded (as TensorFlow's",
      "float16 quantisation does); all arithmetic is float32.",
      "",
    );
  }
  lines.push(
    "## Other formats of the same models",
    "",
    `- TensorFlow.js: \`<model>/model.json\` + \`weights.bin\` (tf.loadLayersModel); ONNX: \`onnx/<model>.onnx\` when`,
    `  present. Both take the same normalised windows with any batch size: [N, ${W}, ${F}] → [N, ${m.classNames.length}].`,
    "",
  );
  if (forest) {
    const view = forest.view;
    lines.push(
      "## The Random Forest (`forest/forest.bin`)",
      "",
      "The byte layout is in `forest/schema.json`; the input names are in `forest/inputs.json`.",
      view?.kind === "compact"
        ? `- Inputs: for each feature f of the normalised window, 6 values at index 6f + k: k = 0 last, 1 mean,` +
            " 2 std (population), 3 min, 4 max, 5 last minus first."
        : `- Inputs: the normalised window flattened step-major: input s·${F} + f is feature f at step s.`,
      "- Each tree is walked from its root: at an internal node go to the left child when",
      "  `x[feature] <= threshold`, else to the right child, until a leaf; the leaf holds class probabilities.",
      "- The forest's probabilities are the mean of the reached leaves over all trees.",
      "",
    );
  }
  lines.push(
    "## The ensemble",
    "",
    `Weights: ${weights}. With p_m each model's probabilities, the ensemble is \`Σ w_m · p_m / Σ w_m\` over the`,
    "models you run (renormalise when one is missing); the signal is the class of highest probability.",
    "",
    "## Proving your app computes the same: `golden.json`",
    "",
    `\`golden.json\` holds ${m.golden.cases} test windows. For each case: \`features\` is the raw window [${W}][${F}]`,
    "(with the candles it came from under `candles` when the studio had them), and `expected` holds every",
    "model's probabilities and the ensemble's.",
    "",
    "1. Compute the features from `candles` with your code and compare with `features` (same order, same values).",
    "2. Normalise `features` with the table above, run each model, and compare with `expected.<model>`:",
    "   within 1e-4 for float32 files, 5e-3 for float16 files (`expected` holds the float32 model's output).",
    "3. Combine with the ensemble weights and compare with `expected.ensemble`.",
    "",
    "`scripts/bundle-check/check_bundle.py` in the studio's repository does steps 2 and 3 in Python.",
    "",
  );
  const metricRows = Object.entries(m.metrics);
  if (metricRows.length > 0)
    lines.push(
      "## Test metrics (the held-out test part)",
      "",
      "| model | accuracy | balanced accuracy | macro F1 |",
      "| --- | --- | --- | --- |",
      ...metricRows.map(
        ([id, x]) =>
          `| ${id} | ${x.accuracy.toFixed(3)} | ${x.balancedAccuracy.toFixed(3)} | ${x.macroF1.toFixed(3)} |`,
      ),
      "",
    );
  return lines.join("\n");
}
