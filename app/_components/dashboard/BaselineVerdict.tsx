import { formatPct } from "@/lib/core/format";
import { baselineVerdict, type VerdictRow } from "@/lib/eval/verdict";

const NAMES = { accuracy: "accuracy", balancedAccuracy: "balanced accuracy" } as const;
const pp = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(1)} pp`;

/**
 * Whether any model or ensemble does better than the trivial baselines, said first and plainly.
 * @param classCounts test samples per true class (a confusion matrix's row sums)
 */
export function BaselineVerdict({
  results,
  classCounts,
}: {
  results: readonly VerdictRow[];
  classCounts: readonly number[];
}) {
  const verdicts = baselineVerdict(results, classCounts);
  if (verdicts.length === 0) return null;
  const n = classCounts.reduce((a, b) => a + b, 0);
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
