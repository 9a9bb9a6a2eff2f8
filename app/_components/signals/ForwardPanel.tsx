"use client";

import { formatNum, formatPct } from "@/lib/core/format";
import type { RunRecord } from "@/lib/db";
import { runEvaluation } from "@/lib/db";
import type { AbSummary, ModelPerformance } from "@/lib/live/summary";

const pct = (x: number) => (Number.isFinite(x) ? formatPct(x) : "–");

/** Forward record of champion and challenger beside each run's backtest on its test part. */
export function ForwardPanel({ summary, runs }: { summary: AbSummary; runs: RunRecord[] }) {
  const row = (role: string, p: ModelPerformance | null) => {
    if (!p) return null;
    const run = runs.find((r) => r.id === p.runId);
    const bt = run ? runEvaluation(run)?.summary.backtest : undefined;
    const [lo, hi] = p.accuracyInterval;
    return (
      <tr key={role} data-testid={`forward-${role}`}>
        <td className="pr-3">
          {role} · {run?.name ?? p.runId}
        </td>
        <td className="pr-3 text-right tabular-nums">{p.outcomes}</td>
        <td className="pr-3 text-right tabular-nums">
          {pct(p.accuracy)} {Number.isFinite(lo) ? `[${pct(lo)}, ${pct(hi)}]` : ""}
        </td>
        <td className="pr-3 text-right tabular-nums">{pct(p.balancedAccuracy)}</td>
        <td className="pr-3 text-right tabular-nums">
          {pct(p.winRate)} ({p.trades})
        </td>
        <td className="pr-3 text-right tabular-nums">{formatNum(p.sharpeRatio, 2)}</td>
        <td className="pr-3 text-right tabular-nums">
          {bt ? `Sharpe ${formatNum(bt.sharpe, 2)}, win ${bt.winRate === null ? "–" : pct(bt.winRate)}` : "–"}
        </td>
      </tr>
    );
  };
  return (
    <section className="card space-y-2">
      <h2 className="text-lg font-semibold">Forward record{summary.replay ? " (replay)" : " (paper trading)"}</h2>
      <table className="text-sm">
        <thead>
          <tr>
            {[
              "model",
              "outcomes",
              "accuracy [95%]",
              "balanced acc.",
              "win rate (trades)",
              "Sharpe",
              "backtest (test part)",
            ].map((h) => (
              <th key={h} className="pr-3 text-left">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {row("champion", summary.championPerformance)}
          {row("challenger", summary.challengerPerformance)}
        </tbody>
      </table>
      {summary.pairedPnl && summary.pairedPnl.n > 1 && (
        <p className="text-sm" data-testid="paired-pnl">
          Challenger − champion P&amp;L on the {summary.pairedPnl.n} candles both were resolved for:{" "}
          {formatPct(summary.pairedPnl.meanGap, 3)} per signal [95% {formatPct(summary.pairedPnl.interval[0], 3)} to{" "}
          {formatPct(summary.pairedPnl.interval[1], 3)}], p = {summary.pairedPnl.p.toFixed(3)} (block bootstrap, blocks
          of {summary.pairedPnl.block} candles on average: overlapping horizons make neighbouring outcomes alike).
        </p>
      )}
      <p className="text-xs text-slate-500">
        Sharpe: per-signal P&amp;L after fees, one period per horizon; signals on consecutive candles overlap, so it is
        rougher than the backtest&apos;s per-bar Sharpe.
      </p>
    </section>
  );
}
