"use client";

import { useEffect, useMemo, useState } from "react";
import { formatBytes, formatTime } from "@/lib/core/format";
import { deleteRun, getStudioDb, loadDataset, runEvaluation } from "@/lib/db";
import { evaluationMetricsJson } from "@/lib/eval/report";
import { confusionMatrixPng } from "@/lib/export/confusion-png";
import { shareUrl } from "@/lib/export/share";
import { curvesCsv } from "@/lib/run/curves-csv";
import { describeFloat16Effect, float16Effect } from "@/lib/jobs/export/float16-effect";
import { workerPredictors } from "@/lib/jobs/export/bundle-predictors";
import { getExportClient } from "@/lib/jobs/export/client";
import { isAbortError } from "@/lib/jobs/bridge";
import { ConfirmDeleteButton } from "../_components/ConfirmDeleteButton";
import { Notice } from "../_components/Notice";
import { RunDashboard } from "../_components/dashboard/RunDashboard";
import { WalkPanel } from "../_components/dashboard/WalkPanel";
import { Section } from "../_components/dashboard/Section";
import { BacktestRetrade } from "../_components/results/BacktestRetrade";
import { BundleImportPanel, useBundleImport } from "../_components/results/BundleImportPanel";
import { PredictionsDownload } from "../_components/results/PredictionsDownload";
import { TflitePanel } from "../_components/results/TflitePanel";
import { downloadBytes, downloadText } from "../_components/download";
import { errorMessage, useRuns } from "../_components/useStudioData";
import { useAbortable } from "../_components/useAbortable";

/** The export section's actions (export worker, bundle predictors); its Cancel stops them. */
const EXPORTS = ["bundle", "onnx-"];

export default function ResultsPage() {
  const { runs, refresh } = useRuns();
  const [runId, setRunId] = useState<string | null>(null);
  const [message, setMessage] = useState<{ kind: "ok" | "error"; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [float16, setFloat16] = useState(false);
  const [link, setLink] = useState<string | null>(null);

  useEffect(() => {
    const fromQuery = new URLSearchParams(window.location.search).get("run");
    if (fromQuery) setRunId(fromQuery);
  }, []);
  const done = useMemo(() => (runs ?? []).filter((r) => r.status === "done" && runEvaluation(r)), [runs]);
  const run = done.find((r) => r.id === runId) ?? done[0];
  const evaluation = run ? runEvaluation(run) : undefined;

  const task = useAbortable();
  /** Runs one action; exports get a signal, so Cancel terminates their worker. */
  async function act(name: string, work: (signal: AbortSignal) => Promise<void>) {
    setBusy(name);
    setMessage(null);
    try {
      await work(task.begin());
    } catch (e) {
      setMessage(isAbortError(e) ? { kind: "ok", text: "Cancelled." } : { kind: "error", text: errorMessage(e) });
    }
    setBusy(null);
  }

  const bundleImport = useBundleImport((id) => {
    setRunId(id);
    void refresh();
  });
  const importer = <BundleImportPanel importer={bundleImport} />;
  if (runs === null) return <p className="text-sm text-slate-500">Loading…</p>;
  if (!run || !evaluation)
    return (
      <div className="space-y-4">
        <Notice kind="info">No finished run yet: train models on the Train page, or import a model bundle.</Notice>
        {importer}
      </div>
    );
  const walk = evaluation.walk;
  // A walk-forward run's models are stored per fold ("fold3/lstm"): it has no single model to export or re-trade.
  const models = walk ? [] : evaluation.summary.results.filter((r) => r.kind === "model").map((r) => r.id);
  const btn = (name: string, label: string, work: (signal: AbortSignal) => Promise<void>) => (
    <button
      key={name}
      className="btn-secondary"
      disabled={busy !== null}
      onClick={() => void act(name, work)}
      data-testid={`action-${name}`}
    >
      {busy === name ? "Working…" : label}
    </button>
  );

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="mr-auto text-2xl font-semibold">Results</h1>
        <select className="input" value={run.id} onChange={(e) => setRunId(e.target.value)} aria-label="run">
          {done.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name} · {formatTime(r.createdAt)}
            </option>
          ))}
        </select>
        <ConfirmDeleteButton
          label="delete run"
          className="text-sm text-red-700 underline"
          question={`Delete run "${run.name}" and its models?`}
          onDelete={async () => {
            await deleteRun(getStudioDb(), run.id);
            setRunId(null);
            void refresh();
          }}
        />
      </div>

      <Section title="Export and share" testId="export-section">
        <div className="flex flex-wrap items-center gap-2">
          {btn("share", "Copy share link", async () => {
            const url = shareUrl(`${window.location.origin}/share/`, evaluation.summary);
            setLink(url);
            await navigator.clipboard?.writeText(url).catch(() => undefined);
            setMessage({
              kind: "ok",
              text: `Share link ready (${url.length.toLocaleString("en-US")} characters): a summary only, no candles, weights or keys.`,
            });
          })}
          {!walk &&
            btn("bundle", "Model bundle (.zip)", async (signal) => {
              const bytes = await getExportClient().bundle(
                run.id,
                run.datasetId,
                evaluation,
                { float16, onnx: true, tflite: true },
                { signal },
              );
              downloadBytes(bytes, `trademate_${run.id}_bundle.zip`, "application/zip");
              const written = `Bundle written: ${formatBytes(bytes.length)}${float16 ? " (float16 weights)" : ""}, with ONNX and TFLite files and golden vectors.`;
              setMessage({ kind: "ok", text: float16 ? `${written} Measuring what float16 changes…` : written });
              if (!float16) return;
              // Float16 is a trade: say what it costs, measured on this run's own test part.
              const dataset = await loadDataset(getStudioDb(), run.datasetId);
              const effect = dataset
                ? describeFloat16Effect(await float16Effect(bytes, dataset, evaluation, workerPredictors(signal)))
                : "Its accuracy change was not measured: the run's dataset is no longer stored here.";
              setMessage({ kind: "ok", text: `${written} ${effect}` });
            })}
          {!walk && (
            <label className="flex items-center gap-1 text-sm">
              <input type="checkbox" checked={float16} onChange={(e) => setFloat16(e.target.checked)} /> float16 weights
            </label>
          )}
          {models.map((id) =>
            btn(`onnx-${id}`, `${id}.onnx`, async (signal) => {
              downloadBytes(await getExportClient().onnx(run.id, run.datasetId, id, { signal }), `${id}.onnx`);
            }),
          )}
          {busy !== null && EXPORTS.some((e) => busy.startsWith(e)) && (
            <button className="btn-secondary" onClick={task.cancel} data-testid="export-cancel">
              Cancel
            </button>
          )}
        </div>
        {walk && (
          <Notice kind="info" testId="walk-export-note">
            A walk-forward run is an evaluation: each fold&apos;s models are stored with the run, and the share link
            carries the pooled summary. Train a single-split run to export a model bundle.
          </Notice>
        )}
        {!walk && (
          <TflitePanel
            runId={run.id}
            datasetId={run.datasetId}
            models={models.filter((id): id is "transformer" | "lstm" => id === "transformer" || id === "lstm")}
            float16={float16}
          />
        )}
        {!walk && <PredictionsDownload runId={run.id} datasetId={run.datasetId} evaluation={evaluation} button={btn} />}
        {link && (
          <input
            readOnly
            className="input w-full font-mono text-xs"
            value={link}
            data-testid="share-link"
            onFocus={(e) => e.target.select()}
          />
        )}
        {message && (
          <Notice kind={message.kind} testId="results-message">
            {message.text}
          </Notice>
        )}
        {importer}
      </Section>

      {walk && <WalkPanel walk={walk} backtest={evaluation.summary.backtest} />}
      <RunDashboard
        run={evaluation.summary}
        permutation={Object.keys(evaluation.permutation).length ? evaluation.permutation : undefined}
        actions={{
          metrics: (
            <>
              {Object.keys(evaluation.metrics).map((id) => (
                <button
                  key={id}
                  className="btn-secondary"
                  onClick={() =>
                    downloadText(
                      evaluationMetricsJson(evaluation.metrics[id]),
                      `evaluation_metrics_${id}.json`,
                      "application/json",
                    )
                  }
                  data-testid={`metrics-json-${id}`}
                >
                  {id}.json
                </button>
              ))}
            </>
          ),
          importances: models.includes("forest")
            ? btn("importance-csv", "feature_importance.csv", async (signal) =>
                downloadText(
                  await getExportClient().importanceCsv(run.id, run.datasetId, { signal }),
                  "feature_importance.csv",
                  "text/csv",
                ),
              )
            : undefined,
          curves: Object.keys(evaluation.curves).length ? (
            <button
              className="btn-secondary"
              onClick={() => downloadText(curvesCsv(evaluation.curves), "training_curves.csv", "text/csv")}
              data-testid="curves-csv"
            >
              curves CSV
            </button>
          ) : undefined,
          // Trading again re-scores the run's own models on the dataset's labels: a control run's
          // permuted labels and the other seeds' figures would be lost, so it is not offered for them.
          backtest:
            !walk &&
            evaluation.summary.backtest &&
            (evaluation.summary.control || evaluation.summary.seeds ? (
              <p className="text-xs text-slate-500" data-testid="retrade-unavailable">
                {evaluation.summary.control
                  ? "A control run's backtest trades signals learned from shuffled labels; it is kept as trained."
                  : "A run of several seeds trades seed 0's models with the settings it was trained with; train again to change them."}
              </p>
            ) : (
              <BacktestRetrade
                key={run.id}
                runId={run.id}
                evaluation={evaluation}
                busy={busy !== null}
                perform={(name, work) =>
                  void act(name, async () => {
                    const text = await work();
                    await refresh();
                    setMessage({ kind: "ok", text });
                  })
                }
              />
            )),
          confusion: (r) => (
            <button
              className="text-xs text-indigo-700 underline"
              onClick={() =>
                downloadBytes(confusionMatrixPng(r.confusion, { title: r.label }), `confusion_${r.id}.png`, "image/png")
              }
              data-testid={`confusion-png-${r.id}`}
            >
              download PNG
            </button>
          ),
        }}
      />
    </div>
  );
}
