import { formatDate, formatNum, formatPct, formatTime } from "@/lib/core/format";
import { numIntervalText, pctIntervalText, profitFactorText } from "@/lib/eval/figure-text";
import { gradeAgainstTargets, GUIDE_TARGETS } from "@/lib/eval/targets";
import { downsampleIndices } from "@/lib/export/share/compact";
import type { BacktestSummary } from "@/lib/run/types";
import { LineSeriesChart } from "../charts/LineSeriesChart";
import { BacktestTrials } from "./BacktestTrials";

/** Points drawn of the equity curves: the run keeps one per test row, a chart needs no more than this. */
const MAX_DRAWN_POINTS = 500;

/** Equity vs buy-and-hold, the trading figures, and the guide's targets beside them. */
export function BacktestPanel({ backtest, accuracy }: { backtest: BacktestSummary; accuracy: number }) {
  const n = backtest.equity.length;
  const step = n > 1 ? (backtest.end - backtest.start) / (n - 1) : 0;
  const data = downsampleIndices(n, MAX_DRAWN_POINTS).map((i) => ({
    t: backtest.start + i * step,
    strategy: backtest.equity[i],
    buyHold: backtest.buyHold[i],
  }));
  const grades = gradeAgainstTargets({
    accuracy,
    sharpe: backtest.sharpe,
    winRate: backtest.trades > 0 && backtest.winRate !== null ? backtest.winRate : undefined,
  });
  const returnCi = pctIntervalText(backtest.ci95?.totalReturn);
  const sharpeCi = numIntervalText(backtest.ci95?.sharpe, 2);
  const stats: [string, string, string][] = [
    [
      "total return",
      formatPct(backtest.totalReturn),
      `${returnCi ? `95% interval ${returnCi}%; ` : ""}buy & hold ${formatPct(backtest.buyHoldReturn)}`,
    ],
    [
      "Sharpe (annualised)",
      formatNum(backtest.sharpe, 2),
      // PSR and DSR are said beside the trials they count (BacktestTrials).
      `${sharpeCi ? `95% interval ${sharpeCi}; ` : ""}target > ${GUIDE_TARGETS.sharpe.minimum}, good ${GUIDE_TARGETS.sharpe.good.join("–")}, exceptional > ${GUIDE_TARGETS.sharpe.exceptional}`,
    ],
    [
      "win rate",
      backtest.trades > 0 && backtest.winRate !== null ? formatPct(backtest.winRate) : "—",
      `target > ${formatPct(GUIDE_TARGETS.winRate.minimum, 0)}, good ${GUIDE_TARGETS.winRate.good.map((v) => formatPct(v, 0)).join("–")}`,
    ],
    ["max drawdown", formatPct(backtest.maxDrawdown), ""],
    ["profit factor", profitFactorText(backtest.profitFactor, backtest.trades), ""],
    ["trades", String(backtest.trades), `fees ${formatNum(backtest.feeBps, 1)} bps per side`],
  ];
  return (
    <div className="space-y-3" data-testid="backtest-panel">
      <p className="text-sm text-slate-600">
        Signals of <b>{backtest.model}</b> on the test part, {formatDate(backtest.start)} → {formatDate(backtest.end)}.
      </p>
      <p className="text-xs text-slate-500" data-testid="backtest-rules">
        {describeBacktestRules(backtest)}
      </p>
      <BacktestTrials backtest={backtest} />
      <LineSeriesChart
        data={data}
        xKey="t"
        // Under two weeks, ticks fall inside days: show the hour too, or labels repeat.
        xFormatter={backtest.end - backtest.start < 14 * 86_400_000 ? formatTime : formatDate}
        yFormatter={(v) => v.toFixed(2)}
        lines={[
          { key: "strategy", label: "strategy equity", color: "#4f46e5" },
          { key: "buyHold", label: "buy & hold", color: "#94a3b8", dashed: true },
        ]}
        testId="equity-chart"
      />
      <dl className="grid grid-cols-2 gap-3 text-sm md:grid-cols-3">
        {stats.map(([k, v, note]) => (
          <div key={k} className="rounded border border-slate-100 p-2">
            <dt className="label">{k}</dt>
            <dd className="text-lg font-semibold" data-testid={`backtest-${k.split(" ")[0]}`}>
              {v}
            </dd>
            {note && <dd className="text-xs text-slate-500">{note}</dd>}
          </div>
        ))}
      </dl>
      <ul className="text-xs text-slate-600">
        {grades.perMetric.map((g) => (
          <li key={g.metric}>
            {g.grade === "implausible" ? "⚠" : g.grade === "below-minimum" ? "✗" : "✓"} {g.detail}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The rules the figures came from, in words (older share links lack some: said as unknown). */
function describeBacktestRules(b: BacktestSummary): string {
  const positions =
    b.longOnly === undefined
      ? "positions not recorded"
      : b.longOnly
        ? "long only (sell signals stay flat)"
        : "long on buy signals, short on sell signals";
  const confidence =
    b.minConfidence === undefined ? "" : `, trades when the top class has ≥ ${formatPct(b.minConfidence, 0)}`;
  const sizing = b.sizing === undefined ? "" : b.sizing === "confidence" ? ", sized by confidence" : ", full size";
  return `${positions}${confidence}${sizing}, held for the label horizon, fees ${formatNum(b.feeBps, 1)} bps per side.`;
}
