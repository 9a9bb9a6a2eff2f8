/**
 * The band-calibration line of the benches (bench:calibration now, bench:walkforward later):
 * the block-bootstrap verdict and the old independent-sample bands run on `markets` independent
 * synthetic markets with a label-blind predictor whose output persists ~24 rows
 * (lib/eval/band-calibration.ts); `observed` is the share of markets where it was called
 * clearly better than chance on accuracy or balanced accuracy.
 */
import { bandCalibration } from "@/lib/eval/band-calibration";
import { calibrationMarkets, CALIBRATION_SPLIT } from "@/test/calibration-markets";

export function bandCalibrationLine(markets = 100, resamples = 1000): Record<string, unknown> {
  const t0 = performance.now();
  const r = bandCalibration(calibrationMarkets(markets), {
    intervalMs: 3_600_000,
    splitSpec: CALIBRATION_SPLIT,
    resamples,
  });
  return {
    case: r.case,
    markets: r.markets,
    nominal: r.nominal,
    observed: r.observed,
    observed_independent_bands: r.observedOld,
    clearly_better: r.clear,
    median_block_length: r.medianBlockLength,
    test_samples: r.testSamples,
    resamples,
    seconds: +((performance.now() - t0) / 1000).toFixed(1),
  };
}
