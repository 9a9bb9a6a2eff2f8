/**
 * Are the verdict's bands honest? Over many independent markets, a label-blind predictor whose
 * output persists for ~24 rows (as a model's slowly changing signal does) has no skill, so the
 * verdict should call it "clearly better" than the best baseline no more often than its nominal
 * rate. Issue 12 measured the old independent-sample bands: 5 of 40 markets on balanced
 * accuracy where 1 was expected. This runs the studio's own labelling (lib/core/label-split),
 * baselines and both verdicts on each market, for the test and for bench:walkforward.
 *
 * Measured over 400 markets (test/calibration-markets.ts, 1,000 resamples): the paired block
 * bootstrap called the predictor better in 3.0% of markets (12), the old bands in 14.8% (59).
 * "Better" is one-sided: the verdict's 95% two-sided intervals put 2.5% in each tail per
 * metric, 5% over the two metrics, the `nominal` reported.
 */
import type { CandleColumns } from "../core/candles";
import type { LabelSpec, SplitSpec } from "../core/dataset";
import { labelAndSplit, labelInputs } from "../core/label-split";
import { DEFAULT_LABEL_SPEC, countLabels } from "../core/labels";
import { mulberry32 } from "../core/random";
import { defaultSplitSpec } from "../core/splits";
import { allBaselines } from "./baselines";
import { classificationMetrics } from "./metrics";
import { bootstrapTestSequence } from "./uncertainty";
import {
  independentSampleVerdict,
  pairedVerdict,
  VERDICT_METRICS,
  type VerdictMetric,
  type VerdictRow,
} from "./verdict";

export interface BandCalibrationOptions {
  /** Base interval of the markets' candles, ms. */
  intervalMs: number;
  window?: number;
  labelSpec?: LabelSpec;
  splitSpec?: SplitSpec;
  /** Mean number of rows the predictor's output persists (geometric). Default 24. */
  persistence?: number;
  resamples?: number;
  /** Override the block length rule (experiments). */
  blockLength?: number;
  /** Family-wise level of the verdict. Default 0.05. */
  alpha?: number;
  seed?: number;
  /**
   * Baselines to compare with; default the two without skill (majority class and class prior:
   * balanced accuracy exactly 1/K, the chance level a label-blind predictor has in expectation),
   * so "not better" is exactly true. The previous-label baseline has real skill on persistent
   * markets and would make the test easy to pass.
   */
  baselines?: readonly ("majority" | "class_prior" | "previous_label")[];
}

/** The line bench:walkforward prints, plus what it was counted from. */
export interface BandCalibrationResult {
  case: "band-calibration";
  markets: number;
  /** The verdict's family-wise level: at most this share of skill-less predictors may be called better. */
  nominal: number;
  /** Share of markets where the block-bootstrap verdict called the predictor clearly better (either metric). */
  observed: number;
  /** The same share under the old independent-sample bands. */
  observedOld: number;
  /** Markets called clearly better, per metric and method. */
  clear: Record<"bootstrap" | "independent", Record<VerdictMetric, number>>;
  /** Median mean block length chosen (candles). */
  medianBlockLength: number;
  testSamples: { min: number; max: number };
}

/**
 * A label-blind persistent predictor: a random probability vector over `k` classes, redrawn
 * with probability 1/persistence at each sample, else kept. Returns [n*k].
 */
export function persistentPredictor(n: number, persistence: number, rand: () => number, k = 4): Float32Array {
  const out = new Float32Array(n * k);
  const row = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    if (i === 0 || rand() < 1 / persistence) {
      let s = 0;
      for (let c = 0; c < k; c++) s += row[c] = rand();
      for (let c = 0; c < k; c++) row[c] /= s;
    }
    for (let c = 0; c < k; c++) out[i * k + c] = row[c];
  }
  return out;
}

/**
 * Runs both verdicts on one persistent predictor per market.
 * @param markets base candles of independent markets (e.g. lib/sources/synthetic, one seed each)
 */
export function bandCalibration(
  markets: Iterable<Pick<CandleColumns, "openTime" | "close" | "high" | "low">>,
  opts: BandCalibrationOptions,
): BandCalibrationResult {
  const window = opts.window ?? 120;
  const labelSpec = opts.labelSpec ?? DEFAULT_LABEL_SPEC;
  const splitSpec = opts.splitSpec ?? defaultSplitSpec(labelSpec.horizon, window);
  const persistence = opts.persistence ?? 24;
  const alpha = opts.alpha ?? 0.05;
  const rand = mulberry32(opts.seed ?? 7);
  const clear: BandCalibrationResult["clear"] = {
    bootstrap: { accuracy: 0, balancedAccuracy: 0 },
    independent: { accuracy: 0, balancedAccuracy: 0 },
  };
  let anyNew = 0;
  let anyOld = 0;
  let count = 0;
  const blocks: number[] = [];
  let minN = Infinity;
  let maxN = 0;
  for (const candles of markets) {
    const inputs = labelInputs(candles, opts.intervalMs, labelSpec.horizon);
    const { labels, split } = labelAndSplit({
      times: candles.openTime,
      ...inputs,
      intervalMs: opts.intervalMs,
      window,
      labelSpec,
      splitSpec,
    });
    const ends = split.test;
    const n = ends.length;
    if (n === 0) throw new Error("a calibration market has no test samples: make it longer");
    minN = Math.min(minN, n);
    maxN = Math.max(maxN, n);
    const testLabels = Uint8Array.from(ends, (t) => labels[t]);
    const trainLabels = Uint8Array.from(split.train, (t) => labels[t]);
    const all = allBaselines(trainLabels, labels, ends, labelSpec.horizon);
    const probs: Record<string, Float32Array> = { blind: persistentPredictor(n, persistence, rand) };
    for (const b of opts.baselines ?? ["majority", "class_prior"]) probs[b] = all[b];
    const rows: VerdictRow[] = Object.entries(probs).map(([id, p]) => {
      const m = classificationMetrics(testLabels, p);
      return {
        id,
        label: id,
        kind: id === "blind" ? "model" : "baseline",
        metrics: { accuracy: m.accuracy, balancedAccuracy: m.balancedAccuracy },
      };
    });
    // Positions on the candle grid, so blocks are blocks of time even where test ends skip rows.
    const t0 = candles.openTime[ends[0]];
    const positions = Int32Array.from(ends, (t) => Math.round((candles.openTime[t] - t0) / opts.intervalMs));
    const boot = bootstrapTestSequence(
      { labels: testLabels, positions },
      Object.entries(probs).map(([id, p]) => ({ id, probs: p })),
      [],
      {
        horizon: labelSpec.horizon,
        resamples: opts.resamples,
        blockLength: opts.blockLength,
        seed: Math.floor(rand() * 2 ** 31),
      },
    );
    blocks.push(boot.blockLength);
    const fresh = pairedVerdict(rows, boot, alpha);
    const old = independentSampleVerdict(rows, countLabels(labels, ends));
    let newHit = false;
    let oldHit = false;
    for (const metric of VERDICT_METRICS) {
      const a = fresh.find((v) => v.metric === metric)?.rows[0].clear ?? false;
      const b = old.find((v) => v.metric === metric)?.rows[0].clear ?? false;
      if (a) clear.bootstrap[metric]++;
      if (b) clear.independent[metric]++;
      newHit ||= a;
      oldHit ||= b;
    }
    if (newHit) anyNew++;
    if (oldHit) anyOld++;
    count++;
  }
  blocks.sort((a, b) => a - b);
  return {
    case: "band-calibration",
    markets: count,
    nominal: alpha,
    observed: count ? anyNew / count : NaN,
    observedOld: count ? anyOld / count : NaN,
    clear,
    medianBlockLength: blocks.length ? blocks[blocks.length >> 1] : NaN,
    testSamples: { min: minN, max: maxN },
  };
}
