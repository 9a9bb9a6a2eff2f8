import { formatPct } from "@/lib/core/format";
import type { MetricVerdict } from "@/lib/eval/verdict";

const NAMES = { accuracy: "accuracy", balancedAccuracy: "balanced accuracy" } as const;
const pp = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(1)} pp`;

/**
 * Whether any model or ensemble does better than the trivial baselines, said first and plainly:
 * the verdict as the run's summary computed it (a share link carries the same one).
 * @param samples test samples the verdict counts
 */
export function BaselineVerdict({ verdicts, samples }: { verdicts: readonly MetricVerdict[]; samples: number }) {
  if (verdicts.length === 0) return null;
  const n = samples;
  return (
    <div className="space-y-1 rounded border border-slate-200 p-2 text-sm" data-testid="baseline-verdict">
      {verdicts.map((v) => {
        const clear = v.rows.filter((r) => r.clear);
        return (
          <p key={v.metric} data-testid={`verdict-${v.metric}`}>
            <b>
              {clear.length
                ? `${clear.map((r) => r.label).join(", ")} beat${clear.length === 1 ? "s" : ""}`
                : "No model clearly beats"}
            </b>{" "}
            the best baseline on {NAMES[v.metric]} ({v.best.label}, {formatPct(v.best.value)}; gaps up to{" "}
            {(v.noise * 100).toFixed(1)} pp, two standard errors on {n.toLocaleString("en-US")} test samples, count as
            noise): {v.rows.map((r) => `${r.label} ${pp(r.gap)}`).join(", ")}.
          </p>
        );
      })}
    </div>
  );
}
