"use client";

import { useState } from "react";
import type { BacktestSummary, ResultSummary } from "@/lib/run/types";
import { checkBacktestChoice, type BacktestChoice } from "@/lib/run/retrade";

/**
 * The backtest's settings for a stored run: which result's signals, long and short or long
 * only, minimum confidence, sizing and fees. Applying re-trades the stored test predictions;
 * "Tune on validation" lets the validation part choose every rule but the fee (`onTune`).
 */
export function BacktestSettingsForm({
  backtest,
  results,
  busy,
  onApply,
  onTune,
}: {
  backtest: BacktestSummary;
  results: ResultSummary[];
  busy: boolean;
  onApply: (c: BacktestChoice) => void;
  /** Tunes the rules on validation with this fee per side (fraction) and applies them. */
  onTune?: (feeRate: number) => void;
}) {
  const [tradedModel, setTradedModel] = useState(backtest.model);
  const [longOnly, setLongOnly] = useState(backtest.longOnly ?? false);
  const [minConfidencePct, setMinConfidencePct] = useState(String(Math.round((backtest.minConfidence ?? 0.4) * 100)));
  const [sizing, setSizing] = useState<"confidence" | "full">(backtest.sizing ?? "confidence");
  const [feePct, setFeePct] = useState(String(backtest.feeBps / 100));
  const [error, setError] = useState<string | null>(null);

  function apply(e: React.FormEvent) {
    e.preventDefault();
    const choice: BacktestChoice = {
      tradedModel,
      settings: { longOnly, sizing, minConfidence: Number(minConfidencePct) / 100, feeRate: Number(feePct) / 100 },
    };
    const problem =
      minConfidencePct.trim() === "" || feePct.trim() === ""
        ? "Fill in the minimum confidence and the fee."
        : checkBacktestChoice(choice);
    setError(problem);
    if (!problem) onApply(choice);
  }

  function tune() {
    const feeRate = Number(feePct) / 100;
    const problem =
      feePct.trim() === ""
        ? "Fill in the fee: tuning keeps it as it is."
        : checkBacktestChoice({ tradedModel, settings: { longOnly, sizing, minConfidence: 0, feeRate } });
    setError(problem);
    if (!problem) onTune?.(feeRate);
  }

  return (
    <form
      className="flex flex-wrap items-end gap-3 text-sm"
      onSubmit={apply}
      noValidate
      aria-label="Backtest settings"
      data-testid="backtest-settings"
    >
      <label className="flex flex-col">
        <span className="label">signals of</span>
        <select
          className="input"
          name="tradedModel"
          value={tradedModel}
          onChange={(e) => setTradedModel(e.target.value)}
        >
          {results
            .filter((r) => r.kind !== "baseline")
            .map((r) => (
              <option key={r.id} value={r.id}>
                {r.label}
              </option>
            ))}
        </select>
      </label>
      <label className="flex flex-col">
        <span className="label">positions</span>
        <select
          className="input"
          name="positions"
          value={longOnly ? "long" : "both"}
          onChange={(e) => setLongOnly(e.target.value === "long")}
        >
          <option value="both">long and short</option>
          <option value="long">long only (sell signals stay flat)</option>
        </select>
      </label>
      <label className="flex flex-col">
        <span className="label">min confidence (%)</span>
        <input
          className="input w-24"
          name="minConfidence"
          type="number"
          min={0}
          max={100}
          step={1}
          value={minConfidencePct}
          onChange={(e) => setMinConfidencePct(e.target.value)}
        />
      </label>
      <label className="flex flex-col">
        <span className="label">position size</span>
        <select
          className="input"
          name="sizing"
          value={sizing}
          onChange={(e) => setSizing(e.target.value as "confidence" | "full")}
        >
          <option value="confidence">by confidence</option>
          <option value="full">full</option>
        </select>
      </label>
      <label className="flex flex-col">
        <span className="label">fee per side (%)</span>
        <input
          className="input w-24"
          name="feePct"
          type="number"
          min={0}
          max={5}
          step={0.01}
          value={feePct}
          onChange={(e) => setFeePct(e.target.value)}
        />
      </label>
      <button className="btn-secondary" type="submit" disabled={busy} data-testid="backtest-apply">
        {busy ? "Trading…" : "Run the backtest again"}
      </button>
      {onTune && (
        <button
          className="btn-secondary"
          type="button"
          disabled={busy}
          onClick={tune}
          data-testid="backtest-tune"
          title="Choose the signals, positions, minimum confidence and sizing with the best Sharpe on the validation part (the fee stays yours), then apply them to the test part"
        >
          Tune on validation
        </button>
      )}
      {error && (
        <p className="w-full text-sm text-red-700" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
