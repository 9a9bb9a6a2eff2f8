"use client";

import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { formatTime } from "@/lib/core/format";
import {
  configRanges,
  defaultConfig,
  validateConfig,
  type LstmConfig,
  type TransformerConfig,
} from "@/lib/models/config";
import { DEFAULT_FOREST_PARAMS, FOREST_PARAM_RANGES, type ForestParams } from "@/lib/models/forest";
import type { BackendPreference } from "@/lib/models/types";
import { newRunId, trainRun, type RunConfig, type RunProgress } from "@/lib/jobs/train/train-run";
import { isTrainingConfig } from "@/lib/run/schema";
import { MODEL_IDS, MODEL_LABELS, type ModelId } from "@/lib/run/types";
import { Notice } from "../_components/Notice";
import { StartCancelButtons } from "../_components/StartCancelButtons";
import { Section } from "../_components/dashboard/Section";
import { ModelProgress, type ModelView } from "../_components/train/ModelProgress";
import { ParamForm, type ParamField } from "../_components/train/ParamForm";
import { errorMessage, useDatasets, useRuns } from "../_components/useStudioData";

const BACKENDS: BackendPreference[] = ["auto", "webgpu", "webgl", "wasm", "cpu"];

function neuralFields(kind: "transformer" | "lstm"): ParamField[] {
  return Object.entries(configRanges(kind)).map(([key, r]) => ({
    key,
    label: r.label,
    min: r.min,
    max: r.max,
    step: r.step,
    options: r.options,
  }));
}
const FOREST_FIELDS: ParamField[] = [
  { key: "trees", label: "Trees", ...FOREST_PARAM_RANGES.trees, step: 1 },
  { key: "maxDepth", label: "Max depth", ...FOREST_PARAM_RANGES.maxDepth, step: 1 },
  { key: "minSamplesLeaf", label: "Min samples per leaf", ...FOREST_PARAM_RANGES.minSamplesLeaf, step: 1 },
  { key: "seed", label: "Seed", min: 0, max: 2 ** 31 - 1, step: 1 },
];

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
  const [transformer, setTransformer] = useState<TransformerConfig>(defaultConfig("transformer"));
  const [lstm, setLstm] = useState<LstmConfig>(defaultConfig("lstm"));
  const [forest, setForest] = useState<ForestParams & { view: "flat" | "compact" }>({
    ...DEFAULT_FOREST_PARAMS,
    view: "flat",
  });
  const [views, setViews] = useState<Record<ModelId, ModelView>>(emptyViews);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [finished, setFinished] = useState<string | null>(null);
  const [showHelp, setShowHelp] = useState(false);
  const abort = useRef<AbortController | null>(null);

  const dataset = datasets?.find((d) => d.id === datasetId) ?? datasets?.[0];
  useEffect(() => {
    if (dataset && !datasetId) setDatasetId(dataset.id);
  }, [dataset, datasetId]);

  const update = (id: ModelId, patch: Partial<ModelView>) => setViews((v) => ({ ...v, [id]: { ...v[id], ...patch } }));
  const onProgress = (p: RunProgress) => {
    if (p.model === "run") return;
    if (p.phase === "train") {
      setViews((v) => ({
        ...v,
        [p.model]: {
          ...v[p.model],
          status: "training",
          last: p,
          history: p.model !== "forest" && p.history ? p.history : v[p.model].history,
        },
      }));
    } else if (p.phase === "evaluate") update(p.model, { status: "evaluating" });
    else if (p.phase === "importance") update(p.model, { status: "evaluating", last: p });
    else update(p.model, { status: "done", message: `${p.seconds.toFixed(1)} s${p.message ? ` · ${p.message}` : ""}` });
  };

  async function start(runId: string, name: string, config: RunConfig) {
    setRunning(true);
    setError(null);
    setFinished(null);
    setViews(emptyViews());
    const ctrl = new AbortController();
    abort.current = ctrl;
    try {
      const result = await trainRun(runId, name, config, { signal: ctrl.signal, onProgress });
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

  function onStart(e: React.FormEvent) {
    e.preventDefault();
    if (!dataset) return;
    if (!MODEL_IDS.some((m) => enabled[m])) return setError("Choose at least one model.");
    const config: RunConfig = {
      datasetId: dataset.id,
      backend,
      transformer: enabled.transformer ? validateConfig("transformer", transformer, dataset.window).config : undefined,
      lstm: enabled.lstm ? validateConfig("lstm", lstm, dataset.window).config : undefined,
      forest: enabled.forest ? forest : undefined,
    };
    void start(newRunId(), `${dataset.name} · ${MODEL_IDS.filter((m) => enabled[m]).join("+")}`, config);
  }

  const resumable = (runs ?? []).flatMap((r) =>
    (r.status === "running" || r.status === "paused") && isTrainingConfig(r.config) ? [{ ...r, config: r.config }] : [],
  );
  const issues = [
    ...(enabled.transformer && dataset ? validateConfig("transformer", transformer, dataset.window).issues : []),
    ...(enabled.lstm && dataset ? validateConfig("lstm", lstm, dataset.window).issues : []),
  ];

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
            </div>
          </Section>
          <div className="grid gap-4 lg:grid-cols-3">
            {(["transformer", "lstm"] as const).map((kind) => (
              <Section
                key={kind}
                title={MODEL_LABELS[kind]}
                actions={
                  <input
                    type="checkbox"
                    aria-label={`train ${kind}`}
                    checked={enabled[kind]}
                    onChange={(e) => setEnabled({ ...enabled, [kind]: e.target.checked })}
                  />
                }
              >
                <ParamForm
                  testId={`params-${kind}`}
                  fields={neuralFields(kind)}
                  values={kind === "transformer" ? transformer : lstm}
                  booleans={[{ key: "classWeights", label: "class weights" }]}
                  onChange={(k, v) =>
                    kind === "transformer" ? setTransformer({ ...transformer, [k]: v }) : setLstm({ ...lstm, [k]: v })
                  }
                />
              </Section>
            ))}
            <Section
              title={MODEL_LABELS.forest}
              actions={
                <input
                  type="checkbox"
                  aria-label="train forest"
                  checked={enabled.forest}
                  onChange={(e) => setEnabled({ ...enabled, forest: e.target.checked })}
                />
              }
            >
              <ParamForm
                testId="params-forest"
                fields={FOREST_FIELDS}
                values={forest}
                onChange={(k, v) => setForest({ ...forest, [k]: v })}
              />
              <div className="grid grid-cols-2 gap-2 text-sm">
                <label className="space-y-0.5">
                  <span className="label block">Input view</span>
                  <select
                    className="input w-full"
                    name="view"
                    value={forest.view}
                    onChange={(e) => setForest({ ...forest, view: e.target.value as "flat" | "compact" })}
                  >
                    <option value="flat">flattened window (guide)</option>
                    <option value="compact">compact (last step + summaries)</option>
                  </select>
                </label>
                <label className="space-y-0.5">
                  <span className="label block">Features per split</span>
                  <select
                    className="input w-full"
                    value={String(forest.maxFeatures)}
                    onChange={(e) => setForest({ ...forest, maxFeatures: e.target.value as "sqrt" | "log2" })}
                  >
                    <option value="sqrt">sqrt</option>
                    <option value="log2">log2</option>
                  </select>
                </label>
                <label className="flex items-center gap-1">
                  <input
                    type="checkbox"
                    checked={forest.classWeight === "balanced"}
                    onChange={(e) => setForest({ ...forest, classWeight: e.target.checked ? "balanced" : "none" })}
                  />{" "}
                  class weights
                </label>
              </div>
            </Section>
          </div>
          {issues.length > 0 && <Notice kind="warning">{issues.join("; ")}</Notice>}
          <StartCancelButtons label="Train" running={running} onCancel={() => abort.current?.abort()} />
        </form>
      )}
      {error && (
        <Notice kind="error" testId="train-error">
          {error}
        </Notice>
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
          Run finished and evaluated on the held-out test part.{" "}
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
