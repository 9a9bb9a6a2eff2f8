"use client";

import { CLASS_NAMES } from "@/lib/core/classes";
import { formatDate, formatInt, formatPct } from "@/lib/core/format";
import type { Importance, ResultSummary, RunSummary } from "@/lib/run/types";
import { CONTROL_DESCRIPTION } from "@/lib/run/control";
import { classCounts } from "@/lib/run/verdict";
import { BacktestPanel } from "./BacktestPanel";
import { BaselineVerdict } from "./BaselineVerdict";
import { ComparisonTable } from "./ComparisonTable";
import { ConfusionPanel } from "./ConfusionPanel";
import { ControlVerdict } from "./ControlVerdict";
import { CurvesPanel } from "./CurvesPanel";
import { ImportancePanel } from "./ImportancePanel";
import { Section } from "./Section";
import { SymbolBreakdown } from "./SymbolBreakdown";

export interface DashboardActions {
  /** Buttons next to the comparison table (e.g. evaluation_metrics.json downloads). */
  metrics?: React.ReactNode;
  importances?: React.ReactNode;
  curves?: React.ReactNode;
  confusion?: (r: ResultSummary) => React.ReactNode;
  /** Controls above the backtest (the Results page's settings form). */
  backtest?: React.ReactNode;
}

/**
 * The run dashboard. Renders only from a run's summary: the Results page passes the run's own,
 * the share page the one a link carries (its projection, lib/export/share/project.ts), so both
 * show the same thing, the verdict and the ensemble estimate as computed. Text only: nothing is
 * rendered as HTML.
 */
export function RunDashboard({
  run,
  actions,
  permutation,
}: {
  run: RunSummary;
  actions?: DashboardActions;
  permutation?: Record<string, Importance[]>;
}) {
  const { config } = run;
  const ensemble = run.results.find((r) => r.id === "ensemble");
  const estimate = run.ensemble.estimatedAccuracy ?? NaN;
  const traded = run.results.find((r) => r.id === run.backtest?.model);
  return (
    <div className="space-y-6" data-testid="run-dashboard">
      <Section title={run.title ?? `${config.symbol} run`}>
        {run.synthetic && (
          <p
            className="inline-block rounded bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-900"
            data-testid="synthetic-badge"
          >
            SYNTHETIC MARKET: not real prices
          </p>
        )}
        {run.syntheticAlt && (
          <p
            className="inline-block rounded bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-900"
            data-testid="synthetic-alt-badge"
          >
            REAL CANDLES, SYNTHETIC ALTERNATIVE DATA (funding, Fear &amp; Greed)
          </p>
        )}
        {run.control && (
          <p
            className="inline-block rounded bg-violet-100 px-2 py-0.5 text-xs font-semibold text-violet-900"
            data-testid="control-badge"
          >
            {CONTROL_DESCRIPTION.toUpperCase()}
          </p>
        )}
        {run.seeds && (
          <p
            className="inline-block rounded bg-slate-100 px-2 py-0.5 text-xs font-semibold text-slate-700"
            data-testid="seeds-badge"
          >
            {run.seeds.count} SEEDS: mean ± std over {run.seeds.count} seeds
          </p>
        )}
        <dl className="grid grid-cols-2 gap-2 text-sm md:grid-cols-4">
          <Item k="symbol" v={config.symbol} />
          <Item k="timeframes" v={`${config.timeframes.join(" / ")} (base ${config.baseInterval})`} />
          <Item k="period" v={`${formatDate(config.start)} → ${formatDate(config.end)}`} />
          <Item
            k="samples"
            v={`${formatInt(config.samples.train)} / ${formatInt(config.samples.val)} / ${formatInt(config.samples.test)} (train / val / test)`}
          />
          <Item k="window × features" v={`${config.window} × ${config.numFeatures}`} />
          <Item
            k="labels"
            v={`horizon ${config.labelSpec.horizon}, strong ${formatPct(config.labelSpec.strong)}, weak ${formatPct(config.labelSpec.weak)}`}
          />
          <Item
            k="split"
            v={`${config.splitSpec.train}/${config.splitSpec.val}/${config.splitSpec.test}, purge ${config.splitSpec.purge}, embargo ${config.splitSpec.embargo}`}
          />
          <Item k="data fingerprint" v={run.fingerprint} />
        </dl>
      </Section>

      <Section title="Comparison on the held-out test part" actions={actions?.metrics} testId="comparison-section">
        {run.control ? (
          <ControlVerdict control={run.control} />
        ) : (
          <BaselineVerdict verdicts={run.verdict} samples={classCounts(run.results).reduce((a, b) => a + b, 0)} />
        )}
        <ComparisonTable results={run.results} uncertainty={run.uncertainty} seeds={run.seeds} />
        {ensemble && (
          <div className="rounded bg-slate-50 p-2 text-sm" data-testid="ensemble-note">
            Ensemble weights {run.ensemble.weights.map((w) => `${w.model} ${formatPct(w.weight, 0)}`).join(", ")}:
            measured test accuracy <b>{formatPct(ensemble.metrics.accuracy)}</b>; the guide&apos;s estimate (weighted
            average of the models&apos; accuracies) would say {formatPct(estimate)}.
            {run.ensemble.learned && (
              <>
                {" "}
                Weights learned on validation:{" "}
                {run.ensemble.learned.map((w) => `${w.model} ${formatPct(w.weight, 0)}`).join(", ")}. That is the same
                validation part that chose the Transformer&apos;s and the LSTM&apos;s best epoch, so the learned
                ensemble has seen it twice; judge it on the test part only.
              </>
            )}
          </div>
        )}
        <p className="text-xs text-slate-500">
          Classes: {CLASS_NAMES.join(", ")}. Baselines use the training class mix or the last label already known at
          prediction time.
        </p>
      </Section>

      {run.perSymbol && (
        <Section title="Per symbol" testId="per-symbol-section">
          <SymbolBreakdown perSymbol={run.perSymbol} />
        </Section>
      )}

      <Section title="Confusion matrices" testId="confusion-section">
        <ConfusionPanel results={run.results} renderActions={actions?.confusion} />
      </Section>

      {run.backtest && (
        <Section title="Backtest (fee-aware)" testId="backtest-section">
          {actions?.backtest}
          {run.backtest.symbol && (
            <p className="text-xs text-slate-500">
              Trades {run.backtest.symbol}, the first of the dataset&apos;s symbols; each symbol&apos;s backtest is in
              the per-symbol table.
            </p>
          )}
          <BacktestPanel backtest={run.backtest} accuracy={traded?.metrics.accuracy ?? NaN} />
        </Section>
      )}

      <Section title="Feature importance" actions={actions?.importances} testId="importance-section">
        <ImportancePanel importances={run.importances} source={run.importanceSource} permutation={permutation} />
      </Section>

      <Section title="Training curves" actions={actions?.curves} testId="curves-section">
        <CurvesPanel results={run.results} />
      </Section>
    </div>
  );
}

function Item({ k, v }: { k: string; v: string }) {
  return (
    <div>
      <dt className="label">{k}</dt>
      <dd className="break-all">{v}</dd>
    </div>
  );
}
