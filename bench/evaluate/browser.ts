/**
 * Honest results on real data (headless Chromium): the studio's whole pipeline (lib/run trainRun:
 * training worker on WASM, forest worker pool, IndexedDB, evaluation) on real BTCUSDT 1h + 4h
 * (+1d from 1h) with real funding and Fear & Greed from ../shared/data, evaluated on the
 * untouched test part. Prints, per model, ensemble and baseline, the test metrics next to the
 * guide's claimed accuracy; the ensemble's real accuracy next to the guide's estimate; the
 * backtest; the top permutation features; and a shuffled-label control (a forest trained on
 * labels permuted within the training part must score near the majority baseline).
 *
 * Params: epochs=12 (max; early stopping with the default patience), trees=200, backend=wasm,
 *         models=transformer,lstm,forest (which to train), <model>.<key>=value to override one
 *         model's configuration (e.g. lstm.learningRate=0.001), shared=0|1 (set by the harness:
 *         whether ../shared/data exists).
 * Run: npx tsx bench/run.ts evaluate [epochs=12] [trees=200]
 */
import { buildDataset } from "@/lib/core/build-dataset";
import { buildPreset } from "@/lib/core/features/presets";
import { normalizedSource } from "@/lib/core/normalize";
import { sampleSet } from "@/lib/core/windows";
import { getStudioDb, saveDataset } from "@/lib/db";
import { permuteLabelsWithinPart } from "@/lib/eval/control";
import { estimatedEnsembleAccuracy } from "@/lib/eval/ensemble";
import { classificationMetrics } from "@/lib/eval/metrics";
import { defaultConfig, validateConfig, type NeuralModelKind } from "@/lib/models/config";
import { DEFAULT_FOREST_PARAMS, predictProbaView, trainForest, windowTrainingSet } from "@/lib/models/forest";
import type { BackendPreference } from "@/lib/models/types";
import { labelsAt } from "@/lib/run/summarize";
import { trainRun, type RunConfig } from "@/lib/jobs/train/train-run";
import { TrainClient } from "@/lib/jobs/train/client";
import { footprintBytes } from "@/lib/models/footprint";
import { loadRealBtc } from "../common/real-btc";
import { createDatasetClient } from "@/lib/jobs/dataset/client";
import { watchLongTasks } from "../common/long-tasks";
import { pageHeapMb, StageClock } from "../common/stages";

const q = new URLSearchParams(location.search);
const num = (k: string, d: number) => (q.has(k) ? Number(q.get(k)) : d);
const report = (row: Record<string, unknown>) => console.log("BENCH " + JSON.stringify(row));
const r4 = (x: number | null | undefined) =>
  x === null || x === undefined || !Number.isFinite(x) ? null : +x.toFixed(4);

/** The guide's published test accuracies (claims, shown beside what we measure). */
const GUIDE_CLAIMS: Record<string, number> = { transformer: 0.685, lstm: 0.642, forest: 0.618, ensemble: 0.661 };

async function main(): Promise<void> {
  if (q.get("shared") !== "1") {
    report({
      bench: "evaluate",
      skipped: "../shared/data is absent (shared=0): this bench needs the real BTCUSDT candles",
    });
    return;
  }
  const runStarted = performance.now();
  const epochs = num("epochs", 12);
  const trees = num("trees", 200);
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
  const split = dataset.split;
  const stages = new StageClock();
  const longTasks = watchLongTasks();
  stages.mark("run", "dataset", runStarted);
  stages.close("run");
  report({
    bench: "evaluate",
    case: "dataset",
    symbol: "BTCUSDT",
    timeframes: dataset.timeframes,
    features: dataset.features.length,
    window: dataset.window,
    samples: { train: split.train.length, val: split.val.length, test: split.test.length },
    test_period: [
      new Date(dataset.times[split.test[0]]).toISOString(),
      new Date(dataset.times[split.test[split.test.length - 1]]).toISOString(),
    ],
    label_spec: dataset.labelSpec,
  });

  const wanted = new Set((q.get("models") ?? "transformer,lstm,forest").split(","));
  const neural = <K extends NeuralModelKind>(kind: K) => {
    const overrides: Record<string, unknown> = { ...(defaultConfig(kind) as object), epochs };
    for (const [k, v] of q) if (k.startsWith(`${kind}.`)) overrides[k.slice(kind.length + 1)] = v;
    return wanted.has(kind) ? validateConfig(kind, overrides).config : undefined;
  };
  const config: RunConfig = {
    datasetId: dataset.id,
    backend,
    transformer: neural("transformer"),
    lstm: neural("lstm"),
    forest: wanted.has("forest") ? { ...DEFAULT_FOREST_PARAMS, trees, view: "flat" } : undefined,
  };
  report({
    bench: "evaluate",
    case: "config",
    transformer: config.transformer ?? null,
    lstm: config.lstm ?? null,
    forest: config.forest ?? null,
  });
  const trainClient = new TrainClient({
    backend,
    wasmBase: "./tfjs-wasm/",
    createWorker: () => new Worker(new URL("./train.worker.js", import.meta.url), { type: "module" }),
    createPeerWorker: () => new Worker(new URL("./peer.worker.js", import.meta.url), { type: "module" }),
    peers: num("peers", 1),
  });
  const seconds: Record<string, number> = {};
  // Peak memory of the training worker and its peer, sampled while they train (a worker stopped
  // when idle would report a fresh heap afterwards).
  const peak = { training: 0, peers: [] as number[] };
  const sampler = setInterval(() => {
    void trainClient
      .memory()
      .then((m) => {
        peak.training = Math.max(peak.training, footprintBytes(m));
        m.peers.forEach((p, i) => (peak.peers[i] = Math.max(peak.peers[i] ?? 0, footprintBytes(p))));
      })
      .catch(() => undefined);
  }, 5000);
  let lastLog = 0;
  const evaluation = await trainRun("bench-real", "real BTCUSDT", config, {
    signal: new AbortController().signal,
    trainClient,
    createForestWorker: () => new Worker(new URL("./forest.worker.js", import.meta.url), { type: "module" }),
    datasetClient: createDatasetClient(
      () => new Worker(new URL("./dataset.worker.js", import.meta.url), { type: "module" }),
    ),
    onProgress: (p) => {
      stages.progress(p.model, p.phase);
      if (p.phase === "done") seconds[p.model] = p.seconds;
      if (p.phase === "train" && performance.now() - lastLog > 10_000) {
        lastLog = performance.now();
        console.log(`${p.model} ${JSON.stringify(p.progress).slice(0, 160)}`);
      }
    },
  });
  stages.progress("run", "end");
  const runSeconds = (performance.now() - runStarted) / 1000;
  clearInterval(sampler);
  trainClient.terminate();
  if (!evaluation) throw new Error("the run was cancelled");
  for (const row of stages.rows()) report({ bench: "evaluate", case: "stage", ...row });
  report({
    bench: "evaluate",
    case: "memory",
    training_worker_peak_mb: +(peak.training / 2 ** 20).toFixed(1),
    peer_peak_mb: peak.peers.map((b) => +(b / 2 ** 20).toFixed(1)),
    page_js_heap_mb: pageHeapMb(),
  });
  report({ bench: "evaluate", case: "page", ...longTasks.summary() });
  longTasks.stop();
  const s = evaluation.summary;
  for (const r of s.results) {
    const m = evaluation.metrics[r.id];
    report({
      bench: "evaluate",
      case: "real-btcusdt-1h-4h-1d",
      result: r.id,
      kind: r.kind,
      test_accuracy: r4(r.metrics.accuracy),
      balanced_accuracy: r4(r.metrics.balancedAccuracy),
      macro_f1: r4(r.metrics.macroF1),
      log_loss: r4(r.metrics.logLoss),
      precision: r.metrics.precision.map(r4),
      recall: r.metrics.recall.map(r4),
      guide_claimed_accuracy: GUIDE_CLAIMS[r.id] ?? null,
      train_seconds: seconds[r.id] !== undefined ? +seconds[r.id].toFixed(1) : null,
      best_epoch: r.curve?.bestEpoch ?? null,
      backend: r.kind === "model" ? (s.config.models.find((x) => x.id === r.id)?.params.backend ?? null) : null,
      sharpe: r4(m?.backtest?.sharpe_ratio),
      win_rate: r4(m?.backtest?.win_rate),
      ci95: r.metrics.ci95
        ? {
            accuracy: r.metrics.ci95.accuracy.map(r4),
            balanced_accuracy: r.metrics.ci95.balancedAccuracy.map(r4),
            log_loss: r.metrics.ci95.logLoss?.map(r4) ?? null,
            sharpe: m?.ci95?.sharpe_ratio?.map(r4) ?? null,
          }
        : null,
    });
  }
  // The verdict as the run's summary computed it (what the Results page and a share link state).
  for (const v of s.verdict) {
    report({
      bench: "evaluate",
      case: "verdict",
      metric: v.metric,
      method: v.method,
      block_length: v.blockLength ?? null,
      best_baseline: v.best,
      clearly_better: v.rows.filter((r) => r.clear).map((r) => r.id),
      gaps: Object.fromEntries(v.rows.map((r) => [r.id, r4(r.gap)])),
      holm_intervals: Object.fromEntries(v.rows.map((r) => [r.id, r.interval.map(r4)])),
    });
  }
  const modelAcc = Object.fromEntries(
    s.results.filter((r) => r.kind === "model").map((r) => [r.id, r.metrics.accuracy]),
  );
  const guideEstimate = estimatedEnsembleAccuracy(modelAcc);
  report({
    bench: "evaluate",
    case: "ensemble-estimate-vs-real",
    guide_style_estimate: r4(guideEstimate),
    measured_ensemble_accuracy: r4(s.results.find((r) => r.id === "ensemble")?.metrics.accuracy),
    learned_weights: s.ensemble.learned ?? null,
  });
  const bt = s.backtest!;
  report({
    bench: "evaluate",
    case: "backtest",
    traded: bt.model,
    total_return: r4(bt.totalReturn),
    buy_and_hold: r4(bt.buyHoldReturn),
    sharpe: r4(bt.sharpe),
    win_rate: r4(bt.winRate),
    max_drawdown: r4(bt.maxDrawdown),
    profit_factor: r4(bt.profitFactor),
    trades: bt.trades,
    fee_bps: bt.feeBps,
    guide_targets: "Sharpe > 1.5, win rate > 55%",
  });
  // The majority baseline on the validation part (the training part's most frequent class): what
  // defaults are chosen against; the test part is not looked at for that.
  const trainLabels = labelsAt(dataset, split.train);
  const valLabels = labelsAt(dataset, split.val);
  const counts = [0, 0, 0, 0];
  for (const y of trainLabels) counts[y]++;
  const majority = counts.indexOf(Math.max(...counts));
  report({
    bench: "evaluate",
    case: "validation-majority",
    class: majority,
    val_accuracy: r4(valLabels.filter((y) => y === majority).length / valLabels.length),
  });
  for (const [model, curve] of Object.entries(evaluation.curves)) {
    report({
      bench: "evaluate",
      case: "curve",
      model,
      epochs: curve.map((e) => ({
        epoch: e.epoch,
        loss: r4(e.loss),
        acc: r4(e.acc),
        val_loss: r4(e.valLoss),
        val_acc: r4(e.valAcc),
        train_s: r4(e.trainSeconds),
        val_s: r4(e.valSeconds),
      })),
    });
  }
  for (const [model, list] of Object.entries(evaluation.permutation)) {
    report({
      bench: "evaluate",
      case: "permutation-top",
      model,
      top: [...list]
        .sort((a, b) => b.value - a.value)
        .slice(0, 8)
        .map((x) => ({ name: x.name, drop: r4(x.value) })),
    });
  }

  // Shuffled-label control: same forest, labels permuted within the training part.
  const source = normalizedSource(dataset);
  const names = dataset.features.map((f) => f.name);
  const shuffled = permuteLabelsWithinPart(dataset.labels, split.train, 7);
  const c0 = performance.now();
  const control = trainForest(windowTrainingSet(source, names, sampleSet(split.train, shuffled), "flat", 4), {
    ...DEFAULT_FOREST_PARAMS,
    trees: Math.min(trees, 60),
  });
  const controlAcc = classificationMetrics(
    labelsAt(dataset, split.test),
    predictProbaView(control, source, split.test),
  ).accuracy;
  report({
    bench: "evaluate",
    case: "shuffled-label-control",
    model: "forest",
    trees: control.trees.length,
    test_accuracy: r4(controlAcc),
    majority_baseline: r4(s.results.find((r) => r.id === "majority")?.metrics.accuracy),
    seconds: +((performance.now() - c0) / 1000).toFixed(1),
  });
  // The default run as a user waits for it: dataset, training, prediction, importance, saving,
  // evaluation (the bench's own shuffled-label control above is not part of it).
  report({ bench: "evaluate", case: "total", wall_s: +runSeconds.toFixed(1) });
}

main()
  .catch((err) => report({ bench: "evaluate", error: String(err instanceof Error ? (err.stack ?? err.message) : err) }))
  .finally(() => console.log("BENCH_DONE"));
