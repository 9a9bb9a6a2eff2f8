/**
 * A share link is a projection of the run's own summary (lib/run RunSummary): text reduced to the
 * safe character set, lists cut to the link's limits, curves and equity down-sampled, figures
 * without a value cleaned (a NaN validation loss drops that epoch's point instead of breaking the
 * link), numbers rounded to SHARE_DIGITS significant digits (intervals too). The verdict against
 * the baselines is carried as the page computed it, unrounded, so the shared page says exactly
 * what the Results page says. Only the fields named here ever reach a link.
 */
import { toSafeText } from "@/lib/core/schema";
import type { BacktestSummary, ControlSummary, Curve, ResultMetrics, RunSummary, SeedsSummary } from "@/lib/run/types";
import { downsample, downsampleIndices, roundDeep } from "./compact";
import {
  SHARE_LIMITS,
  SHARE_VERSION,
  type SharedBacktest,
  type SharedCurve,
  type SharedMetrics,
  type SharedRun,
} from "./types";

/** Significant digits kept for non-integer numbers: a chart or a 4-decimal metric needs no more. */
export const SHARE_DIGITS = 4;

const finiteOr = (x: number, fallback: number) => (Number.isFinite(x) ? x : fallback);
const clamp01 = (x: number) => Math.min(1, Math.max(0, finiteOr(x, 0)));
const clamp = (x: number, limit: number) => Math.min(limit, Math.max(-limit, finiteOr(x, 0)));
const safe = (text: string, max: number) => toSafeText(text).slice(0, max);

/** A result's metrics; a figure without a value (NaN) becomes 0, a log loss without one null. */
function sharedMetrics(m: ResultMetrics): SharedMetrics {
  return {
    accuracy: finiteOr(m.accuracy, 0),
    balancedAccuracy: finiteOr(m.balancedAccuracy, 0),
    macroF1: finiteOr(m.macroF1, 0),
    logLoss: m.logLoss !== null && Number.isFinite(m.logLoss) && m.logLoss >= 0 ? Math.min(m.logLoss, 1000) : null,
    precision: m.precision.map((x) => finiteOr(x, 0)),
    recall: m.recall.map((x) => finiteOr(x, 0)),
    ...(m.ci95 && [...m.ci95.accuracy, ...m.ci95.balancedAccuracy].every(Number.isFinite)
      ? {
          ci95: {
            accuracy: m.ci95.accuracy,
            balancedAccuracy: m.ci95.balancedAccuracy,
            logLoss: m.ci95.logLoss && m.ci95.logLoss.every(Number.isFinite) ? m.ci95.logLoss : null,
          },
        }
      : {}),
  };
}

/**
 * A curve of at most SHARE_LIMITS.maxCurvePoints epochs. Epochs with a non-finite figure (a NaN
 * loss) are left out rather than drawn as 0; undefined when no epoch is left.
 */
function sharedCurve(c: Curve): SharedCurve | undefined {
  const kept = c.epoch
    .map((_, i) => i)
    .filter((i) => [c.loss[i], c.acc[i], c.valLoss[i], c.valAcc[i]].every(Number.isFinite));
  if (kept.length === 0) return undefined;
  const idx = downsampleIndices(kept.length, SHARE_LIMITS.maxCurvePoints).map((k) => kept[k]);
  const loss = (a: number[]) => idx.map((i) => Math.min(1e4, Math.max(0, a[i])));
  const frac = (a: number[]) => idx.map((i) => clamp01(a[i]));
  return {
    epoch: idx.map((i) => c.epoch[i]),
    loss: loss(c.loss),
    acc: frac(c.acc),
    valLoss: loss(c.valLoss),
    valAcc: frac(c.valAcc),
    ...(c.bestEpoch !== undefined && c.bestEpoch > 0 ? { bestEpoch: c.bestEpoch } : {}),
  };
}

/** The backtest with its curves down-sampled to SHARE_LIMITS.maxEquityPoints points. */
function sharedBacktest(b: BacktestSummary): SharedBacktest {
  const points = (a: number[]) => downsample(a, SHARE_LIMITS.maxEquityPoints).map((x) => Math.max(0, finiteOr(x, 0)));
  return {
    model: b.model,
    totalReturn: Math.max(-1, finiteOr(b.totalReturn, 0)),
    buyHoldReturn: Math.max(-1, finiteOr(b.buyHoldReturn, 0)),
    sharpe: finiteOr(b.sharpe, 0),
    winRate: b.winRate === null || b.trades === 0 ? null : clamp01(b.winRate),
    maxDrawdown: clamp01(b.maxDrawdown),
    profitFactor:
      b.profitFactor !== null && Number.isFinite(b.profitFactor) && b.profitFactor >= 0 ? b.profitFactor : null,
    trades: b.trades,
    feeBps: b.feeBps,
    ...(b.longOnly === undefined ? {} : { longOnly: b.longOnly }),
    ...(b.minConfidence === undefined ? {} : { minConfidence: b.minConfidence }),
    ...(b.sizing === undefined ? {} : { sizing: b.sizing }),
    equity: points(b.equity),
    buyHold: points(b.buyHold),
    start: b.start,
    end: b.end,
    ...(b.ci95 && [...b.ci95.totalReturn, ...b.ci95.sharpe].every(Number.isFinite) ? { ci95: b.ci95 } : {}),
    ...(b.probabilisticSharpe !== undefined && Number.isFinite(b.probabilisticSharpe)
      ? { probabilisticSharpe: b.probabilisticSharpe }
      : {}),
    ...(b.deflatedSharpe &&
    Number.isFinite(b.deflatedSharpe.dsr) &&
    Number.isFinite(b.deflatedSharpe.benchmarkSharpe) &&
    Number.isInteger(b.deflatedSharpe.trials) &&
    b.deflatedSharpe.trials >= 1
      ? {
          deflatedSharpe: {
            dsr: clamp01(b.deflatedSharpe.dsr),
            trials: b.deflatedSharpe.trials,
            benchmarkSharpe: b.deflatedSharpe.benchmarkSharpe,
          },
        }
      : {}),
    // The rules' provenance travels with them: a link never hides that they were chosen after the test.
    ...(b.rules
      ? { rules: { source: b.rules.source, afterTestSeen: b.rules.afterTestSeen, applications: b.rules.applications } }
      : {}),
  };
}

/** A control run's verdict: figures cleaned and clamped, each row's verdict as computed. */
function sharedControl(c: ControlSummary): NonNullable<SharedRun["control"]> {
  const interval = (i: [number, number] | null) =>
    i && i.every(Number.isFinite) ? ([clamp(i[0], 1), clamp(i[1], 1)] as [number, number]) : null;
  return {
    kind: c.kind,
    seed: c.seed,
    rows: c.rows.slice(0, SHARE_LIMITS.maxResults).map((r) => ({
      id: r.id,
      label: safe(r.label, 60),
      accuracy: clamp01(r.accuracy),
      accuracyInterval: interval(r.accuracyInterval),
      chanceAccuracy: clamp01(r.chanceAccuracy),
      balancedAccuracy: clamp01(r.balancedAccuracy),
      balancedInterval: interval(r.balancedInterval),
      chanceBalancedAccuracy: clamp01(r.chanceBalancedAccuracy),
      verdict: r.verdict,
    })),
  };
}

/** Mean ± std over the seeds; a figure without a finite mean and spread becomes null. */
function sharedSeeds(s: SeedsSummary): NonNullable<SharedRun["seeds"]> {
  type Stat = SeedsSummary["rows"][number]["accuracy"];
  const stat = (x: Stat) =>
    x && Number.isFinite(x.mean) && Number.isFinite(x.std)
      ? { mean: clamp(x.mean, 1e6), std: Math.min(1e6, x.std), n: x.n }
      : null;
  return {
    count: s.count,
    rows: s.rows.slice(0, SHARE_LIMITS.maxResults).map((r) => ({
      id: r.id,
      accuracy: stat(r.accuracy),
      balancedAccuracy: stat(r.balancedAccuracy),
      macroF1: stat(r.macroF1),
      logLoss: stat(r.logLoss),
      sharpe: stat(r.sharpe),
      totalReturn: stat(r.totalReturn),
    })),
  };
}

/**
 * The share link's content for `s`. Not validated here: codec.toShareable checks the result
 * against the link schema (a summary outside its ranges is a programming error, reported there
 * with the field's path).
 */
export function projectRun(s: RunSummary): SharedRun {
  const c = s.config;
  const weights = (ws: { model: string; weight: number }[]) => ws.map((w) => ({ model: w.model, weight: w.weight }));
  const estimate = s.ensemble.estimatedAccuracy;
  const shared: Omit<SharedRun, "verdict"> = {
    v: SHARE_VERSION,
    createdAt: s.createdAt,
    // Run names are free text; a link carries only the safe character set.
    ...(s.title === undefined ? {} : { title: safe(s.title, 120) }),
    synthetic: s.synthetic,
    ...(s.syntheticAlt ? { syntheticAlt: true } : {}),
    fingerprint: s.fingerprint,
    config: {
      symbol: c.symbol,
      baseInterval: c.baseInterval,
      timeframes: [...c.timeframes],
      start: c.start,
      end: c.end,
      window: c.window,
      numFeatures: c.numFeatures,
      samples: { ...c.samples },
      // The five fields a share link carries (a fitted dataset's fitTarget is not one of them:
      // the fitted strong / weak are what its labels used).
      labelSpec: {
        horizon: c.labelSpec.horizon,
        strong: c.labelSpec.strong,
        weak: c.labelSpec.weak,
        weakZone: c.labelSpec.weakZone,
        atrScaled: c.labelSpec.atrScaled,
      },
      splitSpec: { ...c.splitSpec },
      models: c.models.slice(0, SHARE_LIMITS.maxModels).map((m) => ({
        id: m.id,
        params: Object.fromEntries(
          Object.entries(m.params)
            .slice(0, SHARE_LIMITS.maxParams)
            .map(([k, x]) => [k, typeof x === "string" ? safe(x, 60) : x]),
        ),
      })),
    },
    results: s.results.slice(0, SHARE_LIMITS.maxResults).map((r) => {
      const curve = r.curve && sharedCurve(r.curve);
      return {
        id: r.id,
        label: safe(r.label, 60),
        kind: r.kind,
        metrics: sharedMetrics(r.metrics),
        confusion: r.confusion.map((row) => [...row]),
        ...(curve ? { curve } : {}),
      };
    }),
    importances: s.importances
      .filter((i) => Number.isFinite(i.value))
      .slice(0, SHARE_LIMITS.maxImportances)
      .map((i) => ({ name: i.name, value: i.value })),
    ...(s.importanceSource === undefined ? {} : { importanceSource: safe(s.importanceSource, 60) }),
    ...(s.backtest ? { backtest: sharedBacktest(s.backtest) } : {}),
    ensemble: {
      weights: weights(s.ensemble.weights),
      ...(s.ensemble.learned ? { learned: weights(s.ensemble.learned) } : {}),
      ...(estimate !== undefined && Number.isFinite(estimate) ? { estimatedAccuracy: estimate } : {}),
    },
    ...(s.uncertainty ? { uncertainty: { ...s.uncertainty } } : {}),
    ...(s.control ? { control: sharedControl(s.control) } : {}),
    ...(s.seeds ? { seeds: sharedSeeds(s.seeds) } : {}),
  };
  return {
    ...roundDeep(shared, SHARE_DIGITS),
    verdict: s.verdict.map((m) => ({
      metric: m.metric,
      best: { id: m.best.id, label: safe(m.best.label, 60), value: finiteOr(m.best.value, 0) },
      method: m.method,
      comparisons: m.comparisons,
      // Two standard errors never exceed 1 with a sample.
      ...(m.noise === undefined ? {} : { noise: Math.min(1, finiteOr(m.noise, 1)) }),
      ...(m.blockLength === undefined ? {} : { blockLength: m.blockLength }),
      ...(m.resamples === undefined ? {} : { resamples: m.resamples }),
      rows: m.rows.map((r) => ({
        id: r.id,
        label: safe(r.label, 60),
        value: finiteOr(r.value, 0),
        gap: finiteOr(r.gap, 0),
        interval: [clamp(r.interval[0], 2), clamp(r.interval[1], 2)] as [number, number],
        level: clamp01(r.level),
        ...(r.pAdjusted === undefined ? {} : { pAdjusted: clamp01(r.pAdjusted) }),
        clear: r.clear,
      })),
    })),
  };
}
