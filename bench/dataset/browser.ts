/**
 * Dataset benchmark (headless Chromium): builds the default dataset from 2 years of synthetic
 * 15m/1h/4h candles and, when ../shared/data is served, from real BTCUSDT 1h + 4h (+1d
 * aggregated from 1h) with real funding and Fear & Greed, and three synthetic symbols pooled into
 * one multi-symbol dataset. Prints one JSON row per case, and an .npz streaming row. Run: npx tsx bench/run.ts dataset [shared=0]
 */
import { aggregateColumns } from "@/lib/core/aggregate";
import type { CandleColumns } from "@/lib/core/candles";
import type { Dataset } from "@/lib/core/dataset";
import { buildDatasetDetailed, sampleEnds } from "@/lib/core/build-dataset";
import { buildPreset, defaultPreset } from "@/lib/core/features/presets";
import type { AltInputs } from "@/lib/core/features/alt-series";
import type { Interval } from "@/lib/core/intervals";
import { buildMultiSymbolDataset } from "@/lib/core/multi-symbol";
import { qualityReport } from "@/lib/core/quality";
import { datasetNpz } from "@/lib/export/npz";
import { generateSyntheticMarket, syntheticFearGreed, syntheticFundingRates } from "@/lib/sources/synthetic";
import { loadRealBtc } from "../common/real-btc";

const params = new URLSearchParams(location.search);
const report = (row: Record<string, unknown>) => console.log("BENCH " + JSON.stringify(row));

interface MemoryInfo {
  usedJSHeapSize: number;
}
type UaMemory = () => Promise<{ bytes: number }>;
const perfMemory = (performance as unknown as { memory?: MemoryInfo }).memory;
const uaMemory = (
  performance as unknown as { measureUserAgentSpecificMemory?: UaMemory }
).measureUserAgentSpecificMemory?.bind(performance);
const PEAK_SOURCE =
  (uaMemory && crossOriginIsolated
    ? "performance.measureUserAgentSpecificMemory"
    : perfMemory
      ? "performance.memory.usedJSHeapSize (coarse without --enable-precise-memory-info)"
      : "unavailable") +
  ": max of a sample before the build and one after build + quality report (dataset alive); the build is synchronous, so transient peaks inside it are not observed";
let peak = 0;
async function sampleHeap(): Promise<number> {
  let bytes = NaN;
  if (uaMemory && crossOriginIsolated) bytes = (await uaMemory()).bytes;
  else if (perfMemory) bytes = perfMemory.usedJSHeapSize;
  if (Number.isFinite(bytes)) peak = Math.max(peak, bytes);
  return bytes;
}

function storedBytes(ds: Dataset): number {
  const arrays = [
    ds.times,
    ds.closes,
    ds.matrix,
    ds.labels,
    ds.forwardReturns,
    ds.atrRatio,
    ds.split.train,
    ds.split.val,
    ds.split.test,
    ds.normalization.mean,
    ds.normalization.std,
    ds.rowSymbol,
    ds.symbolNormalization?.mean,
    ds.symbolNormalization?.std,
  ];
  return arrays.reduce((s, a) => s + (a ? a.byteLength : 0), 0);
}

/** The figures both dataset cases report: sizes, stored vs materialised bytes, the split, the heap. */
function sizeFigures(ds: Dataset, peak: number, before: number) {
  const samples = sampleEnds(ds).length;
  const F = ds.features.length;
  const stored = storedBytes(ds);
  const materialised = samples * ds.window * F * 4;
  return {
    rows: ds.rows,
    samples,
    features: F,
    peak_mb: +(peak / 2 ** 20).toFixed(1),
    heap_before_mb: +(before / 2 ** 20).toFixed(1),
    peak_source: PEAK_SOURCE,
    stored_bytes: stored,
    materialised_bytes: materialised,
    ratio: +(materialised / stored).toFixed(1),
    split: { train: ds.split.train.length, val: ds.split.val.length, test: ds.split.test.length },
  };
}

async function runCase(
  name: string,
  candles: Partial<Record<Interval, CandleColumns>>,
  alt: AltInputs,
  timeframes: Interval[],
  synthetic: boolean,
  extra: Record<string, unknown> = {},
): Promise<Dataset> {
  peak = 0;
  const before = await sampleHeap();
  const features = timeframes.join() === "15m,1h,4h" ? defaultPreset() : buildPreset(timeframes);
  const t0 = performance.now();
  const { dataset: ds, stats } = buildDatasetDetailed({
    candles,
    alt,
    features,
    baseInterval: "1h",
    symbol: "BTCUSDT",
    synthetic,
    createdAt: 0,
  });
  const buildS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const q = qualityReport(ds, stats);
  const qualityS = (performance.now() - t1) / 1000;
  await sampleHeap();
  const sizes = sizeFigures(ds, peak, before);
  report({
    bench: "dataset",
    case: name,
    timeframes,
    ...sizes,
    shape: q.shape,
    build_s: +buildS.toFixed(3),
    quality_s: +qualityS.toFixed(3),
    class_counts: q.classCounts.overall,
    signs: Object.fromEntries(q.signs.map((s) => [s.id, s.status])),
    fallback: ds.fallbackFeatures,
    constant: q.constantFeatures,
    dropped: q.dropped,
    gaps: q.gaps.map((g) => ({
      interval: g.interval,
      count: g.gaps.length,
      missing: g.gaps.reduce((s, x) => s + x.missing, 0),
    })),
    goals: { build_under_2s: buildS < 2, stored_50x_smaller: sizes.materialised_bytes / sizes.stored_bytes >= 50 },
    ...extra,
  });
  return ds;
}

/**
 * Issue 16: three synthetic symbols of 2 years (15m / 1h / 4h, base 1h) pooled into one dataset
 * with one split by time. Goals: build under 3 s, stored at least 50x smaller than the windows.
 */
async function multiSymbolCase(start: number, end: number): Promise<void> {
  const symbols = ["BTCUSDT", "ETHUSDT", "SOLUSDT"];
  const g0 = performance.now();
  const inputs = symbols.map((symbol, k) => {
    const opts = { seed: 42 + k, symbol, start, end };
    const m15 = generateSyntheticMarket(opts);
    return {
      symbol,
      synthetic: true,
      candles: { "15m": m15, "1h": aggregateColumns(m15, "15m", "1h"), "4h": aggregateColumns(m15, "15m", "4h") },
      alt: { funding: syntheticFundingRates(opts), fearGreed: syntheticFearGreed(opts) },
    };
  });
  const genS = (performance.now() - g0) / 1000;
  peak = 0;
  const before = await sampleHeap();
  const t0 = performance.now();
  const { dataset: ds } = buildMultiSymbolDataset({ symbols: inputs, baseInterval: "1h", createdAt: 0 });
  const buildS = (performance.now() - t0) / 1000;
  const q = qualityReport(ds);
  await sampleHeap();
  const sizes = sizeFigures(ds, peak, before);
  report({
    bench: "dataset",
    case: "multi-symbol-3x2y-15m-1h-4h",
    symbols,
    ...sizes,
    build_s: +buildS.toFixed(3),
    generate_s: +genS.toFixed(3),
    per_symbol: q.perSymbol?.map((p) => ({ symbol: p.symbol, rows: p.rows, samples: p.samples })),
    goals: { build_under_3s: buildS < 3, stored_50x_smaller: sizes.materialised_bytes / sizes.stored_bytes >= 50 },
  });
}

async function npzCase(name: string, ds: Dataset): Promise<void> {
  const t0 = performance.now();
  const npz = datasetNpz(ds);
  let bytes = 0;
  let maxChunk = 0;
  for await (const c of npz.chunks) {
    bytes += c.length;
    maxChunk = Math.max(maxChunk, c.length);
  }
  const s = (performance.now() - t0) / 1000;
  report({
    bench: "dataset-npz",
    case: name,
    samples: npz.samples,
    bytes,
    declared_bytes: npz.bytes,
    npz_s: +s.toFixed(3),
    mb_per_s: +(bytes / 2 ** 20 / s).toFixed(1),
    max_chunk_bytes: maxChunk,
  });
}

async function main(): Promise<void> {
  // 1. Synthetic: 2 years of 15m candles aggregated to 1h / 4h.
  const start = Date.UTC(2022, 8, 23);
  const end = start + 730 * 86_400_000;
  const opts = { seed: 42, symbol: "BTCUSDT", start, end };
  const g0 = performance.now();
  const m15 = generateSyntheticMarket(opts);
  const candles = { "15m": m15, "1h": aggregateColumns(m15, "15m", "1h"), "4h": aggregateColumns(m15, "15m", "4h") };
  const alt = { funding: syntheticFundingRates(opts), fearGreed: syntheticFearGreed(opts) };
  const genS = (performance.now() - g0) / 1000;
  const synth = await runCase("synthetic-2y-15m-1h-4h", candles, alt, ["15m", "1h", "4h"], true, {
    generate_s: +genS.toFixed(3),
  });
  await npzCase("synthetic-2y-15m-1h-4h", synth);
  await multiSymbolCase(start, end);

  // 2. Real BTCUSDT from ../shared/data.
  if (params.get("shared") !== "1") {
    report({ bench: "dataset", case: "real-btcusdt-1h-4h-1d", skipped: "../shared/data is absent (shared=0)" });
  } else {
    const real = await loadRealBtc();
    await runCase("real-btcusdt-1h-4h-1d", real.candles, real.alt, ["1h", "4h", "1d"], false, {
      parse_s: +real.parseSeconds.toFixed(3),
    });
  }
}

main()
  .catch((err) => report({ bench: "dataset", error: String(err instanceof Error ? (err.stack ?? err.message) : err) }))
  .finally(() => console.log("BENCH_DONE"));
