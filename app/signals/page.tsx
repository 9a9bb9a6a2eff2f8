"use client";

import { useCallback, useEffect, useMemo, useState } from "react";
import { formatTime } from "@/lib/core/format";
import { intervalMs } from "@/lib/core/intervals";
import {
  deleteDeployment,
  getStudioDb,
  listDeployments,
  listSignals,
  runEvaluation,
  type DeploymentRecord,
  type SignalRecord,
} from "@/lib/db";
import { checkDrift, type DriftCheck } from "@/lib/jobs/live/drift-check";
import { storeSource } from "@/lib/jobs/live/sources";
import { describeRules } from "@/lib/live/ramp";
import { abSummary } from "@/lib/live/summary";
import { Notice } from "../_components/Notice";
import { DeployForm } from "../_components/signals/DeployForm";
import { ForwardPanel } from "../_components/signals/ForwardPanel";
import { SignalCard } from "../_components/signals/SignalCard";
import { useLiveLoop } from "../_components/signals/useLiveLoop";
import { downloadText } from "../_components/download";
import { errorMessage, useRuns } from "../_components/useStudioData";

export default function SignalsPage() {
  const { runs } = useRuns();
  const done = useMemo(() => (runs ?? []).filter((r) => r.status === "done" && runEvaluation(r)), [runs]);
  const [deployments, setDeployments] = useState<DeploymentRecord[] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [signals, setSignals] = useState<SignalRecord[]>([]);
  const [drift, setDrift] = useState<DriftCheck | null>(null);
  const [error, setError] = useState<string | null>(null);
  const deployment = deployments?.find((d) => d.id === selected) ?? deployments?.[0] ?? null;

  const refresh = useCallback(async () => {
    const db = getStudioDb();
    const all = await listDeployments(db);
    setDeployments(all);
    const d = all.find((x) => x.id === selected) ?? all[0];
    setSignals(d ? await listSignals(db, d.id) : []);
  }, [selected]);
  useEffect(() => {
    void refresh();
  }, [refresh]);
  const loop = useLiveLoop(deployment, refresh);

  const champion = loop.champion;
  const baseMs = champion ? intervalMs(champion.dataset.baseInterval) : 3_600_000;
  const horizonMs = champion ? champion.dataset.labelSpec.horizon * baseMs : 4 * baseMs;
  const summary = deployment
    ? abSummary(deployment, signals, horizonMs, champion?.dataset.labelSpec.horizon ?? 4)
    : null;
  const resolved = signals.filter((s) => s.outcome).length;

  async function runDriftCheck() {
    if (!champion) return;
    try {
      const ds = champion.dataset;
      const source = ds.synthetic ? "synthetic" : "binance";
      const candles = await storeSource(getStudioDb(), { symbol: ds.symbol, timeframes: ds.timeframes, source }).read(
        0,
      );
      const clock = deployment?.replay ? (signals.at(-1)?.openTime ?? Date.now()) + baseMs : Date.now();
      setDrift(checkDrift(ds, candles, champion.trainedAt, clock));
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  if (runs === null || deployments === null) return <p>Loading…</p>;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="mr-auto text-2xl font-semibold">Signals</h1>
        {deployments.length > 0 && (
          <select
            className="input"
            aria-label="deployment"
            value={deployment?.id}
            onChange={(e) => setSelected(e.target.value)}
          >
            {deployments.map((d) => (
              <option key={d.id} value={d.id}>
                {d.replay ? "REPLAY · " : "LIVE · "}
                {done.find((r) => r.id === d.championRunId)?.name ?? d.championRunId} · {formatTime(d.createdAt)}
              </option>
            ))}
          </select>
        )}
        {deployment && (
          <button
            className="btn-secondary"
            onClick={() =>
              void deleteDeployment(getStudioDb(), deployment.id).then(() => (setSelected(null), refresh()))
            }
          >
            delete deployment
          </button>
        )}
      </div>
      {done.length === 0 ? (
        <Notice kind="info">No finished run yet: train models on the Train page first.</Notice>
      ) : (
        <DeployForm runs={done} onDeployed={(id) => (setSelected(id), void refresh())} />
      )}
      {error && <Notice kind="error">{error}</Notice>}
      {loop.error && <Notice kind="error">{loop.error}</Notice>}
      {deployment && (
        <>
          {deployment.replay && (
            <Notice kind="warning" testId="replay-banner">
              REPLAY: stored candles after the run&apos;s data end, at full speed. These are not live signals.
            </Notice>
          )}
          <p className="text-sm" data-testid="loop-status">
            {loop.status ? `${loop.status.state}: ${loop.status.message}` : "starting…"} · {signals.length} signals,{" "}
            <span data-testid="outcome-count">{resolved}</span> outcomes
          </p>
          <SignalCard signal={signals.at(-1)} baseMs={baseMs} />
          {summary && <ForwardPanel summary={summary} runs={done} />}
          <section className="card space-y-2">
            <h2 className="text-lg font-semibold">Champion and challenger</h2>
            {deployment.ab ? (
              <>
                <p className="text-sm" data-testid="ab-state">
                  {deployment.ab.status} · challenger traffic {deployment.ab.traffic}%
                </p>
                <ul className="list-disc pl-5 text-sm text-slate-600">
                  {describeRules(deployment.rules).map((s) => (
                    <li key={s}>{s}</li>
                  ))}
                </ul>
                <ol className="list-decimal pl-5 text-sm" data-testid="ab-history">
                  {deployment.ab.decisions.map((d, i) => (
                    <li key={i}>
                      {formatTime(d.at)} · {d.kind} {d.from}% → {d.to}% · {d.reason}
                    </li>
                  ))}
                </ol>
              </>
            ) : (
              <p className="text-sm text-slate-500">No challenger deployed.</p>
            )}
            {summary && (
              <button
                className="btn-secondary"
                onClick={() => downloadText(JSON.stringify(summary, null, 2), "ab_summary.json", "application/json")}
              >
                Download A/B summary
              </button>
            )}
          </section>
          <section className="card space-y-2">
            <h2 className="text-lg font-semibold">Drift and age</h2>
            <button className="btn-secondary" disabled={!champion} onClick={() => void runDriftCheck()}>
              Check drift
            </button>
            {drift && (
              <div className="text-sm" data-testid="drift">
                <p>
                  {drift.rows} rows after the data end compared · model {Math.floor(drift.advice.ageDays)} days old ·{" "}
                  {drift.advice.recommended
                    ? `retrain recommended: ${drift.advice.reasons.join("; ")}`
                    : "no retrain needed"}
                </p>
                <p className="text-slate-600">
                  Highest PSI:{" "}
                  {[...drift.features]
                    .sort((a, b) => b.psi - a.psi)
                    .slice(0, 8)
                    .map((f) => `${f.name} ${f.psi.toFixed(3)} (${f.level})`)
                    .join(", ")}
                </p>
              </div>
            )}
          </section>
          {deployment.notes.length > 0 && (
            <section className="card">
              <h2 className="text-lg font-semibold">Notes</h2>
              <ul className="text-sm" data-testid="loop-notes">
                {deployment.notes
                  .slice(-20)
                  .reverse()
                  .map((n, i) => (
                    <li key={i}>
                      {formatTime(n.at)} · {n.kind} · {n.text}
                    </li>
                  ))}
              </ul>
            </section>
          )}
        </>
      )}
    </div>
  );
}
