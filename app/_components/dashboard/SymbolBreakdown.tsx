import { formatInt, formatPct } from "@/lib/core/format";
import type { RunSummary } from "@/lib/run/types";

/** A multi-symbol run's test figures per symbol, beside the pooled comparison (from the summary only). */
export function SymbolBreakdown({ perSymbol }: { perSymbol: NonNullable<RunSummary["perSymbol"]> }) {
  const ids = perSymbol[0]?.results ?? [];
  return (
    <div className="overflow-x-auto" data-testid="per-symbol">
      <table className="text-xs">
        <thead>
          <tr className="text-left text-slate-500">
            <th className="pr-3">symbol</th>
            <th className="pr-3">test samples</th>
            {ids.map((r) => (
              <th key={r.id} className="pr-3" title="accuracy / balanced accuracy / macro F1">
                {r.label}
              </th>
            ))}
            <th className="pr-3">backtest (traded result) vs buy &amp; hold</th>
          </tr>
        </thead>
        <tbody>
          {perSymbol.map((p) => (
            <tr key={p.symbol}>
              <td className="pr-3 font-medium">{p.symbol}</td>
              <td className="pr-3">{formatInt(p.samples)}</td>
              {p.results.map((r) => (
                <td key={r.id} className="pr-3">
                  {formatPct(r.accuracy)} / {formatPct(r.balancedAccuracy)} / {formatPct(r.macroF1)}
                </td>
              ))}
              <td className="pr-3">
                {p.backtest
                  ? `${formatPct(p.backtest.totalReturn)} vs ${formatPct(p.backtest.buyHoldReturn)} (${formatInt(p.backtest.trades)} trades)`
                  : "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="text-xs text-slate-500">
        Accuracy / balanced accuracy / macro F1 on each symbol&apos;s own test samples; the pooled figures above count
        them all. Every symbol is tested on the same period.
      </p>
    </div>
  );
}
