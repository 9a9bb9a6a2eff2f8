/**
 * The share-link schemas: every field, its type, range and length; a field the schema does not
 * name is an error. Version 2 is what links carry now; version 1 is kept to open links made
 * before the run owned its summary (the decoder completes them, codec.ts). The types of a shared
 * run come from here (types.ts).
 */
import * as v from "valibot";
import { INTERVALS } from "@/lib/core/intervals";
import { NUM_CLASSES } from "@/lib/core/classes";
import { arrayOf, finite, refine, safeId, safeRecord, safeText, SAFE_ID, strictObj } from "@/lib/core/schema";
import { verdictFromNoiseBand } from "@/lib/eval/verdict";
import { SHARE_LIMITS as L } from "./types";

const MAX_TIME = 4_102_444_800_000; // 2100-01-01, UTC ms
const time = finite({ min: 0, max: MAX_TIME, int: true });
const frac = finite({ min: 0, max: 1 });
const count = finite({ min: 0, max: 1e9, int: true });
const id = safeId(40);
const label = safeText({ min: 1, max: 60 });
const interval = v.picklist(INTERVALS, `expected one of ${INTERVALS.join(", ")}`);
const big = 1e6;

const classVec = arrayOf(frac, { min: NUM_CLASSES, max: NUM_CLASSES });
/** An interval [lo, hi] within ±limit. */
const pair = (limit: number) => v.tuple([finite({ min: -limit, max: limit }), finite({ min: -limit, max: limit })]);

const paramValue = v.union(
  [finite({ min: -1e12, max: 1e12 }), v.boolean(), safeText({ max: 60 })],
  "expected a number, a boolean or a short text",
);

const curve = strictObj({
  epoch: arrayOf(finite({ min: 0, max: 100_000, int: true }), { min: 1, max: L.maxCurvePoints }),
  loss: arrayOf(finite({ min: 0, max: 1e4 }), { min: 1, max: L.maxCurvePoints }),
  acc: arrayOf(frac, { min: 1, max: L.maxCurvePoints }),
  valLoss: arrayOf(finite({ min: 0, max: 1e4 }), { min: 1, max: L.maxCurvePoints }),
  valAcc: arrayOf(frac, { min: 1, max: L.maxCurvePoints }),
  bestEpoch: v.optional(finite({ min: 0, max: 100_000, int: true })),
});

const weights = arrayOf(strictObj({ model: id, weight: frac }), { min: 1, max: L.maxModels });

const config = strictObj({
  symbol: safeText({ min: 1, max: 20, pattern: /^[A-Z0-9._-]+$/ }),
  baseInterval: interval,
  timeframes: arrayOf(interval, { min: 1, max: INTERVALS.length }),
  start: time,
  end: time,
  window: finite({ min: 1, max: 10_000, int: true }),
  numFeatures: finite({ min: 1, max: 10_000, int: true }),
  samples: strictObj({ train: count, val: count, test: count }),
  labelSpec: strictObj({
    horizon: finite({ min: 1, max: 10_000, int: true }),
    strong: finite({ min: 0, max: 1 }),
    weak: finite({ min: 0, max: 1 }),
    weakZone: v.picklist(["sign", "exclude"], "expected one of sign, exclude"),
    atrScaled: v.boolean(),
  }),
  splitSpec: strictObj({
    train: frac,
    val: frac,
    test: frac,
    purge: finite({ min: 0, max: 100_000, int: true }),
    embargo: finite({ min: 0, max: 100_000, int: true }),
  }),
  models: arrayOf(strictObj({ id, params: safeRecord(paramValue, { maxKeys: L.maxParams, maxKeyLength: 40 }) }), {
    max: L.maxModels,
  }),
});

const result = strictObj({
  id,
  label,
  kind: v.picklist(["model", "ensemble", "baseline"], "expected one of model, ensemble, baseline"),
  metrics: strictObj({
    accuracy: frac,
    balancedAccuracy: frac,
    macroF1: frac,
    logLoss: v.nullable(finite({ min: 0, max: 1000 })),
    precision: classVec,
    recall: classVec,
    ci95: v.optional(strictObj({ accuracy: pair(1), balancedAccuracy: pair(1), logLoss: v.nullable(pair(1000)) })),
  }),
  confusion: arrayOf(arrayOf(count, { min: NUM_CLASSES, max: NUM_CLASSES }), { min: NUM_CLASSES, max: NUM_CLASSES }),
  curve: v.optional(curve),
});

const importances = arrayOf(
  strictObj({ name: safeText({ min: 1, max: 60, pattern: SAFE_ID }), value: finite({ min: -big, max: big }) }),
  { max: L.maxImportances },
);

/** The backtest; `winRate` is null with no trade from version 2 on (version 1 said 0). */
function backtest(winRate: v.GenericSchema<unknown, number | null>) {
  return strictObj({
    model: id,
    totalReturn: finite({ min: -1, max: big }),
    buyHoldReturn: finite({ min: -1, max: big }),
    sharpe: finite({ min: -big, max: big }),
    winRate,
    maxDrawdown: frac,
    profitFactor: v.nullable(finite({ min: 0, max: big })),
    trades: count,
    feeBps: finite({ min: 0, max: 10_000 }),
    longOnly: v.optional(v.boolean()),
    minConfidence: v.optional(frac),
    sizing: v.optional(v.picklist(["confidence", "full"], "expected one of confidence, full")),
    equity: arrayOf(finite({ min: 0, max: big }), { min: 1, max: L.maxEquityPoints }),
    buyHold: arrayOf(finite({ min: 0, max: big }), { min: 1, max: L.maxEquityPoints }),
    start: time,
    end: time,
    ci95: v.optional(strictObj({ totalReturn: pair(big), sharpe: pair(big) })),
    probabilisticSharpe: v.optional(frac),
    deflatedSharpe: v.optional(
      strictObj({
        dsr: frac,
        trials: finite({ min: 1, max: 1e6, int: true }),
        benchmarkSharpe: finite({ min: -big, max: big }),
      }),
    ),
    /** Where the rules came from, and whether they were chosen after a test result was seen. */
    rules: v.optional(
      strictObj({
        source: v.picklist(
          ["training", "tuned-on-validation", "manual"],
          "expected one of training, tuned-on-validation, manual",
        ),
        afterTestSeen: v.boolean(),
        applications: finite({ min: 1, max: 1e6, int: true }),
      }),
    ),
  });
}

/** The verdict against the baselines as the Results page computed it (never recomputed from rounded metrics). */
const metric = v.picklist(["accuracy", "balancedAccuracy"], "expected one of accuracy, balancedAccuracy");
const currentVerdict = strictObj({
  metric,
  best: strictObj({ id, label, value: frac }),
  method: v.picklist(["paired-block-bootstrap", "independent-binomial"], "expected a verdict method"),
  comparisons: finite({ min: 0, max: L.maxResults, int: true }),
  noise: v.optional(frac),
  blockLength: v.optional(count),
  resamples: v.optional(count),
  rows: arrayOf(
    strictObj({
      id,
      label,
      value: frac,
      gap: finite({ min: -1, max: 1 }),
      interval: pair(2),
      level: frac,
      pAdjusted: v.optional(frac),
      clear: v.boolean(),
    }),
    { max: L.maxResults },
  ),
});
/** Version-2 links made before the bootstrap: one noise band, read in the current shape. */
const noiseBandVerdict = strictObj({
  metric,
  best: strictObj({ id, label, value: frac }),
  noise: frac,
  rows: arrayOf(strictObj({ id, label, value: frac, gap: finite({ min: -1, max: 1 }), clear: v.boolean() }), {
    max: L.maxResults,
  }),
});
const verdict = arrayOf(
  v.union([currentVerdict, v.pipe(noiseBandVerdict, v.transform(verdictFromNoiseBand))], "not a verdict"),
  { max: 2 },
);

/** How the intervals and the verdict were computed. */
const uncertainty = strictObj({
  method: v.literal("stationary-block-bootstrap", "expected stationary-block-bootstrap"),
  blockLength: count,
  resamples: count,
  seed: finite({ min: 0, max: 2 ** 32, int: true }),
  alpha: frac,
});

/** A shuffled-label control run's verdict against chance, as the Results page computed it (lib/run/control.ts). */
const control = strictObj({
  kind: v.literal("shuffled-labels", "expected shuffled-labels"),
  seed: finite({ min: 0, max: 2 ** 32, int: true }),
  rows: arrayOf(
    strictObj({
      id,
      label,
      accuracy: frac,
      accuracyInterval: v.nullable(pair(1)),
      chanceAccuracy: frac,
      balancedAccuracy: frac,
      balancedInterval: v.nullable(pair(1)),
      chanceBalancedAccuracy: frac,
      verdict: v.picklist(["consistent", "above", "below", "unknown"], "expected a chance verdict"),
    }),
    { max: L.maxResults },
  ),
});

/** Mean ± std over a run's seeds (lib/run/seeds.ts); null: fewer than two seeds had the figure. */
const seedStat = v.nullable(
  strictObj({ mean: finite({ min: -big, max: big }), std: finite({ min: 0, max: big }), n: count }),
);
const seeds = strictObj({
  count: finite({ min: 2, max: 100, int: true }),
  rows: arrayOf(
    strictObj({
      id,
      accuracy: seedStat,
      balancedAccuracy: seedStat,
      macroF1: seedStat,
      logLoss: seedStat,
      sharpe: seedStat,
      totalReturn: seedStat,
    }),
    { max: L.maxResults },
  ),
});

/** What both versions share. */
const common = {
  createdAt: time,
  title: v.optional(safeText({ max: 120 })),
  synthetic: v.boolean(),
  syntheticAlt: v.optional(v.boolean()),
  fingerprint: safeText({ min: 1, max: 64, pattern: /^[0-9a-f]+$/ }),
  config,
  results: arrayOf(result, { max: L.maxResults }),
  importances,
};

interface CrossCheckable {
  config: { start: number; end: number };
  results: {
    id: string;
    curve?: { epoch: number[]; loss: number[]; acc: number[]; valLoss: number[]; valAcc: number[] };
  }[];
  backtest?: { equity: number[]; buyHold: number[]; start: number; end: number };
}

/** Cross-field rules the per-field checks cannot express. Returns an error message or null. */
function crossCheck(r: CrossCheckable): string | null {
  if (r.config.end < r.config.start) return "config.end is before config.start";
  for (const res of r.results) {
    const c = res.curve;
    if (c && ![c.loss, c.acc, c.valLoss, c.valAcc].every((a) => a.length === c.epoch.length)) {
      return `results.${res.id}.curve: series lengths differ`;
    }
  }
  const ids = new Set(r.results.map((x) => x.id));
  if (ids.size !== r.results.length) return "results: duplicate id";
  if (r.backtest) {
    if (r.backtest.equity.length !== r.backtest.buyHold.length) return "backtest: equity and buyHold lengths differ";
    if (r.backtest.end < r.backtest.start) return "backtest.end is before backtest.start";
  }
  return null;
}

/** A shared run as links carry it now (version 2). */
export const sharedRunSchema = v.pipe(
  strictObj({
    v: v.literal(2, "expected version 2"),
    ...common,
    importanceSource: v.optional(safeText({ max: 60 })),
    backtest: v.optional(backtest(v.nullable(frac))),
    ensemble: strictObj({ weights, learned: v.optional(weights), estimatedAccuracy: v.optional(frac) }),
    verdict,
    uncertainty: v.optional(uncertainty),
    control: v.optional(control),
    seeds: v.optional(seeds),
  }),
  refine((r) => crossCheck(r)),
);

/** A shared run as links of version 1 carried it (no verdict, no ensemble estimate). */
export const sharedRunV1Schema = v.pipe(
  strictObj({
    v: v.literal(1, "expected version 1"),
    ...common,
    importanceSource: v.optional(safeText({ max: 40, pattern: SAFE_ID })),
    backtest: v.optional(backtest(frac)),
    ensemble: strictObj({ weights, learned: v.optional(weights) }),
  }),
  refine((r) => crossCheck(r)),
);
