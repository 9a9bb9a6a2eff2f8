/**
 * Live signal latency (headless Chromium): the studio's own code path for one signal, i.e. the
 * newest row's features by the dataset code (liveWindow over the stored history), the three
 * models in the app's live worker (Transformer and LSTM at their default sizes, a forest trained
 * here), and the ensemble, for 200 consecutive candles after the data end: the worker's own
 * predict time and the time the page sees (features + round trip + ensemble). Then a replay of
 * 1,000 candles through replay() as the app runs it (windows and predictions a chunk ahead, one
 * IndexedDB commit per candle, outcomes at the horizon) at full speed.
 * The neural models are untrained (seeded): latency does not depend on what the weights learnt.
 *
 * Params: candles=200, replay=1000, trees=100. The live worker picks its backend as the app does (reported).
 * Run: npm run bench:live
 */
import * as tf from "@tensorflow/tfjs";
import { buildDataset } from "@/lib/core/build-dataset";
import { sliceColumns, type CandleColumns } from "@/lib/core/candles";
import { intervalMs, type Interval } from "@/lib/core/intervals";
import { liveWindow } from "@/lib/core/live-window";
import { normalizedSource } from "@/lib/core/normalize";
import { sampleSet } from "@/lib/core/windows";
import { getStudioDb, listSignals, saveDeployment } from "@/lib/db";
import { GUIDE_ENSEMBLE_WEIGHTS } from "@/lib/eval/ensemble";
import { LiveClient } from "@/lib/jobs/live/client";
import type { LiveModel } from "@/lib/jobs/live/loop";
import { workerPredictors } from "@/lib/jobs/live/models";
import { replay } from "@/lib/jobs/live/replay";
import { DEFAULT_PROMOTION_RULES } from "@/lib/live/ramp";
import { decideSignal, DEFAULT_SIGNAL_SETTINGS } from "@/lib/live/signal";
import { buildModel } from "@/lib/models/build";
import { defaultConfig, type LstmConfig, type TransformerConfig } from "@/lib/models/config";
import { DEFAULT_FOREST_PARAMS, trainForest, windowTrainingSet } from "@/lib/models/forest";
import { modelToArtifacts } from "@/lib/models/serialize";
import { syntheticSeries } from "@/lib/sources/synthetic";

const q = new URLSearchParams(location.search);
const num = (k: string, d: number) => (q.has(k) ? Number(q.get(k)) : d);
const report = (row: Record<string, unknown>) => console.log("BENCH " + JSON.stringify(row));
const H = 3_600_000;

function stats(ms: number[]): { median_ms: number; p95_ms: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median_ms: +at(0.5).toFixed(2), p95_ms: +at(0.95).toFixed(2) };
}

async function main(): Promise<void> {
  const nSignals = num("candles", 200);
  const nReplay = num("replay", 1000);
  const start = Date.UTC(2023, 0, 1);
  const dataEnd = Date.UTC(2023, 5, 1) - H; // five months of data, then the out-of-time part
  const end = dataEnd + H + (Math.max(nSignals, nReplay) + 8) * H;
  const opts = { seed: 42, symbol: "SYNTH-BTC", start, end };
  const candles = Object.fromEntries(
    (["15m", "1h", "4h"] as Interval[]).map((tf) => [tf, syntheticSeries(opts, tf)]),
  ) as Record<Interval, CandleColumns>;
  const trainCandles = Object.fromEntries(
    Object.entries(candles).map(([tf, c]) => {
      const n = c.openTime.findIndex((t) => t + intervalMs(tf as Interval) > dataEnd + H);
      return [tf, sliceColumns(c, 0, n < 0 ? c.openTime.length : n)];
    }),
  ) as Record<Interval, CandleColumns>;
  const ds = buildDataset({ candles: trainCandles, symbol: "SYNTH-BTC", synthetic: true });
  const F = ds.features.length;
  const W = ds.window;

  await tf.setBackend("cpu");
  const transformer = await modelToArtifacts(
    buildModel("transformer", defaultConfig("transformer") as TransformerConfig, W, F),
  );
  const lstm = await modelToArtifacts(buildModel("lstm", defaultConfig("lstm") as LstmConfig, W, F));
  const src = normalizedSource(ds);
  const set = windowTrainingSet(
    src,
    ds.features.map((f) => f.name),
    sampleSet(ds.split.train, ds.labels),
    "flat",
    4,
  );
  const forest = trainForest(set, { ...DEFAULT_FOREST_PARAMS, trees: num("trees", 100) });
  const client = new LiveClient(() => new Worker(new URL("./live.worker.js", import.meta.url), { type: "module" }));
  const backend = await client.load("bench", [
    { id: "transformer", tfjs: transformer },
    { id: "lstm", tfjs: lstm },
    { id: "forest", forest: { ...forest, view: { kind: "flat", window: W, features: F } } },
  ]);
  report({ bench: "live", case: "setup", backend, rows: ds.rows, features: F, window: W, trees: forest.trees.length });

  // One signal per candle after the data end, as the loop makes it.
  const page: number[] = [];
  const worker: number[] = [];
  const features: number[] = [];
  for (let k = 0; k < nSignals + 5; k++) {
    const now = dataEnd + (k + 2) * H;
    const t0 = performance.now();
    const w = liveWindow({
      candles,
      baseInterval: "1h",
      features: ds.features,
      window: W,
      normalization: ds.normalization,
      now,
    });
    if (!w.ok) throw new Error(w.reason);
    const t1 = performance.now();
    const { probs, workerMs } = await client.predict("bench", w.normalized, W, F);
    decideSignal(probs, GUIDE_ENSEMBLE_WEIGHTS, DEFAULT_SIGNAL_SETTINGS);
    const t2 = performance.now();
    if (k < 5) continue; // warm-up (first predictions compile kernels)
    features.push(t1 - t0);
    worker.push(workerMs);
    page.push(t2 - t0);
  }
  report({ bench: "live", case: "features-newest-row", candles: features.length, ...stats(features) });
  report({ bench: "live", case: "signal-in-worker", models: 3, candles: worker.length, ...stats(worker) });
  report({ bench: "live", case: "signal-as-seen-by-page", models: 3, candles: page.length, ...stats(page) });

  // Replay: liveTick per candle (IndexedDB writes, outcomes at the horizon, A/B off).
  const db = getStudioDb();
  await saveDeployment(db, {
    v: 1,
    id: "bench-replay",
    createdAt: Date.now(),
    replay: true,
    championRunId: "bench",
    rules: { ...DEFAULT_PROMOTION_RULES },
    settings: { ...DEFAULT_SIGNAL_SETTINGS },
    lastCandle: dataEnd,
    notes: [],
  });
  const champion: LiveModel = {
    runId: "bench",
    datasetId: ds.id,
    baseInterval: "1h",
    features: ds.features,
    window: W,
    normalization: ds.normalization,
    labelSpec: ds.labelSpec,
    weights: GUIDE_ENSEMBLE_WEIGHTS,
    ...workerPredictors(client, "bench", ["transformer", "lstm", "forest"], W, F),
  };
  const perCandle: number[] = [];
  let last = performance.now();
  const r0 = performance.now();
  await replay({
    db,
    deploymentId: "bench-replay",
    candles,
    after: dataEnd,
    champion,
    maxCandles: nReplay,
    onTick: () => {
      const t = performance.now();
      perCandle.push(t - last);
      last = t;
    },
  });
  const seconds = (performance.now() - r0) / 1000;
  const stored = await listSignals(db, "bench-replay");
  report({
    bench: "live",
    case: "replay",
    candles: perCandle.length,
    signals: stored.length,
    outcomes: stored.filter((x) => x.outcome).length,
    candles_per_s: +(perCandle.length / seconds).toFixed(1),
    seconds: +seconds.toFixed(1),
    ...stats(perCandle),
  });
  client.terminate();
}

main()
  .catch((err) => report({ bench: "live", error: String(err instanceof Error ? (err.stack ?? err.message) : err) }))
  .finally(() => console.log("BENCH_DONE"));
