/**
 * Are the verdict's bands honest? Prints
 * {"case":"band-calibration","markets":N,"nominal":0.05,"observed":R,...} (see
 * band-calibration-line.ts). Params: markets=100, resamples=1000.
 * Run: npx tsx bench/run.ts calibration [markets=100]
 */
import { bandCalibrationLine } from "./band-calibration-line";

const q = new URLSearchParams(location.search);
const num = (k: string, d: number) => (q.has(k) ? Number(q.get(k)) : d);

try {
  console.log(
    "BENCH " +
      JSON.stringify({ bench: "calibration", ...bandCalibrationLine(num("markets", 100), num("resamples", 1000)) }),
  );
} catch (e) {
  console.log("BENCH " + JSON.stringify({ bench: "calibration", error: String((e as Error)?.stack ?? e) }));
}
console.log("BENCH_DONE");
