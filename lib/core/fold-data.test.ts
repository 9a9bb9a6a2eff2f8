import { beforeAll, describe, expect, it } from "vitest";
import { fixtureMarket } from "@/test/market";
import { buildDataset } from "./build-dataset";
import type { Dataset } from "./dataset";
import { foldData, planWalk } from "./fold-data";
import { defaultWalkSpec, type Fold } from "./folds";
import { fitNormalization } from "./normalize";

const WINDOW = 24;
let ds: Dataset;
let folds: Fold[];

beforeAll(() => {
  // 60 days of 15m candles, ATR-scaled labels so thresholds are fitted per fold too.
  const market = fixtureMarket(4 * 24 * 60, 5);
  ds = buildDataset({
    candles: market.candles,
    symbol: "T",
    window: WINDOW,
    createdAt: 0,
    labelSpec: { atrScaled: true },
  });
  const spec = {
    ...defaultWalkSpec(ds.labelSpec.horizon, WINDOW),
    cadence: "weekly" as const,
    walkMonths: 2,
    minTrainSamples: 200,
  };
  folds = planWalk(ds, spec).folds;
});

/** The dataset with every value after row `last` replaced (prices, features, returns, ATR). */
function alteredAfter(d: Dataset, last: number): Dataset {
  const F = d.features.length;
  const matrix = d.matrix.slice();
  for (let i = (last + 1) * F; i < matrix.length; i++) matrix[i] = matrix[i] * 3 + 7;
  const forwardReturns = d.forwardReturns.slice();
  const atrRatio = d.atrRatio!.slice();
  for (let t = last + 1; t < d.rows; t++) {
    forwardReturns[t] = -forwardReturns[t] * 2;
    atrRatio[t] = atrRatio[t] * 5;
  }
  return { ...d, matrix, forwardReturns, atrRatio };
}

describe("foldData: fitted on the fold's training rows only", () => {
  it("plans several folds on the fixture", () => {
    expect(folds.length).toBeGreaterThanOrEqual(3);
  });

  it("changing rows after a fold's last training row changes neither its normalisation nor its training inputs", () => {
    for (const fold of folds.slice(0, 3)) {
      const base = foldData(ds, fold);
      const lastTrain = base.ends.train[base.ends.train.length - 1];
      // Label rows of the last training sample reach lastTrain + horizon: keep those, alter the rest.
      const other = foldData(alteredAfter(ds, lastTrain + ds.labelSpec.horizon), fold);
      expect(other.normalization.mean).toEqual(base.normalization.mean);
      expect(other.normalization.std).toEqual(base.normalization.std);
      const F = ds.features.length;
      expect(other.source.matrix.subarray(0, (lastTrain + 1) * F)).toEqual(
        base.source.matrix.subarray(0, (lastTrain + 1) * F),
      );
      expect(other.ends.train).toEqual(base.ends.train);
      expect(Array.from(base.ends.train, (t) => other.labels[t])).toEqual(
        Array.from(base.ends.train, (t) => base.labels[t]),
      );
      // The alteration is real: the later rows did change.
      expect(other.source.matrix.subarray((lastTrain + 5) * F)).not.toEqual(
        base.source.matrix.subarray((lastTrain + 5) * F),
      );
    }
  });

  it("each fold has its own statistics, those of its training windows (not the dataset's split)", () => {
    const a = foldData(ds, folds[0]);
    const b = foldData(ds, folds[folds.length - 1]);
    expect(a.normalization.mean).toEqual(
      fitNormalization(ds.matrix, ds.rows, ds.features.length, a.ends.train, WINDOW).mean,
    );
    expect(a.normalization.mean).not.toEqual(b.normalization.mean);
    expect(a.normalization.mean).not.toEqual(ds.normalization.mean);
  });

  it("keeps only labelled ends, and parts stay in time order", () => {
    for (const fold of folds) {
      const d = foldData(ds, fold);
      for (const part of [d.ends.train, d.ends.val, d.ends.test])
        for (const t of part) expect(d.labels[t]).toBeGreaterThanOrEqual(0);
      expect(d.ends.train[d.ends.train.length - 1]).toBeLessThan(d.ends.val[0]);
      expect(d.ends.val[d.ends.val.length - 1]).toBeLessThan(d.ends.test[0]);
    }
  });
});
