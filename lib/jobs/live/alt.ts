/**
 * The alternative data of a run's features, as the live loop needs it: each source as the
 * dataset had it. A source the dataset read from the store ("real") is read from the store again,
 * newest values included; a synthetic one is regenerated from the dataset's seed and start (the
 * generator is prefix-stable, so the training rows' values come out the same); a source that was
 * a neutral fallback stays absent, so the features fall back alike. Without this a model trained
 * on real funding and Fear & Greed would be fed their neutral fallbacks live, silently.
 */
import type { Dataset } from "@/lib/core/dataset";
import { ALT_SOURCES, type AltInputs } from "@/lib/core/features/alt-series";
import type { StudioDb } from "@/lib/db";
import { storedAltInputs } from "@/lib/jobs/collect/alt";
import { syntheticFearGreed, syntheticFundingRates } from "@/lib/sources/synthetic";

export interface LiveAlt {
  alt: AltInputs;
  /** Sources the live features cannot have as the dataset had them (said on the page). */
  missing: string[];
}

/**
 * @param end the latest time (ms) values are needed for: the clock (live) or the replay's last candle close
 */
export async function liveAltInputs(
  db: StudioDb,
  ds: Pick<Dataset, "symbol" | "altOrigin" | "syntheticAlt">,
  end: number,
): Promise<LiveAlt> {
  const origin = ds.altOrigin;
  const alt: AltInputs = {};
  const missing: string[] = [];
  if (!origin) return { alt, missing };
  const real = ALT_SOURCES.filter((s) => origin[s] === "real");
  if (real.length) {
    const { inputs } = await storedAltInputs(db, ds.symbol, { from: -Infinity, to: end });
    for (const s of real) if (inputs[s]) alt[s] = inputs[s];
  }
  const synthetic = ALT_SOURCES.filter((s) => origin[s] === "synthetic");
  if (synthetic.length && ds.syntheticAlt) {
    const opts = { seed: ds.syntheticAlt.seed, symbol: ds.symbol, start: ds.syntheticAlt.start, end };
    if (origin.funding === "synthetic") alt.funding = syntheticFundingRates(opts);
    if (origin.fearGreed === "synthetic") alt.fearGreed = syntheticFearGreed(opts);
  }
  for (const s of [...real, ...synthetic]) if (!alt[s]) missing.push(s);
  return { alt, missing };
}
