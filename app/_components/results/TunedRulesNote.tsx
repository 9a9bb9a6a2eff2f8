import { formatDate, formatNum, formatPct } from "@/lib/core/format";
import type { TunedRules } from "@/lib/run/tune";

/** What the validation tuner chose and the figures it chose them on (validation part only). */
export function TunedRulesNote({ tuned }: { tuned: TunedRules }) {
  const s = tuned.settings;
  const v = tuned.validation;
  return (
    <p className="rounded bg-sky-50 p-2 text-xs text-slate-700" data-testid="tuned-rules">
      Tuned on the validation part ({formatDate(v.start)} → {formatDate(v.end)}, {tuned.tried} rule sets tried): signals
      of <b>{tuned.tradedModel}</b>, {s.longOnly ? "long only" : "long and short"}, top class ≥{" "}
      {formatPct(s.minConfidence, 0)}, {s.sizing === "confidence" ? "sized by confidence" : "full size"}, fees{" "}
      {formatNum(s.feeRate * 10_000, 1)} bps per side. On validation: Sharpe {formatNum(v.sharpe, 2)}, total return{" "}
      {formatPct(v.totalReturn)} (buy &amp; hold {formatPct(v.buyHoldReturn)}), {v.trades} trades, max drawdown{" "}
      {formatPct(v.maxDrawdown)}. The test figures below are these rules applied once more to the test part.
    </p>
  );
}
