import { INTERVALS } from "@/lib/core/intervals";
import { NUM_CLASSES } from "@/lib/core/classes";
import { SAFE_ID, SchemaError, arr, bool, lit, nullable, num, obj, record, str, type Check } from "./schema-kit";
import { SHARE_LIMITS as L, SHARE_VERSION, type SharedRun } from "./types";

/** The share-link schema: every field, its type, range and length. Used to validate and to whitelist. */

const MAX_TIME = 4_102_444_800_000; // 2100-01-01, UTC ms
const time = num({ min: 0, max: MAX_TIME, int: true });
const frac = num({ min: 0, max: 1 });
const count = num({ min: 0, max: 1e9, int: true });
const id = str({ min: 1, max: 40, pattern: SAFE_ID });
const interval = lit(...INTERVALS);
const classVec = arr(frac, { min: NUM_CLASSES, max: NUM_CLASSES });
const big = 1e6;

const paramValue: Check<number | string | boolean> = (v, path, mode) => {
  if (typeof v === "number") return num({ min: -1e12, max: 1e12 })(v, path, mode);
  if (typeof v === "boolean") return v;
  return str({ max: 60 })(v, path, mode);
};

const curve = obj(
  {
    epoch: arr(num({ min: 0, max: 100_000, int: true }), { min: 1, max: L.maxCurvePoints }),
    loss: arr(num({ min: 0, max: 1e4 }), { min: 1, max: L.maxCurvePoints }),
    acc: arr(frac, { min: 1, max: L.maxCurvePoints }),
    valLoss: arr(num({ min: 0, max: 1e4 }), { min: 1, max: L.maxCurvePoints }),
    valAcc: arr(frac, { min: 1, max: L.maxCurvePoints }),
  },
  { bestEpoch: num({ min: 0, max: 100_000, int: true }) },
);

const weights = arr(obj({ model: id, weight: frac }), { min: 1, max: L.maxModels });
/** An interval [lo, hi] of numbers within ±limit. */
const pair = (limit: number) => arr(num({ min: -limit, max: limit }), { min: 2, max: 2 }) as Check<[number, number]>;

const verdict = arr(
  obj(
    {
      metric: lit("accuracy", "balancedAccuracy"),
      best: obj({ id, label: str({ min: 1, max: 60 }), value: frac }),
      method: lit("paired-block-bootstrap", "independent-binomial"),
      comparisons: num({ min: 0, max: L.maxResults, int: true }),
      rows: arr(
        obj(
          {
            id,
            label: str({ min: 1, max: 60 }),
            value: frac,
            gap: num({ min: -1, max: 1 }),
            interval: pair(2),
            level: frac,
            clear: bool,
          },
          { pAdjusted: frac },
        ),
        { max: L.maxResults },
      ),
    },
    { noise: num({ min: 0, max: 2 }), blockLength: count, resamples: count },
  ),
  { max: 2 },
);

const base = obj(
  {
    v: lit(SHARE_VERSION),
    createdAt: time,
    synthetic: bool,
    fingerprint: str({ min: 1, max: 64, pattern: /^[0-9a-f]+$/ }),
    config: obj({
      symbol: str({ min: 1, max: 20, pattern: /^[A-Z0-9._-]+$/ }),
      baseInterval: interval,
      timeframes: arr(interval, { min: 1, max: INTERVALS.length }),
      start: time,
      end: time,
      window: num({ min: 1, max: 10_000, int: true }),
      numFeatures: num({ min: 1, max: 10_000, int: true }),
      samples: obj({ train: count, val: count, test: count }),
      labelSpec: obj({
        horizon: num({ min: 1, max: 10_000, int: true }),
        strong: num({ min: 0, max: 1 }),
        weak: num({ min: 0, max: 1 }),
        weakZone: lit("sign", "exclude"),
        atrScaled: bool,
      }),
      splitSpec: obj({
        train: frac,
        val: frac,
        test: frac,
        purge: num({ min: 0, max: 100_000, int: true }),
        embargo: num({ min: 0, max: 100_000, int: true }),
      }),
      models: arr(obj({ id, params: record(paramValue, { maxKeys: L.maxParams, maxKeyLength: 40 }) }), {
        max: L.maxModels,
      }),
    }),
    results: arr(
      obj(
        {
          id,
          label: str({ min: 1, max: 60 }),
          kind: lit("model", "ensemble", "baseline"),
          metrics: obj(
            {
              accuracy: frac,
              balancedAccuracy: frac,
              macroF1: frac,
              logLoss: nullable(num({ min: 0, max: 1000 })),
              precision: classVec,
              recall: classVec,
            },
            {
              ci95: obj({ accuracy: pair(1), balancedAccuracy: pair(1), logLoss: nullable(pair(1000)) }),
            },
          ),
          confusion: arr(arr(count, { min: NUM_CLASSES, max: NUM_CLASSES }), { min: NUM_CLASSES, max: NUM_CLASSES }),
        },
        { curve },
      ),
      { max: L.maxResults },
    ),
    importances: arr(obj({ name: str({ min: 1, max: 60, pattern: SAFE_ID }), value: num({ min: -big, max: big }) }), {
      max: L.maxImportances,
    }),
    ensemble: obj({ weights }, { learned: weights }),
  },
  {
    title: str({ max: 120 }),
    importanceSource: str({ max: 40, pattern: SAFE_ID }),
    backtest: obj(
      {
        model: id,
        totalReturn: num({ min: -1, max: big }),
        buyHoldReturn: num({ min: -1, max: big }),
        sharpe: num({ min: -big, max: big }),
        winRate: frac,
        maxDrawdown: frac,
        profitFactor: nullable(num({ min: 0, max: big })),
        trades: count,
        feeBps: num({ min: 0, max: 10_000 }),
        equity: arr(num({ min: 0, max: big }), { min: 1, max: L.maxEquityPoints }),
        buyHold: arr(num({ min: 0, max: big }), { min: 1, max: L.maxEquityPoints }),
        start: time,
        end: time,
      },
      {
        longOnly: bool,
        minConfidence: frac,
        sizing: lit("confidence", "full"),
        ci95: obj({ totalReturn: pair(big), sharpe: pair(big) }),
        probabilisticSharpe: frac,
      },
    ),
    verdict,
    uncertainty: obj({
      method: lit("stationary-block-bootstrap"),
      blockLength: count,
      resamples: count,
      seed: num({ min: 0, max: 2 ** 32, int: true }),
      alpha: frac,
    }),
  },
);

/** Cross-field rules the per-field checks cannot express. Returns an error message or null. */
function crossCheck(r: SharedRun): string | null {
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

/** Checks (and copies) a SharedRun; throws SchemaError on the first problem. */
export const sharedRunSchema: Check<SharedRun> = (v, path, mode) => {
  const r = base(v, path, mode) as SharedRun;
  const problem = crossCheck(r);
  if (problem) throw new SchemaError(path, problem);
  return r;
};
