"use client";

import { useEffect, useRef, useState } from "react";
import { describeRowReport, seriesId } from "@/lib/core/candles";
import { formatDuration, formatInt } from "@/lib/core/format";
import { INTERVALS, intervalMs, type Interval } from "@/lib/core/intervals";
import { getStudioDb, listResumableJobs, saveSettings, type JobRecord, type TimeRange } from "@/lib/db";
import {
  BINANCE_BASE_URLS,
  normalizeSymbol,
  validateBaseUrl,
  validateRange,
  validateSymbol,
} from "@/lib/sources/binance/validate";
import { getCollectClient, type CollectProgress } from "@/lib/jobs/collect/client";
import { rejectedNote } from "@/lib/jobs/collect/progress";
import { Notice } from "../Notice";
import { StartCancelButtons } from "../StartCancelButtons";
import { ProgressBar } from "../ProgressBar";
import { errorMessage, useSettings } from "../useStudioData";
import { parseDateInput } from "./dates";

interface SeriesState {
  id: string;
  label: string;
  progress?: CollectProgress;
  status: "queued" | "running" | "done" | "cancelled" | "error";
  message?: string;
}

const DEFAULT_INTERVALS: Interval[] = ["15m", "1h", "4h"];

/** Binance collection form, per-series progress and resumable jobs. */
export function CollectPanel({ onStored, onStart }: { onStored: () => void; onStart?: () => void }) {
  const { settings, setSettings } = useSettings();
  const [symbols, setSymbols] = useState("BTCUSDT");
  const [start, setStart] = useState("2022-01-01");
  const [end, setEnd] = useState("2024-01-01");
  const [intervals, setIntervals] = useState<Interval[]>(DEFAULT_INTERVALS);
  const [baseUrl, setBaseUrl] = useState("");
  const [errors, setErrors] = useState<string[]>([]);
  const [rows, setRows] = useState<SeriesState[]>([]);
  const [retryNote, setRetryNote] = useState<string | null>(null);
  const [resumable, setResumable] = useState<JobRecord[]>([]);
  const abort = useRef<AbortController | null>(null);
  const running = rows.some((r) => r.status === "running" || r.status === "queued");

  useEffect(() => {
    if (settings && baseUrl === "") setBaseUrl(settings.binanceBaseUrl);
  }, [settings, baseUrl]);
  useEffect(() => {
    void listResumableJobs(getStudioDb()).then(setResumable);
  }, [rows]);

  const update = (id: string, patch: Partial<SeriesState>) =>
    setRows((rs) => rs.map((r) => (r.id === id ? { ...r, ...patch } : r)));

  async function runJobs(
    jobs: { key: { source: "binance"; symbol: string; interval: Interval }; range: TimeRange; jobId?: string }[],
    url: string,
  ) {
    const ctrl = new AbortController();
    abort.current = ctrl;
    onStart?.();
    setRows(jobs.map((j) => ({ id: seriesId(j.key), label: `${j.key.symbol} ${j.key.interval}`, status: "queued" })));
    const client = getCollectClient();
    for (const job of jobs) {
      const id = seriesId(job.key);
      if (ctrl.signal.aborted) {
        update(id, { status: "cancelled", message: "Cancelled before it started." });
        continue;
      }
      update(id, { status: "running" });
      try {
        const result = await client.collect(
          { key: job.key, range: job.range, jobId: job.jobId, baseUrl: url },
          {
            signal: ctrl.signal,
            onProgress: (p) => update(id, { progress: p }),
            onRetry: (n) =>
              setRetryNote(
                `${job.key.symbol} ${job.key.interval}: ${n.message} Retrying in ${formatDuration(n.delayMs / 1000)} (attempt ${n.attempt}).`,
              ),
          },
        );
        setRetryNote(null);
        const gaps = result.gaps.length;
        const rejected = [rejectedNote(result.progress, job.key.interval), describeRowReport(result.rows)]
          .filter(Boolean)
          .join(" ");
        update(id, {
          status: result.state === "done" ? "done" : "cancelled",
          progress: result.progress,
          message:
            result.state === "done"
              ? `${formatInt(result.progress.added)} new candles, ${formatInt(result.progress.stored)} stored${gaps ? `, ${gaps} gap${gaps > 1 ? "s" : ""} at the exchange (listed below, not filled)` : ""}.${rejected ? ` ${rejected}` : ""}`
              : "Cancelled: what was stored stays; resume any time.",
        });
      } catch (e) {
        setRetryNote(null);
        const name = (e as Error)?.name;
        update(id, {
          status: name === "AbortError" ? "cancelled" : "error",
          message: name === "AbortError" ? "Cancelled: what was stored stays; resume any time." : errorMessage(e),
        });
        // An invalid symbol fails every interval of that symbol the same way: skip them.
        if ((e as { kind?: string }).kind === "invalid-symbol") {
          for (const other of jobs)
            if (other.key.symbol === job.key.symbol && other !== job)
              update(seriesId(other.key), { status: "error", message: errorMessage(e) });
          jobs = jobs.filter((j) => j.key.symbol !== job.key.symbol);
        }
      }
      onStored();
    }
    abort.current = null;
  }

  async function onCollect(e: React.FormEvent) {
    e.preventDefault();
    const syms = [
      ...new Set(
        symbols
          .split(/[,\s]+/)
          .filter(Boolean)
          .map(normalizeSymbol),
      ),
    ];
    const startMs = parseDateInput(start);
    const endMs = parseDateInput(end);
    const problems: string[] = [];
    if (syms.length === 0) problems.push("Enter at least one symbol, e.g. BTCUSDT.");
    for (const s of syms) {
      const m = validateSymbol(s);
      if (m) problems.push(m);
    }
    if (intervals.length === 0) problems.push("Choose at least one interval.");
    const rangeProblem = validateRange(startMs, endMs, intervals[0] ?? "1h");
    if (rangeProblem) problems.push(rangeProblem);
    const urlProblem = validateBaseUrl(baseUrl);
    if (urlProblem) problems.push(urlProblem);
    setErrors(problems);
    if (problems.length > 0) return;
    if (settings && settings.binanceBaseUrl !== baseUrl)
      setSettings(await saveSettings(getStudioDb(), { binanceBaseUrl: baseUrl }));
    const jobs = syms.flatMap((symbol) =>
      intervals.map((interval) => ({
        key: { source: "binance" as const, symbol, interval },
        // Open times of the first and last candle: the end date itself is excluded.
        range: { from: startMs, to: endMs - intervalMs(interval) },
      })),
    );
    await runJobs(jobs, baseUrl);
  }

  function toggle(i: Interval) {
    setIntervals((cur) =>
      cur.includes(i) ? cur.filter((x) => x !== i) : [...cur, i].sort((a, b) => intervalMs(a) - intervalMs(b)),
    );
  }

  return (
    <div className="space-y-4">
      <form onSubmit={onCollect} className="grid gap-3 md:grid-cols-2" aria-label="Collect from Binance">
        <label className="space-y-1">
          <span className="label">Symbols (comma separated)</span>
          <input className="input w-full" name="symbols" value={symbols} onChange={(e) => setSymbols(e.target.value)} />
        </label>
        <label className="space-y-1">
          <span className="label">Base URL</span>
          <input
            className="input w-full"
            name="baseUrl"
            list="base-urls"
            value={baseUrl}
            onChange={(e) => setBaseUrl(e.target.value)}
          />
          <datalist id="base-urls">
            {BINANCE_BASE_URLS.map((u) => (
              <option key={u} value={u} />
            ))}
          </datalist>
        </label>
        <label className="space-y-1">
          <span className="label">Start (UTC)</span>
          <input
            className="input w-full"
            type="date"
            name="start"
            value={start}
            onChange={(e) => setStart(e.target.value)}
          />
        </label>
        <label className="space-y-1">
          <span className="label">End (UTC, exclusive)</span>
          <input className="input w-full" type="date" name="end" value={end} onChange={(e) => setEnd(e.target.value)} />
        </label>
        <fieldset className="md:col-span-2">
          <legend className="label">Intervals</legend>
          <div className="mt-1 flex flex-wrap gap-3">
            {INTERVALS.map((i) => (
              <label key={i} className="flex items-center gap-1 text-sm">
                <input
                  type="checkbox"
                  checked={intervals.includes(i)}
                  onChange={() => toggle(i)}
                  aria-label={`interval ${i}`}
                />{" "}
                {i}
              </label>
            ))}
          </div>
        </fieldset>
        <StartCancelButtons
          label="Collect"
          running={running}
          onCancel={() => abort.current?.abort()}
          className="flex gap-2 md:col-span-2"
        />
      </form>
      {errors.length > 0 && (
        <Notice kind="error" testId="collect-errors">
          <ul>
            {errors.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </Notice>
      )}
      {retryNote && (
        <Notice kind="warning" testId="retry-note">
          {retryNote}
        </Notice>
      )}
      {rows.length > 0 && (
        <div className="space-y-3" data-testid="collect-progress">
          {rows.map((r) => (
            <div key={r.id} data-testid={`collect-${r.id}`} data-status={r.status}>
              <ProgressBar
                value={r.status === "done" ? 1 : (r.progress?.fraction ?? 0)}
                label={`${r.label} · ${r.status}`}
                detail={
                  r.progress
                    ? `${formatInt(r.progress.stored)} / ${formatInt(r.progress.expected)} candles · ${r.progress.requests} requests${r.progress.etaMs !== null && r.status === "running" ? ` · ETA ${formatDuration(r.progress.etaMs / 1000)}` : ""}`
                    : ""
                }
              />
              {r.message && (
                <p className={`mt-1 text-xs ${r.status === "error" ? "text-red-700" : "text-slate-600"}`}>
                  {r.message}
                </p>
              )}
            </div>
          ))}
        </div>
      )}
      {!running && resumable.length > 0 && (
        <Notice kind="info" testId="resumable-jobs">
          <p className="font-medium">Unfinished collections (stopped by a reload, a cancel or an error):</p>
          <ul className="mt-1 space-y-1">
            {resumable.map((j) => (
              <li key={j.id} className="flex items-center gap-2">
                <span>
                  {j.key.symbol} {j.key.interval}: {formatInt(j.progress.stored)} / {formatInt(j.progress.expected)}{" "}
                  candles
                </span>
              </li>
            ))}
          </ul>
          <button
            className="btn mt-2"
            type="button"
            onClick={() =>
              void runJobs(
                resumable.map((j) => ({
                  key: { source: "binance" as const, symbol: j.key.symbol, interval: j.key.interval },
                  range: j.range,
                  jobId: j.id,
                })),
                baseUrl || settings?.binanceBaseUrl || BINANCE_BASE_URLS[0],
              )
            }
          >
            Resume all
          </button>
        </Notice>
      )}
    </div>
  );
}
