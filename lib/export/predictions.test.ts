import { describe, expect, it } from "vitest";
import { buildDataset } from "../core/build-dataset";
import { buildMultiSymbolDataset } from "../core/multi-symbol";
import { mulberry32 } from "../core/random";
import { summarizeRun } from "../run/summarize";
import type { ModelOutcome } from "../run/types";
import { fixtureMarket } from "@/test/market";
import { tableRows, type TableColumn } from "./columns";
import { predictionsTable } from "./predictions";

// Returns inside ±weak are dropped: unlabelled rows inside the test period, which the backtest
// still marks to market (so they must be rows of the file).
const ds = buildDataset({
  candles: fixtureMarket(4 * 24 * 30, 5).candles,
  symbol: "ETHUSDT",
  window: 24,
  createdAt: 0,
  labelSpec: { weakZone: "exclude" },
});
// predictionsTable reads no fingerprint (the export job checks it): any stand-in serves.
const fingerprint = "5".repeat(64);

function outcome(id: ModelOutcome["id"], seed: number): ModelOutcome {
  const rnd = mulberry32(seed);
  const probs = (n: number) => {
    const p = Float32Array.from({ length: n * 4 }, () => rnd() ** 3);
    for (let i = 0; i < n; i++) {
      const s = p[i * 4] + p[i * 4 + 1] + p[i * 4 + 2] + p[i * 4 + 3];
      for (let c = 0; c < 4; c++) p[i * 4 + c] /= s;
    }
    return p;
  };
  return { id, params: {}, valProbs: probs(ds.split.val.length), testProbs: probs(ds.split.test.length), seconds: 1 };
}

const column = (cols: TableColumn[], name: string) => {
  const c = cols.find((x) => x.name === name);
  if (!c) throw new Error(`no column ${name}`);
  return c.values;
};

describe("predictionsTable", () => {
  it("with one model: its columns only, traded by that model; unlabelled test-period rows are backtest rows", () => {
    const forest = outcome("forest", 1);
    const { summary } = summarizeRun(ds, [forest], { fingerprint, backtest: { minConfidence: 0.3 } });
    const cols = predictionsTable(ds, [forest], summary);
    const names = cols.map((c) => c.name);
    expect(names.filter((n) => n.includes("_p_"))).toEqual([
      "forest_p_strong_sell",
      "forest_p_sell",
      "forest_p_buy",
      "forest_p_strong_buy",
    ]);
    const part = column(cols, "part") as string[];
    const rows = column(cols, "dataset_row") as Int32Array;
    const label = column(cols, "label") as Int8Array;
    const n = tableRows(cols);
    expect(part.filter((p) => p === "val").length).toBe(ds.split.val.length);
    expect(Array.from(rows.filter((_, i) => part[i] === "test"))).toEqual(Array.from(ds.split.test));
    // The span is every row from the first test sample to the horizon after the last.
    const span = rows.filter((_, i) => part[i] !== "val");
    expect(span.length).toBe(ds.split.test[ds.split.test.length - 1] + ds.labelSpec.horizon - ds.split.test[0] + 1);
    span.forEach((r, j) => expect(r).toBe(span[0] + j));
    const inside = part.filter((p, i) => p === "backtest" && rows[i] < ds.split.test[ds.split.test.length - 1]);
    expect(inside.length).toBeGreaterThan(0);
    for (let i = 0; i < n; i++) if (part[i] === "backtest") expect(label[i]).toBe(-1);
    const p = column(cols, "forest_p_buy") as Float32Array;
    const firstTest = part.indexOf("test");
    expect(p[firstTest]).toBe(forest.testProbs[2]);
    expect(p[0]).toBe(forest.valProbs[2]);
    expect(Number.isNaN(p[part.indexOf("backtest")])).toBe(true);
    const entries = (column(cols, "entry") as Uint8Array).reduce((a, e) => a + e, 0);
    expect(entries).toBe(summary.backtest!.trades);
    expect(entries).toBeGreaterThan(0);
  });

  it("a candle missing inside the backtest's span is a 'gap' row: bar return 0, equity carried, figures recomputable", () => {
    // Drop one base candle in the test period: the rows skip it, the backtest's candles do not.
    const m = fixtureMarket(4 * 24 * 30, 5);
    const base = m.candles["1h"];
    const at = base.openTime.length - 60;
    const keep = (a: Float64Array) => Float64Array.from([...a.subarray(0, at), ...a.subarray(at + 1)]);
    const holed = Object.fromEntries(Object.entries(base).map(([k, a]) => [k, keep(a as Float64Array)]));
    const gapped = buildDataset({
      candles: { ...m.candles, "1h": holed as unknown as typeof base },
      symbol: "ETHUSDT",
      window: 24,
      createdAt: 0,
    });
    const forest = { ...outcome("forest", 2) };
    const rnd = mulberry32(3);
    forest.valProbs = Float32Array.from({ length: gapped.split.val.length * 4 }, () => rnd());
    forest.testProbs = Float32Array.from({ length: gapped.split.test.length * 4 }, () => rnd());
    const { summary, metrics } = summarizeRun(gapped, [forest], {
      fingerprint,
      backtest: { minConfidence: 0.3 },
    });
    const cols = predictionsTable(gapped, [forest], summary);
    const part = column(cols, "part") as string[];
    const gap = part.indexOf("gap");
    expect(part.filter((p) => p === "gap")).toHaveLength(1);
    expect((column(cols, "dataset_row") as Int32Array)[gap]).toBe(-1);
    expect((column(cols, "time_ms") as Float64Array)[gap]).toBe(base.openTime[at]);
    const r = column(cols, "bar_return") as Float64Array;
    const equity = column(cols, "equity") as Float64Array;
    expect(r[gap]).toBe(0);
    expect(equity[gap]).toBe(equity[gap - 1]);
    // Total return from the file's bar returns equals the summary's.
    const span = r.filter((_, i) => part[i] !== "val");
    expect(span.reduce((e, x) => e * (1 + x), 1) - 1).toBeCloseTo(metrics.forest.backtest!.total_return, 10);
  });

  it("without a backtest in the summary: the test samples alone, no positions", () => {
    const forest = outcome("forest", 2);
    const { summary } = summarizeRun(ds, [forest], { fingerprint });
    const cols = predictionsTable(ds, [forest], { ...summary, backtest: undefined });
    expect(tableRows(cols)).toBe(ds.split.val.length + ds.split.test.length);
    expect((column(cols, "position") as Int8Array).every((x) => x === 0)).toBe(true);
    expect((column(cols, "bar_return") as Float64Array).every((x) => Number.isNaN(x))).toBe(true);
  });

  it("says which model's predictions are missing or do not fit the dataset", () => {
    const a = outcome("transformer", 3);
    const b = outcome("lstm", 4);
    const { summary } = summarizeRun(ds, [a, b], { fingerprint });
    expect(() => predictionsTable(ds, [a], summary)).toThrow("The run's lstm predictions are no longer stored.");
    const short = { ...b, testProbs: b.testProbs.slice(4) };
    expect(() => predictionsTable(ds, [a, short], summary)).toThrow(
      `lstm: ${ds.split.test.length - 1} test predictions for ${ds.split.test.length} samples of the dataset`,
    );
  });
});

describe("predictionsTable of a multi-symbol run", () => {
  const sym = (symbol: string, seed: number) => ({ symbol, candles: fixtureMarket(4 * 24 * 40, seed).candles });
  const { dataset: multi } = buildMultiSymbolDataset({
    symbols: [sym("AAA", 1), sym("BBB", 2)],
    window: 24,
    createdAt: 0,
  });
  it("names each row's symbol, keeps every test sample and trades the first symbol as the dashboard does", () => {
    const rnd = mulberry32(4);
    const probs = (n: number) => Float32Array.from({ length: n * 4 }, () => 0.05 + rnd());
    const forest = {
      id: "forest" as const,
      params: {},
      seconds: 1,
      valProbs: probs(multi.split.val.length),
      testProbs: probs(multi.split.test.length),
    };
    const { summary } = summarizeRun(multi, [forest], { fingerprint });
    const cols = predictionsTable(multi, [forest], summary);
    const part = column(cols, "part") as string[];
    const rows = column(cols, "dataset_row") as Int32Array;
    const symbol = column(cols, "symbol") as string[];
    expect(Array.from(rows.filter((_, i) => part[i] === "test"))).toEqual(Array.from(multi.split.test));
    rows.forEach((r, i) => expect(symbol[i]).toBe(multi.symbols![r < 0 ? 0 : multi.rowSymbol![r]]));
    expect(new Set(symbol.filter((_, i) => part[i] === "test"))).toEqual(new Set(["AAA", "BBB"]));
    const equity = column(cols, "equity") as Float64Array;
    const last = equity.filter(Number.isFinite).at(-1)!;
    expect(last - 1).toBeCloseTo(summary.backtest!.totalReturn, 12);
    expect((column(cols, "entry") as Uint8Array).reduce((a, e) => a + e, 0)).toBe(summary.backtest!.trades);
    // Only the first symbol's rows carry positions.
    const position = column(cols, "position") as Int8Array;
    position.forEach((p, i) => p !== 0 && expect(symbol[i]).toBe("AAA"));
  });
});
