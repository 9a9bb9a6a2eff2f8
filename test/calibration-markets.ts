import type { CandleColumns } from "../lib/core/candles";
import type { SplitSpec } from "../lib/core/dataset";
import { syntheticSeries } from "../lib/sources/synthetic";

/** Hours per calibration market: with CALIBRATION_SPLIT its test part holds ~2,400 samples, a real run's size. */
export const CALIBRATION_HOURS = 5200;

/**
 * The calibration markets' split: half the candidates tested (so a short market has a test part
 * of a real run's size), purge 4 (the label horizon) and embargo 120 (the window) as the build's.
 */
export const CALIBRATION_SPLIT: SplitSpec = { train: 0.45, val: 0.05, test: 0.5, purge: 4, embargo: 120 };

/**
 * `count` independent synthetic markets (lib/sources/synthetic, one seed each) of 1h candles,
 * generated one at a time so only one is held in memory.
 */
export function* calibrationMarkets(count: number, hours = CALIBRATION_HOURS): Generator<CandleColumns> {
  const start = Date.UTC(2022, 0, 1);
  for (let k = 0; k < count; k++)
    yield syntheticSeries(
      { seed: `band-calibration-${k}`, symbol: "BTCUSDT", start, end: start + hours * 3_600_000 },
      "1h",
    );
}
