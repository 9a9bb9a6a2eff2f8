/**
 * The verdict in words, as the dashboard prints it: pure, so the words are tested like the
 * figures (and never say "Infinity pp").
 */
import { formatInt, formatPct } from "../core/format";
import { ppIntervalText, ppText } from "./figure-text";
import type { MetricVerdict } from "./verdict";

const METRIC_NAMES = { accuracy: "accuracy", balancedAccuracy: "balanced accuracy" } as const;

/** The verdict on one metric: a bold lead ("Ensemble beats", "No model clearly beats") and the rest. */
export function verdictSentence(v: MetricVerdict, testSamples: number): { lead: string; rest: string } {
  const clear = v.rows.filter((r) => r.clear);
  const lead = clear.length
    ? `${clear.map((r) => r.label).join(", ")} beat${clear.length === 1 ? "s" : ""}`
    : "No model clearly beats";
  const best = `${v.best.label}, ${formatPct(v.best.value)}`;
  const n = formatInt(testSamples);
  if (v.method === "independent-binomial") {
    const noise = Number.isFinite(v.noise) ? `${((v.noise ?? NaN) * 100).toFixed(1)} pp` : "—";
    const gaps = v.rows.map((r) => `${r.label} ${ppText(r.gap)}`).join(", ");
    return {
      lead,
      rest: `the best baseline on ${METRIC_NAMES[v.metric]} (${best}; gaps up to ${noise}, two standard errors on ${n} test samples, count as noise): ${gaps}.`,
    };
  }
  const gaps = v.rows
    .map((r) => {
      const ci = ppIntervalText(r.interval);
      return ci ? `${r.label} ${ppText(r.gap)} (${ci})` : `${r.label} ${ppText(r.gap)}`;
    })
    .join(", ");
  const blocks = Number.isFinite(v.blockLength)
    ? `blocks of ${formatInt(v.blockLength ?? NaN)} candles on average, `
    : "";
  const resamples = Number.isFinite(v.resamples) ? `${formatInt(v.resamples ?? NaN)} resamples` : "resampled";
  const family = v.comparisons > 1 ? `intervals corrected for ${v.comparisons} comparisons (Holm)` : "95% intervals";
  return {
    lead,
    rest: `the best baseline on ${METRIC_NAMES[v.metric]} (${best}): ${gaps}. Paired block bootstrap of the ${n} test samples (${blocks}${resamples}); ${family}; a gap counts only when its interval lies above zero.`,
  };
}
