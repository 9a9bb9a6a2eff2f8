"use client";

import { useEffect, useMemo, useState } from "react";
import type { FeatureSpec, LabelSpec } from "@/lib/core/dataset";
import {
  buildableIntervals,
  defaultBuildSpec,
  defaultTimeframesFor,
  HORIZON_RANGE,
  timeframeSources,
  timeframesFromOtherSeries,
  validateBuildSpec,
  WINDOW_RANGE,
  type SeriesCoverage,
} from "@/lib/core/build-spec";
import { seriesId } from "@/lib/core/candles";
import { buildPreset } from "@/lib/core/features";
import { intervalMs, type Interval } from "@/lib/core/intervals";
import { DEFAULT_FIT_TARGET } from "@/lib/core/thresholds";
import type { QualityReport } from "@/lib/core/quality";
import type { SeriesRecord } from "@/lib/db";
import type { AltMode } from "@/lib/jobs/dataset/build-from-store";
import { DEFAULT_FEAR_GREED_BASE_URL, DEFAULT_FUTURES_BASE_URL } from "@/lib/sources/binance/alt";
import { getDatasetClient } from "@/lib/jobs/dataset/client";
import { isAbortError } from "@/lib/jobs/bridge";
import { Notice } from "../Notice";
import { StartCancelButtons } from "../StartCancelButtons";
import { useAbortable } from "../useAbortable";
import { errorMessage } from "../useStudioData";
import { ClassBalance } from "./ClassBalance";
import { FeatureEditor } from "./FeatureEditor";

interface SourceOption {
  key: string;
  source: SeriesRecord["source"];
  symbol: string;
  intervals: Interval[];
  coverage: Partial<Record<Interval, SeriesCoverage>>;
}

function sourceOptions(series: SeriesRecord[]): SourceOption[] {
  const map = new Map<string, SourceOption>();
  for (const s of series) {
    const key = `${s.source}:${s.symbol}`;
    const o = map.get(key) ?? { key, source: s.source, symbol: s.symbol, intervals: [], coverage: {} };
    if (s.count > 0) {
      o.intervals.push(s.interval);
      o.coverage[s.interval] = { first: s.first, last: s.last };
    }
    map.set(key, o);
  }
  return [...map.values()].filter((o) => o.intervals.length > 0);
}

/** A fraction as the percent the form shows (0.15 → 15, not 15.000000000000002). */
const toPct = (f: number) => +(f * 100).toFixed(6);

export function BuildForm({
  series,
  onBuilt,
}: {
  series: SeriesRecord[];
  onBuilt: (id: string, quality: QualityReport, notes: string[]) => void;
}) {
  const options = useMemo(() => sourceOptions(series), [series]);
  const [sourceKey, setSourceKey] = useState<string>("");
  const source = options.find((o) => o.key === sourceKey) ?? options[0];
  const tfOptions = useMemo(() => (source ? buildableIntervals(source.intervals) : []), [source]);
  const [defaults] = useState(defaultBuildSpec);
  const [base, setBase] = useState<Interval>(defaults.baseInterval);
  const [timeframes, setTimeframes] = useState<Interval[]>(defaults.timeframes);
  const [features, setFeatures] = useState<FeatureSpec[]>(defaults.features);
  const [enabled, setEnabled] = useState<boolean[]>(() => features.map(() => true));
  const [label, setLabel] = useState<LabelSpec>(defaults.labelSpec);
  const [window, setWindow] = useState(defaults.window);
  const [split, setSplit] = useState({
    train: toPct(defaults.splitSpec.train),
    val: toPct(defaults.splitSpec.val),
    test: toPct(defaults.splitSpec.test),
  });
  const [altMode, setAltMode] = useState<AltMode["mode"]>("synthetic");
  const [seed, setSeed] = useState("42");
  const [futuresUrl, setFuturesUrl] = useState(DEFAULT_FUTURES_BASE_URL);
  const [fngUrl, setFngUrl] = useState(DEFAULT_FEAR_GREED_BASE_URL);
  const [name, setName] = useState("");
  const [aggregateFromBase, setAggregateFromBase] = useState(false);
  const [pool, setPool] = useState<string[]>([]);
  const [poolNormalization, setPoolNormalization] = useState<"pooled" | "per-symbol">("pooled");
  const [symbolOneHot, setSymbolOneHot] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [cancelled, setCancelled] = useState(false);
  const task = useAbortable();

  // A new source picks sensible timeframes and the matching feature preset.
  useEffect(() => {
    if (!source) return;
    const d = defaultTimeframesFor(buildableIntervals(source.intervals));
    setBase(d.base);
    setTimeframes(d.timeframes);
    const preset = buildPreset(d.timeframes);
    setFeatures(preset);
    setEnabled(preset.map(() => true));
    setAltMode(source.source === "synthetic" ? "synthetic" : "fetch");
    setPool([]);
  }, [source]);

  const changeTimeframes = (tfs: Interval[]) => {
    setTimeframes(tfs);
    const preset = buildPreset(tfs);
    setFeatures(preset);
    setEnabled(preset.map(() => true));
  };

  const baseSeriesId =
    source && source.intervals.includes(base)
      ? seriesId({ source: source.source, symbol: source.symbol, interval: base })
      : null;
  const chosen = features.filter((_, i) => enabled[i]);
  const spec = {
    baseInterval: base,
    timeframes,
    features: chosen,
    labelSpec: label,
    splitSpec: { train: split.train / 100, val: split.val / 100, test: split.test / 100 },
    window,
    aggregateFromBase,
  };
  const fromOthers = source
    ? timeframesFromOtherSeries(base, timeframes, source.intervals, source.coverage, source.source === "file")
    : [];
  const plans = source ? timeframeSources(base, timeframes, source.intervals, aggregateFromBase) : [];
  // Other symbols of the same source that can be pooled into one multi-symbol dataset.
  const poolOptions = options.filter((o) => source && o.source === source.source && o.symbol !== source.symbol);
  const pooled = poolOptions.filter((o) => pool.includes(o.symbol));
  // The same check the dataset worker runs (for every pooled symbol): what it would refuse is shown here first.
  const issues = [
    ...validateBuildSpec(spec, source?.intervals).issues,
    ...pooled.flatMap((o) => validateBuildSpec(spec, o.intervals).issues.map((m) => `${o.symbol}: ${m}`)),
  ];

  async function build(e: React.FormEvent) {
    e.preventDefault();
    if (!source || issues.length > 0) return;
    setError(null);
    setCancelled(false);
    setBusy(true);
    const signal = task.begin();
    try {
      const alt: AltMode =
        altMode === "none"
          ? { mode: "none" }
          : altMode === "synthetic"
            ? { mode: "synthetic", seed }
            : altMode === "stored"
              ? { mode: "stored" }
              : { mode: "fetch", futuresBaseUrl: futuresUrl, fearGreedBaseUrl: fngUrl };
      const result = await getDatasetClient().build(
        {
          ...spec,
          source: source.source,
          symbol: source.symbol,
          name:
            name ||
            `${[source.symbol, ...pooled.map((o) => o.symbol)].join(" + ")} ${timeframes.join("/")} ${chosen.length}f`,
          alt,
          ...(pooled.length > 0
            ? { poolSymbols: pooled.map((o) => o.symbol), normalization: poolNormalization, symbolOneHot }
            : {}),
        },
        { signal },
      );
      onBuilt(result.summary.id, result.quality, result.notes);
    } catch (err) {
      if (isAbortError(err)) setCancelled(true);
      else setError(errorMessage(err));
    }
    setBusy(false);
  }

  if (options.length === 0)
    return (
      <p className="text-sm text-slate-500">
        No candles stored yet: collect, import or generate them on the Data page.
      </p>
    );
  const num = (v: string) => Number(v);
  return (
    <form className="space-y-4" onSubmit={build} aria-label="Build dataset">
      <div className="flex flex-wrap gap-4">
        <label className="space-y-1">
          <span className="label">Series</span>
          <select
            className="input block"
            name="source"
            value={source?.key}
            onChange={(e) => setSourceKey(e.target.value)}
          >
            {options.map((o) => (
              <option key={o.key} value={o.key}>
                {o.symbol} ({o.source}
                {o.source === "synthetic" ? ": SYNTHETIC" : ""}; {o.intervals.join(", ")})
              </option>
            ))}
          </select>
        </label>
        {poolOptions.length > 0 && (
          <fieldset data-testid="pool-symbols">
            <legend className="label">Pool with</legend>
            <div className="mt-1 flex flex-wrap gap-2">
              {poolOptions.map((o) => (
                <label key={o.key} className="flex items-center gap-1 text-sm">
                  <input
                    type="checkbox"
                    name={`pool-${o.symbol}`}
                    checked={pool.includes(o.symbol)}
                    onChange={() =>
                      setPool(pool.includes(o.symbol) ? pool.filter((x) => x !== o.symbol) : [...pool, o.symbol])
                    }
                  />
                  {o.symbol}
                </label>
              ))}
            </div>
            {pooled.length > 0 && (
              <div className="mt-1 flex flex-wrap items-center gap-2 text-sm">
                <select
                  className="input"
                  name="poolNormalization"
                  value={poolNormalization}
                  onChange={(e) => setPoolNormalization(e.target.value as "pooled" | "per-symbol")}
                  aria-label="normalisation"
                >
                  <option value="pooled">normalise pooled</option>
                  <option value="per-symbol">normalise per symbol</option>
                </select>
                <label className="flex items-center gap-1">
                  <input type="checkbox" checked={symbolOneHot} onChange={(e) => setSymbolOneHot(e.target.checked)} />
                  symbol one-hot
                </label>
                <span className="text-xs text-slate-500">
                  One split by time for all symbols: every symbol is tested on the same period.
                </span>
              </div>
            )}
          </fieldset>
        )}
        <label className="space-y-1">
          <span className="label">Base timeframe</span>
          <select className="input block" value={base} onChange={(e) => setBase(e.target.value as Interval)}>
            {timeframes.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend className="label">Timeframes</legend>
          <div className="mt-1 flex flex-wrap gap-2">
            {tfOptions.map((t) => (
              <label key={t} className="flex items-center gap-1 text-sm">
                <input
                  type="checkbox"
                  checked={timeframes.includes(t)}
                  onChange={() =>
                    changeTimeframes(
                      timeframes.includes(t)
                        ? timeframes.filter((x) => x !== t)
                        : [...timeframes, t].sort((a, b) => intervalMs(a) - intervalMs(b)),
                    )
                  }
                />
                {t}
              </label>
            ))}
          </div>
        </fieldset>
        <label className="space-y-1">
          <span className="label">Window</span>
          <input
            className="input block w-20"
            type="number"
            min={WINDOW_RANGE.min}
            max={WINDOW_RANGE.max}
            value={window}
            onChange={(e) => setWindow(num(e.target.value))}
          />
        </label>
      </div>
      {source && (
        <p className="text-xs text-slate-500" data-testid="built-from">
          Built from:{" "}
          {plans
            .map((p, i) =>
              !p
                ? `${timeframes[i]} (nothing stored can build it)`
                : p.from === p.timeframe
                  ? `${p.timeframe} from its stored ${source.source} series`
                  : `${p.timeframe} aggregated from the stored ${p.from}${p.fromBase ? " (base)" : ""} series`,
            )
            .join(" · ")}
        </p>
      )}
      {(fromOthers.length > 0 || aggregateFromBase) && (
        <Notice kind="warning" testId="other-series">
          {fromOthers.length > 0 ? (
            <>
              {fromOthers.join(", ")} would be read from stored series of their own
              {source?.source === "file" ? " (another file than the base's)" : ", covering other dates than the base's"}
              : where their dates or prices differ from the base {base} series, rows are dropped for want of an aligned
              candle.
            </>
          ) : (
            <>Every timeframe coarser than {base} is aggregated from the base series.</>
          )}{" "}
          <label className="ml-1 inline-flex items-center gap-1">
            <input
              type="checkbox"
              name="aggregateFromBase"
              checked={aggregateFromBase}
              onChange={(e) => setAggregateFromBase(e.target.checked)}
            />
            aggregate them from the base {base} series instead
          </label>
        </Notice>
      )}
      <FeatureEditor
        features={features}
        enabled={enabled}
        onChange={(f, en) => {
          setFeatures(f);
          setEnabled(en);
        }}
      />
      <div className="grid gap-4 md:grid-cols-2">
        <div className="space-y-2">
          <h3 className="text-sm font-medium">Labels</h3>
          <div className="flex flex-wrap gap-3">
            <label className="space-y-1">
              <span className="label">Horizon (candles)</span>
              <input
                className="input block w-20"
                type="number"
                min={HORIZON_RANGE.min}
                max={HORIZON_RANGE.max}
                value={label.horizon}
                onChange={(e) => setLabel({ ...label, horizon: num(e.target.value) })}
              />
            </label>
            <label className="space-y-1">
              <span className="label">Strong %</span>
              <input
                className="input block w-20"
                type="number"
                step={0.1}
                name="strong"
                value={+(label.strong * 100).toFixed(3)}
                onChange={(e) => setLabel({ ...label, strong: num(e.target.value) / 100 })}
              />
            </label>
            <label className="space-y-1">
              <span className="label">Weak %</span>
              <input
                className="input block w-20"
                type="number"
                step={0.1}
                name="weak"
                value={+(label.weak * 100).toFixed(3)}
                onChange={(e) => setLabel({ ...label, weak: num(e.target.value) / 100 })}
              />
            </label>
            <label className="space-y-1">
              <span className="label">Inside ±weak</span>
              <select
                className="input block"
                value={label.weakZone}
                onChange={(e) => setLabel({ ...label, weakZone: e.target.value as LabelSpec["weakZone"] })}
              >
                <option value="sign">BUY/SELL by sign</option>
                <option value="exclude">exclude</option>
              </select>
            </label>
            <label className="flex items-center gap-1 self-end text-sm">
              <input
                type="checkbox"
                checked={label.atrScaled}
                onChange={(e) => setLabel({ ...label, atrScaled: e.target.checked })}
              />{" "}
              scale by ATR
            </label>
            <label className="flex items-center gap-1 self-end text-sm">
              <input
                type="checkbox"
                name="fitThresholds"
                checked={label.fitTarget !== undefined}
                onChange={(e) =>
                  setLabel(
                    e.target.checked ? { ...label, fitTarget: DEFAULT_FIT_TARGET } : { ...label, fitTarget: undefined },
                  )
                }
              />{" "}
              fit thresholds
            </label>
            {label.fitTarget !== undefined && (
              <label className="space-y-1">
                <span className="label">Rarest class ≥ %</span>
                <input
                  className="input block w-20"
                  type="number"
                  name="fitTarget"
                  step={1}
                  value={toPct(label.fitTarget)}
                  onChange={(e) => setLabel({ ...label, fitTarget: num(e.target.value) / 100 })}
                />
              </label>
            )}
          </div>
          {label.fitTarget !== undefined && (
            <p className="text-xs text-slate-500">
              Strong and weak are chosen from the training part&apos;s forward returns (the largest that give the rarest
              class this share; weak keeps its ratio to strong) and saved with the dataset.
            </p>
          )}
          <ClassBalance seriesId={baseSeriesId} interval={base} spec={label} window={window} split={spec.splitSpec} />
        </div>
        <div className="space-y-2">
          <h3 className="text-sm font-medium">Split (chronological, purged)</h3>
          <div className="flex gap-3">
            {(["train", "val", "test"] as const).map((k) => (
              <label key={k} className="space-y-1">
                <span className="label">{k} %</span>
                <input
                  className="input block w-20"
                  type="number"
                  value={split[k]}
                  onChange={(e) => setSplit({ ...split, [k]: num(e.target.value) })}
                />
              </label>
            ))}
          </div>
          <p className="text-xs text-slate-500">
            Purge {label.horizon} rows (the label horizon) and embargo {window} rows (the window) between parts: no
            label and no window crosses a boundary. Normalisation is fitted on the training rows only.
          </p>
          <h3 className="pt-2 text-sm font-medium">Alternative data</h3>
          <select
            className="input"
            value={altMode}
            onChange={(e) => setAltMode(e.target.value as AltMode["mode"])}
            name="altMode"
          >
            <option value="fetch">Stored, then fetch what is missing (funding, Fear &amp; Greed, keyed sources)</option>
            <option value="stored">Stored only (imported or fetched on the Data page)</option>
            <option value="synthetic">Synthetic funding and Fear &amp; Greed (synthetic market)</option>
            <option value="none">None: neutral fallbacks (recorded)</option>
          </select>
          {altMode === "synthetic" && (
            <label className="ml-2 text-sm">
              seed <input className="input w-20" value={seed} onChange={(e) => setSeed(e.target.value)} />
            </label>
          )}
          {altMode === "fetch" && (
            <div className="space-y-1 text-sm">
              <input
                className="input w-full"
                value={futuresUrl}
                onChange={(e) => setFuturesUrl(e.target.value)}
                name="futuresUrl"
                aria-label="futures base URL"
              />
              <input
                className="input w-full"
                value={fngUrl}
                onChange={(e) => setFngUrl(e.target.value)}
                name="fngUrl"
                aria-label="Fear and Greed base URL"
              />
            </div>
          )}
          <p className="text-xs text-slate-500">
            On-chain and sentiment use neutral fallbacks until their key is set on the Data page; the dataset records
            every fallback, and real candles with synthetic alternative data are marked.
          </p>
        </div>
      </div>
      <div className="flex items-end gap-3">
        <label className="space-y-1">
          <span className="label">Name</span>
          <input
            className="input block w-72"
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="optional"
            name="datasetName"
          />
        </label>
        <StartCancelButtons
          label={busy ? "Building…" : "Build dataset"}
          running={busy}
          onCancel={task.cancel}
          className="flex gap-2"
          startDisabled={issues.length > 0}
        />
      </div>
      {issues.length > 0 && (
        <Notice kind="warning" testId="build-issues">
          <ul className="space-y-0.5">
            {issues.map((m) => (
              <li key={m}>{m}</li>
            ))}
          </ul>
        </Notice>
      )}
      {cancelled && (
        <Notice kind="info" testId="build-cancelled">
          Build cancelled: nothing was saved.
        </Notice>
      )}
      {error && (
        <Notice kind="error" testId="build-error">
          {error}
        </Notice>
      )}
    </form>
  );
}
