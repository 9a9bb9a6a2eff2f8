"use client";

import { useState } from "react";
import { formatTime } from "@/lib/core/format";
import { getStudioDb, loadDataset, saveDeployment, type RunRecord } from "@/lib/db";
import {
  DEFAULT_PROMOTION_RULES,
  describeRules,
  startChallenger,
  validateRules,
  type PromotionRules,
} from "@/lib/live/ramp";
import { DEFAULT_SIGNAL_SETTINGS } from "@/lib/live/signal";
import { Notice } from "../Notice";
import { errorMessage } from "../useStudioData";

/** Pick a champion (and a challenger), the signal settings and the promotion rules; deploy live or as a replay. */
/** A run as a choice in the champion and challenger lists. */
function runOption(r: RunRecord) {
  return (
    <option key={r.id} value={r.id}>
      {r.name} · {formatTime(r.createdAt)}
    </option>
  );
}

export function DeployForm({ runs, onDeployed }: { runs: RunRecord[]; onDeployed: (id: string) => void }) {
  const [championChoice, setChampion] = useState(runs[0]?.id ?? "");
  const [challengerChoice, setChallenger] = useState("");
  // The choices as the current list allows them: the run list can arrive or change after the
  // form first renders (a run finishing in another tab), and a choice not in it means the first
  // run (champion) or none (challenger), never a stale id.
  const champion = runs.some((r) => r.id === championChoice) ? championChoice : (runs[0]?.id ?? "");
  const challenger =
    challengerChoice !== champion && runs.some((r) => r.id === challengerChoice) ? challengerChoice : "";
  const [mode, setMode] = useState<"live" | "replay">("replay");
  const [minConfidence, setMinConfidence] = useState(DEFAULT_SIGNAL_SETTINGS.minConfidence);
  const [baseSize, setBaseSize] = useState(DEFAULT_SIGNAL_SETTINGS.baseSize);
  const [rules, setRules] = useState<PromotionRules>({ ...DEFAULT_PROMOTION_RULES });
  const [error, setError] = useState<string | null>(null);
  const problems = validateRules(rules);

  async function deploy() {
    setError(null);
    try {
      const db = getStudioDb();
      const run = runs.find((r) => r.id === champion);
      if (!run) throw new Error("pick a champion run");
      const ds = await loadDataset(db, run.datasetId);
      if (!ds) throw new Error(`run ${run.name}: its dataset is no longer stored`);
      const dataEnd = ds.times[ds.rows - 1];
      const now = Date.now();
      const id = `dep-${now}`;
      await saveDeployment(db, {
        v: 1,
        id,
        createdAt: now,
        replay: mode === "replay",
        championRunId: champion,
        ...(challenger ? { challengerRunId: challenger, ab: startChallenger(mode === "replay" ? dataEnd : now) } : {}),
        rules,
        settings: { ...DEFAULT_SIGNAL_SETTINGS, minConfidence, baseSize },
        lastCandle: mode === "replay" ? dataEnd : null,
        notes: [],
      });
      onDeployed(id);
    } catch (e) {
      setError(errorMessage(e));
    }
  }

  const num = (label: string, value: number, set: (n: number) => void, step = "any") => (
    <label className="text-sm">
      {label}{" "}
      <input
        className="input w-24"
        type="number"
        step={step}
        value={value}
        aria-label={label}
        onChange={(e) => set(Number(e.target.value))}
      />
    </label>
  );
  return (
    <section className="card space-y-3" data-testid="deploy-form">
      <h2 className="text-lg font-semibold">Deploy</h2>
      <div className="flex flex-wrap items-center gap-3">
        <label className="text-sm">
          champion{" "}
          <select
            className="input"
            value={champion}
            onChange={(e) => setChampion(e.target.value)}
            aria-label="champion"
          >
            {runs.map(runOption)}
          </select>
        </label>
        <label className="text-sm">
          challenger{" "}
          <select
            className="input"
            value={challenger}
            onChange={(e) => setChallenger(e.target.value)}
            aria-label="challenger"
          >
            <option value="">none</option>
            {runs.filter((r) => r.id !== champion).map(runOption)}
          </select>
        </label>
        <label className="text-sm">
          mode{" "}
          <select
            className="input"
            value={mode}
            onChange={(e) => setMode(e.target.value as "live" | "replay")}
            aria-label="mode"
          >
            <option value="replay">replay of stored candles after the data end</option>
            <option value="live">live (Binance, each new closed candle)</option>
          </select>
        </label>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        {num("minimum confidence", minConfidence, setMinConfidence)}
        {num("base size", baseSize, setBaseSize)}
        {num("min outcomes", rules.minOutcomes, (n) => setRules({ ...rules, minOutcomes: n }), "1")}
        {num("min days", rules.minDays, (n) => setRules({ ...rules, minDays: n }))}
        {num("alpha", rules.alpha, (n) => setRules({ ...rules, alpha: n }))}
        {num("max outcomes", rules.maxOutcomes, (n) => setRules({ ...rules, maxOutcomes: n }), "1")}
      </div>
      {challenger && (
        <ul className="list-disc pl-5 text-sm text-slate-600" data-testid="rules-in-words">
          {describeRules(rules).map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ul>
      )}
      {problems.length > 0 && <Notice kind="error">{problems.join("; ")}</Notice>}
      {error && <Notice kind="error">{error}</Notice>}
      <button className="btn" disabled={!champion || problems.length > 0} onClick={() => void deploy()}>
        Deploy
      </button>
    </section>
  );
}
