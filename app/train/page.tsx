"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { formatTime } from "@/lib/core/format";
import { MODEL_SETTINGS } from "@/lib/models/settings";
import type { BackendPreference } from "@/lib/models/types";
import { newRunId, trainRun, type RunConfig, type RunProgress } from "@/lib/jobs/train/train-run";
import { DEFAULT_LABEL_SPEC } from "@/lib/core/labels";
import { modelFraction, walkEtaSeconds, walkFraction } from "@/lib/jobs/walk/progress";
import { walkRun, type WalkProgress } from "@/lib/jobs/walk/walk-run";
import { CONTROL_DESCRIPTION, shuffledLabelControl } from "@/lib/run/control";
import { isTrainingConfig } from "@/lib/run/schema";
import { SEED_COUNTS } from "@/lib/run/seeds";
import { defaultWalkForm, WALK_FIELDS, walkConfigOf, type WalkForm } from "@/lib/run/walk-settings";
import { MODEL_IDS, MODEL_LABELS, type ModelId } from "@/lib/run/types";
import { Notice } from "../_components/Notice";
import { WalkProgressView, type WalkView } from "../_components/train/WalkProgressView";
import { StartCancelButtons } from "../_components/StartCancelButtons";
import { Section } from "../_components/dashboard/Section";
import { ModelProgress, type ModelView } from "../_components/train/ModelProgress";
import { ParamForm, type ParamValue } from "../_components/train/ParamForm";
import { errorMessage, useDatasets, useRuns } from "../_components/useStudioData";

const BACKENDS: BackendPreference[] = ["auto", "webgpu", "webgl", "wasm", "cpu"];

type ModelConfigs = { [Id in ModelId]: ReturnType<(typeof MODEL_SETTINGS)[Id]["defaults"]> };

const defaultConfigs = (): ModelConfigs => ({
  transformer: MODEL_SETTINGS.transformer.defaults(),
  lstm: MODEL_SETTINGS.lstm.defaults(),
  forest: MODEL_SETTINGS.forest.defaults(),
});

const emptyViews = (): Record<ModelId, ModelView> => ({
  transformer: { status: "waiting", history: [] },
  lstm: { status: "waiting", history: [] },
  forest: { status: "waiting", history: [] },
});

export default function TrainPage() {
  const { datasets } = useDatasets();
  const { runs, refresh: refreshRuns } = useRuns();
  const [datasetId, setDatasetId] = useState("");
  const [backend, setBackend] = useState<BackendPreference>("auto");
  const [enabled, setEnabled] = useState<Record<ModelId, boolean>>({ transformer: true, lstm: true, forest: true });
  const [configs, setConfigs] = useState<ModelConfigs>(defaultConfigs);
  const [views, setViews] = useState<Record<ModelId, ModelView>>(emptyViews);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [finished, setFinished] = useState<string | null>(null);
  const [showHelp, setShowHelp] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const [evaluationKind, setEvaluationKind] = useState<"single" | "walk">("single");
  const [walkForm, setWalkForm] = useState<WalkForm | null>(null);
  const [walkView, setWalkView] = useState<WalkView | null>(null);
  const [control, setControl] = useState(false);
  const [seeds, setSeeds] = useState<number>(1);
  /** The seed being trained in a run of several seeds. */
  const [seedView, setSeedView] = useState<{ offset: number; seeds: number } | null>(null);
  /** Where this session's walk started (fraction, ms), for the ETA: folds read from storage take no time. */
  const walkPace = useRef<{ from: number; at: number } | null>(null);

  const dataset = datasets?.find((d) => d.id === datasetId) ?? datasets?.[0];
  useEffect(() => {
    if (dataset && !datasetId) setDatasetId(dataset.id);
  }, [dataset, datasetId]);
  // The walk's defaults follow the dataset's window (the purge its label horizon: the studio's default).
  const horizon = DEFAULT_LABEL_SPEC.horizon;
  useEffect(() => {
    if (dataset) setWalkForm(defaultWalkForm(horizon, dataset.window));
  }, [dataset, horizon]);

  const update = (id: ModelId, patch: Partial<ModelView>) => setViews((v) => ({ ...v, [id]: { ...v[id], ...patch } }));
  const onProgress = (p: RunProgress) => {
    if (p.model === "run") {
      if (p.phase === "seed") {
        setSeedView({ offset: p.offset, seeds: p.seeds });
        if (p.offset > 0) setViews(emptyViews());
      }
      return;
    }
    if (p.phase === "train" || p.phase === "checkpoint") {
      setViews((v) => ({
        ...v,
        [p.model]: {
          ...v[p.model],
          status: "training",
          last: p,
          backend: "backend" in p ? p.backend : v[p.model].backend,
          history: p.phase === "checkpoint" ? p.history : v[p.model].history,
        },
      }));
    } else if (p.phase === "evaluate") update(p.model, { status: "evaluating" });
    else if (p.phase === "importance") update(p.model, { status: "evaluating", last: p });
    else update(p.model, { status: "done", message: `${p.seconds.toFixed(1)} s${p.message ? ` · ${p.message}` : ""}` });
  };

  const onWalkProgress = (ids: ModelId[]) => (p: WalkProgress) => {
    if (p.phase === "pool") return setWalkView((w) => w && { ...w, fraction: 1, pooling: true });
    if (p.phase === "fold") {
      setViews(emptyViews());
      const fraction = walkFraction(p.fold, p.folds, 0, ids.length, 0);
      walkPace.current ??= { from: fraction, at: performance.now() };
      return setWalkView({
        fold: p.fold,
        folds: p.folds,
        trainSpan: p.trainSpan,
        testSpan: p.testSpan,
        fraction,
        eta: NaN,
        warm: [],
        pooling: false,
        stored: p.stored,
      });
    }
    onProgress(p.progress);
    const fraction = walkFraction(p.fold, p.folds, ids.indexOf(p.model), ids.length, modelFraction(p.progress));
    const pace = walkPace.current;
    const eta = pace ? walkEtaSeconds(pace.from, fraction, (performance.now() - pace.at) / 1000) : NaN;
    setWalkView(
      (w) =>
        w && { ...w, fraction, eta, warm: p.warmStart && !w.warm.includes(p.model) ? [...w.warm, p.model] : w.warm },
    );
  };

  async function start(runId: string, name: string, config: RunConfig) {
    setRunning(true);
    setError(null);
    setFinished(null);
    setViews(emptyViews());
    setWalkView(null);
    setSeedView(null);
    walkPace.current = null;
    const ctrl = new AbortController();
    abort.current = ctrl;
    try {
      const ids = MODEL_IDS.filter((id) => config[id]);
      const result = config.walk
        ? await walkRun(runId, name, config, { signal: ctrl.signal, onProgress: onWalkProgress(ids) })
        : await trainRun(runId, name, config, { signal: ctrl.signal, onProgress });
      if (result) setFinished(runId);
      else
        setViews(
          (v) =>
            Object.fromEntries(
              MODEL_IDS.map((id) => [
                id,
                v[id].status === "done"
                  ? v[id]
                  : {
                      ...v[id],
                      status: "cancelled" as const,
                      message: "Cancelled: finished models and the last epoch are stored; resume below.",
                    },
              ]),
            ) as Record<ModelId, ModelView>,
        );
    } catch (e) {
      setError(errorMessage(e));
    }
    abort.current = null;
    setRunning(false);
    void refreshRuns();
  }

  // Each chosen model's settings as validation repairs them, with what it changed: a run starts
  // only when nothing needs repairing, so it trains exactly what the form shows.
  const validated = dataset
    ? {
        transformer: MODEL_SETTINGS.transformer.validate(configs.transformer, dataset.window),
        lstm: MODEL_SETTINGS.lstm.validate(configs.lstm, dataset.window),
        forest: MODEL_SETTINGS.forest.validate(configs.forest, dataset.window),
      }
    : null;
  const issuesOf = (id: ModelId) => (enabled[id] && validated ? validated[id].issues : []);
  const walkRead = dataset && walkForm ? walkConfigOf(walkForm, horizon, dataset.window) : null;
  const walkIssues = evaluationKind === "walk" && walkRead ? walkRead.issues : [];
  const setParam = (id: ModelId, key: string, value: ParamValue) =>
    setConfigs((c) => ({ ...c, [id]: { ...c[id], [key]: value } }));

  function onStart(e: React.FormEvent) {
    e.preventDefault();
    if (!dataset || !validated) return;
    if (!MODEL_IDS.some((m) => enabled[m])) return setError("Choose at least one model.");
    const invalid = MODEL_IDS.filter((m) => issuesOf(m).length > 0);
    if (invalid.length > 0)
      return setError(
        `Check the settings of ${invalid.map((m) => MODEL_LABELS[m]).join(", ")}: ${invalid.flatMap(issuesOf).join("; ")}`,
      );
    if (walkIssues.length > 0) return setError(`Check the walk-forward settings: ${walkIssues.join(" ")}`);
    const walk = evaluationKind === "walk" ? walkRead?.config : undefined;
    // Walk-forward folds fit their own labels and train once per fold: the control and seeds are single-split options.
    const single = evaluationKind === "single";
    const config: RunConfig = {
      datasetId: dataset.id,
      backend,
      transformer: enabled.transformer ? validated.transformer.config : undefined,
      lstm: enabled.lstm ? validated.lstm.config : undefined,
      forest: enabled.forest ? validated.forest.config : undefined,
      ...(walk ? { walk } : {}),
      ...(single && control ? { control: shuffledLabelControl() } : {}),
      ...(single && seeds > 1 ? { seeds } : {}),
    };
    const kind =
      (walk ? " · walk-forward" : "") +
      (config.control ? " · control (labels shuffled)" : "") +
      (config.seeds ? ` · ${config.seeds} seeds` : "");
    void start(newRunId(), `${dataset.name} · ${MODEL_IDS.filter((m) => enabled[m]).join("+")}${kind}`, config);
  }

  const resumable = (runs ?? []).flatMap((r) =>
    (r.status === "running" || r.status === "paused") && isTrainingConfig(r.config) ? [{ ...r, config: r.config }] : [],
  );

  return (
    <div className="space-y-6">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Train</h1>
        <button
          className="btn-secondary"
          type="button"
          onClick={() => setShowHelp((s) => !s)}
          data-testid="help-toggle"
          aria-expanded={showHelp}
        >
          {showHelp ? "Hide tips" : "Show tips"}
        </button>
      </div>
      {showHelp && (
        <Notice kind="info" testId="help-text">
          Training runs in Web Workers (tfjs for the Transformer and LSTM, a worker pool for the forest), so this page
          stays responsive. Early stopping keeps the best validation epoch; every epoch is checkpointed, so a reload can
          resume. Larger batches run much faster in the browser.
        </Notice>
      )}
      {datasets !== null && datasets.length === 0 && (
        <Notice kind="info">
          No dataset yet:{" "}
          <Link className="underline" href="/dataset/">
            build one
          </Link>{" "}
          first.
        </Notice>
      )}
      {dataset && (
        <form onSubmit={onStart} className="space-y-4" aria-label="Train models">
          <Section title="Setup">
            <div className="flex flex-wrap gap-4">
              <label className="space-y-1">
                <span className="label">Dataset</span>
                <select
                  className="input block"
                  value={dataset.id}
                  onChange={(e) => setDatasetId(e.target.value)}
                  name="dataset"
                >
                  {datasets!.map((d) => (
                    <option key={d.id} value={d.id}>
                      {d.name} ({d.samples.train}/{d.samples.val}/{d.samples.test}){d.synthetic ? " SYNTHETIC" : ""}
                    </option>
                  ))}
                </select>
              </label>
              <label className="space-y-1">
                <span className="label">tfjs backend</span>
                <select
                  className="input block"
                  value={backend}
                  onChange={(e) => setBackend(e.target.value as BackendPreference)}
                  name="backend"
                >
                  {BACKENDS.map((b) => (
                    <option key={b} value={b}>
                      {b === "auto" ? "auto (WebGPU → WebGL → WASM → CPU)" : b}
                    </option>
                  ))}
                </select>
              </label>
              <label className="space-y-1">
                <span className="label">Evaluation</span>
                <select
                  className="input block"
                  value={evaluationKind}
                  onChange={(e) => setEvaluationKind(e.target.value as "single" | "walk")}
                  name="evaluation"
                >
                  <option value="single">single split (the dataset&apos;s train / validation / test)</option>
                  <option value="walk">walk-forward (retrain per period, pool the test blocks)</option>
                </select>
              </label>
              <label className="space-y-1">
                <span className="label">Seeds</span>
                <select
                  className="input block"
                  value={evaluationKind === "single" ? seeds : 1}
                  onChange={(e) => setSeeds(Number(e.target.value))}
                  name="seeds"
                  disabled={evaluationKind !== "single"}
                  title="Train every chosen model with its seed, seed + 1, … and show mean ± std over the seeds"
                >
                  {SEED_COUNTS.map((n) => (
                    <option key={n} value={n}>
                      {n === 1 ? "1 (the models' own seeds)" : `${n} (seed, seed + 1, …, seed + ${n - 1})`}
                    </option>
                  ))}
                </select>
              </label>
              <label className="flex items-center gap-2 self-end pb-2 text-sm">
                <input
                  type="checkbox"
                  name="control"
                  checked={evaluationKind === "single" && control}
                  disabled={evaluationKind !== "single"}
                  onChange={(e) => setControl(e.target.checked)}
                />
                <span>Control run: labels shuffled within each part</span>
              </label>
            </div>
            {evaluationKind === "single" && (control || seeds > 1) && (
              <p className="mt-2 text-xs text-slate-600" data-testid="run-options-note">
                {control &&
                  "A control run trains and scores every model on labels permuted within train, validation and test separately: each model must then score the chance level of its own prediction mix; above it, something leaks (test rows that were trained on, parts that overlap). "}
                {seeds > 1 &&
                  `Every chosen model is trained ${seeds} times; the comparison shows mean ± std over the seeds. The ensembles, verdict, backtest and exports use seed 0's models (the seeds as set), chosen before any result is seen.`}
              </p>
            )}
            {evaluationKind === "walk" && (
              <p className="mt-2 text-xs text-slate-500">Seeds and the control run are options of a single split.</p>
            )}
            {evaluationKind === "walk" && walkForm && (
              <div className="mt-3 space-y-1">
                <p className="text-xs text-slate-600">
                  Each fold trains on what was known before its test block (its last 15% is the validation tail), with
                  normalisation, forest bins and thresholds fitted on its training rows only; every fold&apos;s test
                  predictions are pooled into one evaluation.
                </p>
                <ParamForm
                  testId="params-walk"
                  fields={WALK_FIELDS.filter(
                    (f) =>
                      (f.key !== "rollingDays" || walkForm.window === "rolling") &&
                      (f.key !== "warmStartEpochs" || walkForm.warmStart),
                  )}
                  values={walkForm}
                  issues={walkIssues}
                  onChange={(key, value) => setWalkForm((w) => w && { ...w, [key]: value })}
                />
              </div>
            )}
          </Section>
          <div className="grid gap-4 lg:grid-cols-3">
            {MODEL_IDS.map((id) => (
              <Section
                key={id}
                title={MODEL_LABELS[id]}
                actions={
                  <input
                    type="checkbox"
                    aria-label={`train ${id}`}
                    checked={enabled[id]}
                    onChange={(e) => setEnabled({ ...enabled, [id]: e.target.checked })}
                  />
                }
              >
                <ParamForm
                  testId={`params-${id}`}
                  fields={MODEL_SETTINGS[id].fields}
                  values={configs[id]}
                  issues={issuesOf(id)}
                  onChange={(key, value) => setParam(id, key, value)}
                />
                {issuesOf(id).length > 0 && validated && (
                  <button
                    type="button"
                    className="btn-secondary mt-2 text-xs"
                    onClick={() => setConfigs((c) => ({ ...c, [id]: validated[id].config }))}
                  >
                    Use the suggested values
                  </button>
                )}
              </Section>
            ))}
          </div>
          <StartCancelButtons label="Train" running={running} onCancel={() => abort.current?.abort()} />
        </form>
      )}
      {error && (
        <Notice kind="error" testId="train-error">
          {error}
        </Notice>
      )}
      {walkView && <WalkProgressView view={walkView} />}
      {seedView && (
        <p className="text-sm text-slate-600" data-testid="seed-progress">
          Seed {seedView.offset + 1} of {seedView.seeds}
          {seedView.offset > 0 ? ` (every model's seed + ${seedView.offset})` : " (the models' own seeds)"}
        </p>
      )}
      {(running || finished || MODEL_IDS.some((m) => views[m].status !== "waiting")) && (
        <div className="grid gap-4 lg:grid-cols-3" data-testid="train-progress">
          {MODEL_IDS.map((m) => (
            <ModelProgress key={m} id={m} label={MODEL_LABELS[m]} view={views[m]} />
          ))}
        </div>
      )}
      {finished && (
        <Notice kind="ok" testId="train-finished">
          {walkView
            ? "Walk finished: every fold's test predictions pooled into one evaluation."
            : "Run finished and evaluated on the held-out test part."}{" "}
          <Link className="font-medium underline" href={`/results/?run=${finished}`}>
            Open the results
          </Link>
        </Notice>
      )}
      {!running && resumable.length > 0 && (
        <Section title="Unfinished runs">
          <ul className="space-y-2 text-sm" data-testid="resumable-runs">
            {resumable.map((r) => (
              <li key={r.id} className="flex items-center gap-3">
                <span>
                  {r.name} · started {formatTime(r.createdAt)} · {r.status}
                  {r.config.walk ? " · walk-forward: resumes at the fold in progress" : ""}
                  {r.config.control ? ` · ${CONTROL_DESCRIPTION}` : ""}
                  {r.config.seeds ? ` · ${r.config.seeds} seeds: resumes at the seed in progress` : ""}
                </span>
                <button className="btn-secondary" onClick={() => void start(r.id, r.name, r.config)}>
                  Resume
                </button>
              </li>
            ))}
          </ul>
        </Section>
      )}
    </div>
  );
}
