import { CLASS_NAMES } from "@/lib/core/classes";
import { formatInt, formatNum, formatPct } from "@/lib/core/format";
import { numIntervalText, pctIntervalText } from "@/lib/eval/figure-text";
import { meanStdText } from "@/lib/run/seeds";
import type { ResultSummary, RunSummary, SeedsSummary } from "@/lib/run/types";
import { TableHead } from "../TableHead";

const KIND_STYLE: Record<ResultSummary["kind"], string> = {
  model: "",
  ensemble: "bg-indigo-50",
  baseline: "text-slate-500",
};

/** An interval beside its figure, in small print: " (41.0–45.3)"; nothing when unknown. */
function Ci({ text, testId }: { text: string; testId: string }) {
  if (!text) return null;
  return (
    <span className="ml-1 text-xs text-slate-500" data-testid={testId}>
      ({text})
    </span>
  );
}

/** A model's or ensemble's figure over several seeds, "mean ± std", in place of one seed's figure. */
function SeedFigure({ text, testId }: { text: string; testId: string }) {
  return (
    <span data-testid={testId} title="mean ± std over the seeds">
      {text}
    </span>
  );
}

/**
 * Test-part metrics of every model, ensemble and baseline side by side, each with its 95%
 * block-bootstrap interval when the summary has one. A run of several seeds shows mean ± std
 * over its seeds for models and ensembles instead (baselines do not depend on the seed), with
 * the Sharpe and total return of trading each one's signals.
 */
export function ComparisonTable({
  results,
  uncertainty,
  seeds,
}: {
  results: ResultSummary[];
  uncertainty?: RunSummary["uncertainty"];
  seeds?: SeedsSummary;
}) {
  const best = Math.max(...results.filter((r) => r.kind !== "baseline").map((r) => r.metrics.balancedAccuracy));
  const across = (id: string) => seeds?.rows.find((row) => row.id === id);
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-sm" data-testid="comparison-table">
        <TableHead
          columns={[
            "model",
            "accuracy",
            "balanced acc.",
            "macro F1",
            "log loss",
            ...(seeds ? ["Sharpe", "total return"] : []),
            ...CLASS_NAMES.map((c) => ({ key: c, label: `${c} P / R`, title: `precision / recall of ${c}` })),
          ]}
        />
        <tbody>
          {results.map((r) => {
            const s = across(r.id);
            return (
              <tr
                key={r.id}
                className={`border-b last:border-0 ${KIND_STYLE[r.kind]}`}
                data-testid={`metrics-row-${r.id}`}
              >
                <td className="py-1 pr-3 font-medium">
                  {r.label}
                  {r.kind === "baseline" && <span className="ml-1 text-[10px] uppercase">baseline</span>}
                </td>
                {s ? (
                  <>
                    <td className="pr-3 whitespace-nowrap">
                      <SeedFigure text={meanStdText(s.accuracy, "pct")} testId={`accuracy-${r.id}`} />
                    </td>
                    <td className="pr-3 whitespace-nowrap">
                      <SeedFigure text={meanStdText(s.balancedAccuracy, "pct")} testId={`balanced-${r.id}`} />
                    </td>
                    <td className="pr-3 whitespace-nowrap">{meanStdText(s.macroF1, "num")}</td>
                    <td className="pr-3 whitespace-nowrap">{meanStdText(s.logLoss, "num")}</td>
                    <td className="pr-3 whitespace-nowrap">{meanStdText(s.sharpe, "num", 2)}</td>
                    <td className="pr-3 whitespace-nowrap">{meanStdText(s.totalReturn, "pct")}</td>
                  </>
                ) : (
                  <>
                    <td className="pr-3 whitespace-nowrap">
                      <span data-testid={`accuracy-${r.id}`}>{formatPct(r.metrics.accuracy)}</span>
                      <Ci text={pctIntervalText(r.metrics.ci95?.accuracy)} testId={`accuracy-ci-${r.id}`} />
                    </td>
                    <td
                      className={`pr-3 whitespace-nowrap ${r.metrics.balancedAccuracy === best ? "font-semibold text-emerald-700" : ""}`}
                    >
                      {formatPct(r.metrics.balancedAccuracy)}
                      <Ci text={pctIntervalText(r.metrics.ci95?.balancedAccuracy)} testId={`balanced-ci-${r.id}`} />
                    </td>
                    <td className="pr-3">{formatNum(r.metrics.macroF1)}</td>
                    <td className="pr-3 whitespace-nowrap">
                      {r.metrics.logLoss === null ? "—" : formatNum(r.metrics.logLoss)}
                      <Ci text={numIntervalText(r.metrics.ci95?.logLoss)} testId={`logloss-ci-${r.id}`} />
                    </td>
                    {seeds && (
                      <>
                        <td className="pr-3">—</td>
                        <td className="pr-3">—</td>
                      </>
                    )}
                  </>
                )}
                {CLASS_NAMES.map((c, k) => (
                  <td key={c} className="pr-3 whitespace-nowrap">
                    {formatPct(r.metrics.precision[k], 0)} / {formatPct(r.metrics.recall[k], 0)}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {seeds && (
        <p className="mt-1 text-xs text-slate-600" data-testid="seeds-note">
          Models and ensembles: mean ± std over {seeds.count} seeds (each model&apos;s seed, seed + 1, …, seed +{" "}
          {seeds.count - 1}); Sharpe and total return of trading each one&apos;s signals with the run&apos;s backtest
          settings. Baselines do not depend on the seed. Per-class precision / recall, the intervals, the verdict,
          confusion matrices, curves, the ensemble weights and the backtest below are seed 0&apos;s (the seeds as set,
          fixed before any result was seen, never the best seed).
        </p>
      )}
      {uncertainty && (
        <p className="mt-1 text-xs text-slate-500" data-testid="interval-note">
          In brackets: 95% intervals from a block bootstrap of the test sequence (blocks of{" "}
          {formatInt(uncertainty.blockLength)} candles on average, {formatInt(uncertainty.resamples)} resamples), since
          neighbouring samples share most of their window and label.
        </p>
      )}
    </div>
  );
}
