/**
 * Per-sample predictions of a run, so an analyst can recompute every test figure of the dashboard
 * (accuracy, confusion matrices, the backtest) without running a model. Built from the arrays the
 * evaluation itself used: the models' stored probabilities, the ensembles mixed with the weights
 * the run's summary shows (lib/eval's ensembleProbs, as summarizeRun does) and the backtest traded
 * again with the summary's settings (lib/eval's runBacktest, as summarizeRun does).
 *
 * Rows, in time order within each part (column `part`):
 * - "val": validation samples (the learned ensemble weights are chosen on them); no backtest.
 * - "test": test samples, the ones every dashboard figure is computed on.
 * - "backtest": rows of the backtest's equity curve that are no test sample (the label horizon
 *   after the last test sample, where the last trade closes, and any unlabelled row inside the
 *   test period), so the per-bar returns of every bar the Sharpe ratio counts are in the file.
 * - "gap": a candle of the backtest's span missing from the data (an exchange outage, a row the
 *   build dropped): no dataset row (-1, empty in CSV), no close; its bar return is 0 and the
 *   equity is carried, as the backtest counts it (one bar per candle, lib/eval/backtest.ts).
 */
import { CLASS_NAMES, NO_LABEL, NUM_CLASSES } from "../core/classes";
import type { Dataset } from "../core/dataset";
import { barReturns, DEFAULT_BACKTEST_SETTINGS, runBacktest, type BacktestSettings } from "../eval/backtest";
import { ensembleProbs } from "../eval/ensemble";
import { testPositionsBySymbol } from "../core/multi-symbol";
import type { TableColumn } from "./columns";

/** What the table reads of a model's outcome (lib/run ModelOutcome): probabilities [N*4] in split order. */
export interface PredictionsOutcome {
  id: string;
  valProbs: Float32Array;
  testProbs: Float32Array;
}

interface Weight {
  model: string;
  weight: number;
}

/** What the table reads of a run's summary (what the dashboard shows). */
export interface PredictionsSummary {
  results: readonly { id: string; kind: string }[];
  ensemble: { weights: readonly Weight[]; learned?: readonly Weight[] };
  backtest?: {
    /** The result whose signals were traded. */
    model: string;
    feeBps: number;
    longOnly?: boolean;
    minConfidence?: number;
    sizing?: "confidence" | "full";
  };
}

/** Class suffixes of the probability columns, in class order. */
const PROBABILITY_SUFFIXES = CLASS_NAMES.map((c) => `p_${c.toLowerCase()}`);

/** Column prefix of a result's probabilities: its id with "-" as "_" (e.g. "ensemble_learned"). */
const probabilityPrefix = (resultId: string) => resultId.replace(/-/g, "_");

/** The backtest settings a summary shows, as lib/eval takes them (absent fields: the defaults of the time). */
function summaryBacktestSettings(b: NonNullable<PredictionsSummary["backtest"]>): BacktestSettings {
  return {
    longOnly: b.longOnly ?? DEFAULT_BACKTEST_SETTINGS.longOnly,
    minConfidence: b.minConfidence ?? DEFAULT_BACKTEST_SETTINGS.minConfidence,
    sizing: b.sizing ?? DEFAULT_BACKTEST_SETTINGS.sizing,
    feeRate: b.feeBps / 10_000,
  };
}

const weightsOf = (ws: readonly Weight[]) => Object.fromEntries(ws.map((w) => [w.model, w.weight]));

/**
 * One part's class probabilities [N*4] of every model and ensemble of the summary, keyed by
 * result id: the models' stored ones, the ensembles mixed with the weights the summary shows
 * (lib/eval's ensembleProbs, as summarizeRun does). Reads only that part's probabilities.
 * @throws when an outcome is missing or has the wrong number of probabilities for the dataset's part
 */
export function resultProbabilities(
  dataset: Pick<Dataset, "split">,
  outcomes: readonly PredictionsOutcome[],
  summary: Pick<PredictionsSummary, "results" | "ensemble">,
  part: "val" | "test",
): Record<string, Float32Array> {
  const k = NUM_CLASSES;
  const n = dataset.split[part].length;
  const out: Record<string, Float32Array> = {};
  for (const r of summary.results.filter((r) => r.kind === "model")) {
    const o = outcomes.find((x) => x.id === r.id);
    if (!o) throw new Error(`The run's ${r.id} predictions are no longer stored.`);
    const probs = part === "val" ? o.valProbs : o.testProbs;
    if (probs.length !== n * k)
      throw new Error(
        `${o.id}: ${probs.length / k} ${part === "val" ? "validation" : "test"} predictions for ${n} samples of the dataset`,
      );
    out[r.id] = probs;
  }
  const models = Object.keys(out);
  const ensembles: [string, readonly Weight[] | undefined][] = [
    ["ensemble", summary.ensemble.weights],
    ["ensemble-learned", summary.ensemble.learned],
  ];
  for (const [id, weights] of ensembles) {
    if (!summary.results.some((r) => r.id === id)) continue;
    if (!weights) throw new Error(`The run's summary has no weights for ${id}.`);
    out[id] = ensembleProbs(Object.fromEntries(models.map((m) => [m, out[m]])), weightsOf(weights)).probs;
  }
  return out;
}

/**
 * The predictions table of a run. Columns: part, dataset_row, time (ISO), time_ms, symbol, close,
 * label (class index, empty without one), label_name, forward_return (fraction over the label
 * horizon), then per model and ensemble of the summary `<id>_p_strong_sell … <id>_p_strong_buy`,
 * then the traded backtest: position (-1 short, 0 flat, +1 long: held from this close to the
 * next), size (fraction of equity committed at that position's entry, 0 when flat), entry (1 where
 * a trade opened at this close), bar_return (the strategy's return over the bar ending at this
 * close, fees included; the first holds only a possible entry fee) and equity (after this close,
 * starting at 1). Backtest columns are empty (NaN) or 0 on validation rows.
 * @throws when the dataset is not the one the run was evaluated on, or an outcome is missing or
 *   has the wrong number of probabilities.
 */
export function predictionsTable(
  dataset: Dataset,
  outcomes: readonly PredictionsOutcome[],
  summary: PredictionsSummary,
): TableColumn[] {
  const { split } = dataset;
  const k = NUM_CLASSES;
  const val = resultProbabilities(dataset, outcomes, summary, "val");
  const test = resultProbabilities(dataset, outcomes, summary, "test");

  const traded = summary.backtest;
  if (traded && !test[traded.model])
    throw new Error(`The traded result ${traded.model} is not among the run's results.`);
  // A multi-symbol dataset's backtest trades its first symbol's test rows (as summarizeRun does).
  const firstSymbol = testPositionsBySymbol(dataset)?.[0];
  const tradedEnds = firstSymbol ? Int32Array.from(firstSymbol, (i) => split.test[i]) : split.test;
  const tradedProbs = (probs: Float32Array) =>
    firstSymbol
      ? Float32Array.from(
          { length: firstSymbol.length * k },
          (_, j) => probs[firstSymbol[Math.floor(j / k)] * k + (j % k)],
        )
      : probs;
  const bt =
    traded &&
    runBacktest(
      dataset.closes,
      dataset.times,
      tradedEnds,
      tradedProbs(test[traded.model]),
      dataset.labelSpec.horizon,
      summaryBacktestSettings(traded),
    );

  // Rows: validation samples, then every candle of the backtest's span, a candle missing from the
  // data included as dataset row -1 so there is one bar per candle as the backtest counts them
  // (or the test samples alone), then the test samples after it (the other symbols' blocks of a
  // multi-symbol dataset, whose backtest trades its first symbol).
  let lastTraded = -1;
  if (bt) for (const r of bt.rows) if (r > lastTraded) lastTraded = r;
  const testRows = bt ? Int32Array.from([...bt.rows, ...split.test.filter((t) => t > lastTraded)]) : split.test.slice();
  const n = split.val.length + testRows.length;
  const rows = new Int32Array(n);
  rows.set(split.val);
  rows.set(testRows, split.val.length);
  const part: string[] = new Array<string>(n);
  /** Index into a part's probabilities, -1 for backtest-only rows. */
  const sample = new Int32Array(n).fill(-1);
  for (let i = 0; i < split.val.length; i++) {
    part[i] = "val";
    sample[i] = i;
  }
  for (let i = split.val.length, s = 0; i < n; i++) {
    const isSample = s < split.test.length && split.test[s] === rows[i];
    part[i] = rows[i] < 0 ? "gap" : isSample ? "test" : "backtest";
    if (isSample) sample[i] = s++;
  }

  const labels = Int8Array.from(rows, (r) => (r < 0 ? NO_LABEL : dataset.labels[r]));
  const times = Float64Array.from(rows, (r, i) => (r < 0 ? bt!.times[i - split.val.length] : dataset.times[r]));
  const columns: TableColumn[] = [
    { name: "part", kind: "text", values: part },
    { name: "dataset_row", kind: "int", values: rows, missing: -1 },
    { name: "time", kind: "time", values: times },
    { name: "time_ms", kind: "int64", values: times },
    {
      name: "symbol",
      kind: "text",
      values: Array.from(rows, (r) =>
        dataset.symbols && dataset.rowSymbol ? dataset.symbols[r < 0 ? 0 : dataset.rowSymbol[r]] : dataset.symbol,
      ),
    },
    { name: "close", kind: "float", values: Float64Array.from(rows, (r) => (r < 0 ? NaN : dataset.closes[r])) },
    { name: "label", kind: "int", values: labels, missing: NO_LABEL },
    { name: "label_name", kind: "text", values: Array.from(labels, (y) => (y === NO_LABEL ? "" : CLASS_NAMES[y])) },
    {
      name: "forward_return",
      kind: "float",
      values: Float32Array.from(rows, (r) => (r < 0 ? NaN : dataset.forwardReturns[r])),
    },
  ];

  for (const id of Object.keys(test)) {
    const cols = PROBABILITY_SUFFIXES.map(() => new Float32Array(n).fill(NaN));
    for (let i = 0; i < n; i++) {
      const s = sample[i];
      if (s < 0) continue;
      const probs = part[i] === "val" ? val[id] : test[id];
      for (let c = 0; c < k; c++) cols[c][i] = probs[s * k + c];
    }
    PROBABILITY_SUFFIXES.forEach((suffix, c) =>
      columns.push({ name: `${probabilityPrefix(id)}_${suffix}`, kind: "float", values: cols[c] }),
    );
  }

  const position = new Int8Array(n);
  const size = new Float64Array(n);
  const entry = new Uint8Array(n);
  const barReturn = new Float64Array(n).fill(NaN);
  const equity = new Float64Array(n).fill(NaN);
  if (bt) {
    const first = split.val.length; // table index of the backtest's candle j is first + j
    const candleOfRow = new Map<number, number>();
    bt.rows.forEach((r, j) => r >= 0 && candleOfRow.set(r, j));
    barReturn.set(barReturns(bt.equity), first);
    equity.set(bt.equity, first);
    for (const t of bt.trades) {
      const from = candleOfRow.get(t.entryRow)!;
      const to = candleOfRow.get(t.exitRow)!;
      entry[first + from] = 1;
      for (let j = from; j < to; j++) {
        position[first + j] = t.direction;
        size[first + j] = t.size;
      }
    }
  }
  columns.push(
    { name: "position", kind: "int", values: position },
    { name: "size", kind: "float", values: size },
    { name: "entry", kind: "int", values: entry },
    { name: "bar_return", kind: "float", values: barReturn },
    { name: "equity", kind: "float", values: equity },
  );
  return columns;
}
