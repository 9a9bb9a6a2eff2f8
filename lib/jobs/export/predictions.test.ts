import "fake-indexeddb/auto";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Dataset } from "@/lib/core/dataset";
import { evaluationMetricsJson } from "@/lib/eval/report";
import { retradeRun } from "@/lib/run/retrade";
import { hasPythonModule } from "@/test/python";
import { storeRunFixture } from "@/test/stored-run";
import type { RunEvaluation } from "../../run/types";
import { runPredictionsCsv, runPredictionsNpz, runQualityReportJson } from "./export-run";

const numpy = hasPythonModule("numpy");
if (!numpy) console.warn("predictions.test: python3 with numpy not found; skipping check_predictions.py");

/** A CSV reader for this file only: no quoted fields (the file has none), header → column arrays. */
function parseCsv(text: string): Record<string, string[]> {
  const [header, ...lines] = text.trimEnd().split("\n");
  const names = header.split(",");
  const cols: Record<string, string[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const line of lines) {
    expect(line).not.toContain('"');
    const cells = line.split(",");
    expect(cells.length).toBe(names.length);
    names.forEach((n, j) => cols[n].push(cells[j]));
  }
  return cols;
}

const CLASSES = ["strong_sell", "sell", "buy", "strong_buy"];
const num = (s: string) => (s === "" ? NaN : Number(s));

/**
 * Every test figure of the dashboard, recomputed from predictions.csv alone (the backtest's
 * settings as the dashboard shows them): nothing here calls lib/eval.
 */
function recompute(
  csv: Record<string, string[]>,
  resultIds: string[],
  b: NonNullable<RunEvaluation["summary"]["backtest"]>,
  horizon: number,
) {
  const test = csv.part.map((p, i) => (p === "test" ? i : -1)).filter((i) => i >= 0);
  const probsOf = (id: string, i: number) => CLASSES.map((c) => num(csv[`${id.replace(/-/g, "_")}_p_${c}`][i]));
  const argmax = (p: number[]) => p.reduce((best, v, c) => (v > p[best] ? c : best), 0);
  const classification = Object.fromEntries(
    resultIds.map((id) => {
      const confusion = CLASSES.map(() => CLASSES.map(() => 0));
      for (const i of test) confusion[Number(csv.label[i])][argmax(probsOf(id, i))]++;
      const correct = confusion.reduce((a, row, c) => a + row[c], 0);
      return [id, { accuracy: correct / test.length, confusion }];
    }),
  );

  // The backtest, traded again by its documented rules over the rows of its span.
  const span = csv.part.map((p, i) => (p === "val" ? -1 : i)).filter((i) => i >= 0);
  const close = span.map((i) => num(csv.close[i]));
  const fee = b.feeBps / 10_000;
  const minConfidence = b.minConfidence ?? 0.4;
  const equity: number[] = [];
  const held: { position: number; size: number; entry: number }[] = [];
  let cash = 1;
  let trades = 0;
  let open: { j: number; dir: number; size: number; notional: number; afterFee: number } | null = null;
  for (let j = 0; j < span.length; j++) {
    const i = span[j];
    let entry = 0;
    if (open && open.j + horizon === j) {
      const rel = close[j] / close[open.j];
      cash = open.afterFee + open.dir * open.notional * (rel - 1) - fee * open.notional * rel;
      open = null;
    }
    if (!open && csv.part[i] === "test" && j + horizon <= span.length - 1) {
      const p = probsOf(b.model, i);
      const pred = argmax(p);
      const conf = p[pred] / p.reduce((a, v) => a + v, 0);
      const dir = pred >= 2 ? 1 : -1;
      const size = b.sizing === "full" ? 1 : Math.min(1, Math.max(0, (conf - 0.25) / 0.75));
      if (conf >= minConfidence && size > 0 && !(b.longOnly && dir < 0)) {
        open = { j, dir, size, notional: size * cash, afterFee: cash - fee * size * cash };
        trades++;
        entry = 1;
      }
    }
    equity.push(open ? open.afterFee + open.dir * open.notional * (close[j] / close[open.j] - 1) : cash);
    held.push({ position: open?.dir ?? 0, size: open?.size ?? 0, entry });
  }
  const returns = equity.map((e, j) => e / (j === 0 ? 1 : equity[j - 1]) - 1);
  const mean = returns.reduce((a, r) => a + r, 0) / returns.length;
  const sd = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (returns.length - 1));
  const steps = span
    .slice(1)
    .map((i, j) => num(csv.time_ms[i]) - num(csv.time_ms[span[j]]))
    .sort((x, y) => x - y);
  const barMs = steps[steps.length >> 1];
  const sharpe = sd > 1e-15 ? (mean / sd) * Math.sqrt((365 * 24 * 3600 * 1000) / barMs) : 0;
  return { classification, backtest: { totalReturn: equity[equity.length - 1] - 1, trades, sharpe, equity, held } };
}

describe("predictions of a stored run: every test figure recomputed from the file alone", () => {
  const runId = "run-predictions";
  let ds: Dataset;
  let evaluation: RunEvaluation;
  beforeAll(async () => {
    ({ dataset: ds, evaluation } = await storeRunFixture(runId));
  });

  const check = async (ev: RunEvaluation) => {
    const csv = parseCsv(await runPredictionsCsv(runId, ds.id, ev));
    const s = ev.summary;
    const shown = s.results.filter((r) => r.kind !== "baseline");
    const got = recompute(
      csv,
      shown.map((r) => r.id),
      s.backtest!,
      s.config.labelSpec.horizon,
    );
    expect(csv.part.filter((p) => p === "test").length).toBe(s.config.samples.test);
    expect(csv.part.filter((p) => p === "val").length).toBe(s.config.samples.val);
    expect(new Set(csv.symbol)).toEqual(new Set([ds.symbol]));
    expect(Object.keys(got.classification)).toEqual(["transformer", "lstm", "forest", "ensemble", "ensemble-learned"]);
    for (const r of shown) {
      expect(got.classification[r.id].confusion, r.id).toEqual(r.confusion);
      expect(got.classification[r.id].accuracy, r.id).toBe(r.metrics.accuracy);
    }
    const b = s.backtest!;
    expect(got.backtest.trades).toBe(b.trades);
    expect(got.backtest.totalReturn).toBeCloseTo(b.totalReturn, 12);
    expect(got.backtest.sharpe).toBeCloseTo(b.sharpe, 9);
    // The file's own backtest columns say the same: entries, per-bar returns, equity.
    const span = csv.part.map((p, i) => (p === "val" ? -1 : i)).filter((i) => i >= 0);
    expect(span.reduce((a, i) => a + Number(csv.entry[i]), 0)).toBe(b.trades);
    const compounded = span.reduce((e, i) => e * (1 + num(csv.bar_return[i])), 1) - 1;
    expect(compounded).toBeCloseTo(b.totalReturn, 12);
    span.forEach((i, j) => expect(num(csv.equity[i])).toBeCloseTo(got.backtest.equity[j], 12));
    expect(
      span.map((i) => ({ position: num(csv.position[i]), size: num(csv.size[i]), entry: num(csv.entry[i]) })),
    ).toEqual(got.backtest.held);
    return { csv, trades: b.trades };
  };

  it("accuracy, confusion matrices and the backtest with the run's own settings", async () => {
    await check(evaluation);
  });

  it("follows the backtest as traded again with other settings (learned ensemble, long only, full size)", async () => {
    const next = await retradeRun(runId, {
      tradedModel: "ensemble-learned",
      settings: { longOnly: true, minConfidence: 0.26, sizing: "full", feeRate: 0.0015 },
    });
    const { csv, trades } = await check(next);
    expect(trades).toBeGreaterThan(0);
    expect(csv.position.every((p) => p === "0" || p === "1")).toBe(true);
  });

  it("refuses a dataset that is not the one the run was evaluated on", async () => {
    const other = { ...evaluation, summary: { ...evaluation.summary, fingerprint: "0123456789abcdef" } };
    await expect(runPredictionsCsv(runId, ds.id, other)).rejects.toThrow(/not the one this run was evaluated on/);
  });

  it("quality_report.json is the dataset's report, with its notes", async () => {
    const report = JSON.parse(await runQualityReportJson(ds.id)) as {
      datasetId: string;
      samples: number;
      classCounts: { test: number[] };
      notes: string[];
    };
    expect(report.datasetId).toBe(ds.id);
    expect(report.classCounts.test.reduce((a, c) => a + c, 0)).toBe(ds.split.test.length);
    expect(report.notes.length).toBeGreaterThan(0); // the fixture stored no report: it says it was recomputed
  });

  it.skipIf(!numpy)("NumPy recomputes the same figures from predictions.npz (check_predictions.py)", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "predictions-"));
    const npz = path.join(dir, "predictions.npz");
    writeFileSync(npz, await runPredictionsNpz(runId, ds.id, evaluation));
    const files = Object.entries(evaluation.metrics).map(([id, m]) => {
      const file = path.join(dir, `evaluation_metrics_${id}.json`);
      writeFileSync(file, evaluationMetricsJson(m));
      return file;
    });
    const run = (args: string[]) =>
      execFileSync("python3", ["scripts/bundle-check/check_predictions.py", ...args], { encoding: "utf8" })
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { model: string; check: string; ok: boolean });
    const lines = run([npz, ...files, "--traded", evaluation.summary.backtest!.model]);
    expect(lines.filter((l) => l.check === "accuracy+confusion").length).toBe(5);
    expect(lines.filter((l) => l.check === "backtest").length).toBe(1);
    expect(lines.every((l) => l.ok)).toBe(true);
    // A metrics file that disagrees fails the check.
    const wrong = path.join(dir, "wrong.json");
    const m = evaluation.metrics.lstm;
    writeFileSync(wrong, JSON.stringify({ ...m, test_accuracy: m.test_accuracy + 0.01 }));
    expect(() => run([npz, wrong])).toThrow();
  });
});
