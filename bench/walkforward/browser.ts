/**
 * Walk-forward on real data (headless Chromium): the studio's walk job (lib/jobs/walk walkRun:
 * training worker on WASM, forest worker pool, IndexedDB, per-fold fitting, pooling) on real
 * BTCUSDT 1h + 4h (+1d from 1h) with real funding and Fear & Greed from ../shared/data, retrained
 * monthly over the last `months` months. Prints one line per fold and model (with the fold's
 * training and test spans), one pooled line per model, ensemble and baseline, and the wall time.
 *
 * Params: months=12, epochs=1 (first fold; early stopping with the default patience),
 *         warm_epochs=1 (every later fold continues from the previous fold's weights for this
 *         many epochs; warm_epochs=0 trains each fold from scratch for `epochs`), trees=30,
 *         backend=wasm, models=transformer,lstm,forest, shared=0|1 (set by the harness).
 *         Epoch and tree caps are the walk's time budget: measured on 2 shared cores (wasm), one
 *         epoch of the default Transformer or LSTM on ~13k training windows takes 30-50 s and 20
 *         trees ~10 s, so a fold costs over a minute even so; every other setting is the default.
 * Run: npm run bench:walkforward [months=12] [epochs=1] [warm_epochs=1] [trees=30]
 *      (from a git worktree: BENCH_SHARED_DATA=/path/to/shared/data)
 */
import { createDatasetClient } from "@/lib/jobs/dataset/client";
import { buildDataset } from "@/lib/core/build-dataset";
import { buildPreset } from "@/lib/core/features/presets";
import { defaultWalkSpec } from "@/lib/core/folds";
import { getStudioDb, saveDataset } from "@/lib/db";
import { TrainClient } from "@/lib/jobs/train/client";
import { walkRun } from "@/lib/jobs/walk/walk-run";
import { defaultConfig, validateConfig, type NeuralModelKind } from "@/lib/models/config";
import { DEFAULT_FOREST_PARAMS } from "@/lib/models/forest";
import type { BackendPreference } from "@/lib/models/types";
import type { RunConfig } from "@/lib/run/types";
import { loadRealBtc } from "../common/real-btc";

const q = new URLSearchParams(location.search);
const num = (k: string, d: number) => (q.has(k) ? Number(q.get(k)) : d);
const report = (row: Record<string, unknown>) =>
  console.log("BENCH " + JSON.stringify({ bench: "walkforward", ...row }));
const r4 = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? null : +x.toFixed(4);
const day = (t: number) => new Date(t).toISOString().slice(0, 10);

async function main(): Promise<void> {
  if (q.get("shared") !== "1") {
    report({ skipped: "../shared/data is absent (shared=0): this bench needs the real BTCUSDT candles" });
    return;
  }
  const wallStart = performance.now();
  const months = num("months", 12);
  const epochs = num("epochs", 1);
  const warmEpochs = num("warm_epochs", 1);
  const trees = num("trees", 30);
  const backend = (q.get("backend") ?? "wasm") as BackendPreference;
  const real = await loadRealBtc();
  const dataset = buildDataset({
    candles: real.candles,
    alt: real.alt,
    features: buildPreset(["1h", "4h", "1d"]),
    baseInterval: "1h",
    symbol: "BTCUSDT",
    synthetic: false,
    createdAt: Date.now(),
  });
  await saveDataset(getStudioDb(), dataset);
  const wanted = new Set((q.get("models") ?? "transformer,lstm,forest").split(","));
  const neural = <K extends NeuralModelKind>(kind: K) =>
    wanted.has(kind) ? validateConfig(kind, { ...(defaultConfig(kind) as object), epochs }).config : undefined;
  const config: RunConfig = {
    datasetId: dataset.id,
    backend,
    transformer: neural("transformer"),
    lstm: neural("lstm"),
    forest: wanted.has("forest") ? { ...DEFAULT_FOREST_PARAMS, trees, view: "flat" } : undefined,
    walk: {
      spec: { ...defaultWalkSpec(dataset.labelSpec.horizon, dataset.window), walkMonths: months },
      ...(warmEpochs > 0 ? { warmStartEpochs: warmEpochs } : {}),
    },
  };
  report({
    case: "config",
    epochs_first_fold: epochs,
    epochs_warm_folds: warmEpochs || epochs,
    trees,
    walk: config.walk,
  });

  const trainClient = new TrainClient({
    backend,
    wasmBase: "./tfjs-wasm/",
    createWorker: () => new Worker(new URL("./train.worker.js", import.meta.url), { type: "module" }),
    createPeerWorker: () => new Worker(new URL("./peer.worker.js", import.meta.url), { type: "module" }),
    peers: num("peers", 1),
  });
  let lastLog = 0;
  const evaluation = await walkRun("bench-walk", "real BTCUSDT walk-forward", config, {
    signal: new AbortController().signal,
    trainClient,
    createForestWorker: () => new Worker(new URL("./forest.worker.js", import.meta.url), { type: "module" }),
    datasetClient: createDatasetClient(
      () => new Worker(new URL("./dataset.worker.js", import.meta.url), { type: "module" }),
    ),
    onProgress: (p) => {
      if (p.phase === "fold")
        console.log(`fold ${p.fold}/${p.folds} test ${day(p.testSpan[0])}..${day(p.testSpan[1])}`);
      if (p.phase === "model" && p.progress.phase === "train" && performance.now() - lastLog > 15_000) {
        lastLog = performance.now();
        console.log(`fold ${p.fold} ${p.model} ${JSON.stringify(p.progress.progress).slice(0, 140)}`);
      }
    },
  });
  trainClient.terminate();
  if (!evaluation?.walk) throw new Error("the walk was cancelled");

  for (const f of evaluation.walk.folds) {
    for (const r of f.results.filter((x) => x.kind === "model")) {
      report({
        case: "fold",
        fold: f.index,
        train: [day(f.trainSpan[0]), day(f.trainSpan[1])],
        test: [day(f.testSpan[0]), day(f.testSpan[1])],
        model: r.id,
        test_accuracy: r4(r.accuracy),
        balanced_accuracy: r4(r.balancedAccuracy),
        sharpe: r4(r.sharpe),
        epochs: r.epochs ?? null,
        warm_start: r.warmStart ?? false,
        seconds: r.seconds === undefined ? null : +r.seconds.toFixed(1),
        samples: f.samples,
        best_baseline_accuracy: r4(Math.max(...f.results.filter((x) => x.kind === "baseline").map((x) => x.accuracy))),
        buy_hold_sharpe: r4(f.buyHoldSharpe),
      });
    }
  }
  for (const s of evaluation.walk.skipped)
    report({ case: "skipped", test: [day(s.testFrom), day(s.testTo)], reason: s.reason });

  const s = evaluation.summary;
  // Paired block-bootstrap gap to the best baseline (Holm-corrected), as the run's verdict states it.
  const gapTo = (id: string, metric: "accuracy" | "balancedAccuracy") => {
    const v = s.verdict.find((x) => x.metric === metric);
    const row = v?.rows.find((x) => x.id === id);
    return v && row
      ? { baseline: v.best.id, gap: r4(row.gap), interval: row.interval.map(r4), clear: row.clear }
      : null;
  };
  for (const r of s.results) {
    const m = evaluation.metrics[r.id];
    report({
      case: "pooled",
      model: r.id,
      kind: r.kind,
      span: [day(s.backtest!.start), day(s.backtest!.end)],
      test_samples: s.config.samples.test,
      test_accuracy: r4(r.metrics.accuracy),
      balanced_accuracy: r4(r.metrics.balancedAccuracy),
      macro_f1: r4(r.metrics.macroF1),
      log_loss: r4(r.metrics.logLoss),
      sharpe: r4(m?.backtest?.sharpe_ratio),
      total_return: r4(m?.backtest?.total_return),
      buy_hold_return: r4(m?.backtest?.buy_hold_return),
      // 95% block-bootstrap intervals over the pooled test sequence (lib/run/intervals.ts).
      ci95: r.metrics.ci95
        ? {
            accuracy: r.metrics.ci95.accuracy.map(r4),
            balanced_accuracy: r.metrics.ci95.balancedAccuracy.map(r4),
            log_loss: r.metrics.ci95.logLoss?.map(r4) ?? null,
            sharpe: m?.ci95?.sharpe_ratio?.map(r4) ?? null,
          }
        : null,
      vs_best_baseline:
        r.kind === "baseline"
          ? null
          : { accuracy: gapTo(r.id, "accuracy"), balanced_accuracy: gapTo(r.id, "balancedAccuracy") },
    });
  }
  // Trial count and deflated Sharpe go here once trials are recorded (issue 12, "Trials").
  report({
    case: "total",
    folds: evaluation.walk.folds.length,
    wall_s: +((performance.now() - wallStart) / 1000).toFixed(1),
  });
}

main()
  .catch((e) => report({ error: String((e as Error)?.stack ?? e) }))
  .finally(() => console.log("BENCH_DONE"));
