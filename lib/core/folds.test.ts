import { describe, expect, it } from "vitest";
import { defaultWalkSpec, walkBoundaries, walkForwardFolds, walkSpecIssues, type Fold } from "./folds";
import { candidateEnds } from "./splits";

const H = 3_600_000;
const DAY = 24 * H;
const WINDOW = 120;
const HORIZON = 4;

/** Hourly rows from 2023-01-01 over `days`, minus the rows in `drop` (an outage). */
function hourly(days: number, drop: [number, number] | null = null): { times: Float64Array; candidates: Int32Array } {
  const t0 = Date.UTC(2023, 0, 1);
  const all: number[] = [];
  for (let i = 0; i < days * 24; i++) if (!drop || i < drop[0] || i >= drop[1]) all.push(t0 + i * H);
  const times = Float64Array.from(all);
  const fwd = new Float64Array(times.length).fill(0.01);
  for (let i = times.length - HORIZON; i < times.length; i++) fwd[i] = NaN;
  return { times, candidates: candidateEnds(times, fwd, WINDOW, H) };
}

/** Every earlier sample's window and label rows end before the first row of any later window. */
function expectSeparated(earlier: Int32Array, later: Int32Array) {
  if (earlier.length === 0 || later.length === 0) return;
  const lastLabelRow = earlier[earlier.length - 1] + HORIZON;
  const firstWindowRow = later[0] - WINDOW + 1;
  expect(lastLabelRow).toBeLessThan(firstWindowRow);
}

describe("walkForwardFolds", () => {
  const spec = { ...defaultWalkSpec(HORIZON, WINDOW), walkMonths: 3 };

  it("tests each of the last 3 calendar months whole, training on what came before with purge and embargo", () => {
    const { times, candidates } = hourly(365);
    const plan = walkForwardFolds(times, candidates, spec);
    expect(plan.folds.map((f) => new Date(f.testSpan[0]).toISOString().slice(0, 10))).toEqual([
      "2023-10-01",
      "2023-11-01",
      "2023-12-01",
    ]);
    for (const f of plan.folds) {
      expectSeparated(f.train, f.val);
      expectSeparated(f.val, f.test);
      // Test blocks are whole months: nothing of the month is lost to the embargo.
      const monthStart = f.testSpan[0];
      expect(new Date(monthStart).getUTCDate()).toBe(1);
      expect(new Date(monthStart).getUTCHours()).toBe(0);
      expect(f.val.length / (f.val.length + f.train.length)).toBeGreaterThan(0.12);
    }
    // Pooled out-of-sample record: every sample of the walked span exactly once, in order.
    const pooled = plan.folds.flatMap((f) => Array.from(f.test));
    const walked = Array.from(candidates).filter((t) => times[t] >= Date.UTC(2023, 9, 1));
    expect(pooled).toEqual(walked);
    // Expanding: every fold starts training at the first sample.
    expect(new Set(plan.folds.map((f) => f.train[0]))).toEqual(new Set([candidates[0]]));
  });

  it("a rolling window trains only on the last N days", () => {
    const { times, candidates } = hourly(365);
    const plan = walkForwardFolds(times, candidates, { ...spec, window: "rolling", rollingDays: 60 });
    for (const f of plan.folds) {
      expect(f.testSpan[0] - times[f.train[0]]).toBeLessThanOrEqual(60 * DAY);
      expect(f.testSpan[0] - times[f.train[0]]).toBeGreaterThan(59 * DAY);
    }
  });

  it("gaps in the rows never let a window or label cross a boundary", () => {
    // A 3-day outage just before the November boundary.
    const { times, candidates } = hourly(365, [304 * 24 - 30, 304 * 24 + 42]);
    const plan = walkForwardFolds(times, candidates, spec);
    for (const f of plan.folds) {
      expectSeparated(f.train, f.val);
      expectSeparated(f.val, f.test);
    }
  });

  it("weekly cadence: a fold per week; folds with too little training data are skipped with a reason", () => {
    const { times, candidates } = hourly(70);
    const plan = walkForwardFolds(times, candidates, {
      ...spec,
      cadence: "weekly",
      walkMonths: 3,
      minTrainSamples: 400,
    });
    expect(plan.folds.length).toBeGreaterThan(3);
    for (let i = 1; i < plan.folds.length; i++)
      expect(plan.folds[i].testSpan[0] - plan.folds[i - 1].testSpan[0]).toBe(7 * DAY);
    expect(plan.skipped.length).toBeGreaterThan(0);
    expect(plan.skipped[0].reason).toMatch(/training and .* validation samples/);
    const firstTrained: Fold = plan.folds[0];
    expect(firstTrained.train.length).toBeGreaterThanOrEqual(400);
  });

  it("boundaries are calendar months in UTC, the last one partial", () => {
    expect(walkBoundaries(Date.UTC(2024, 2, 10, 5), { cadence: "monthly", walkMonths: 3 })).toEqual([
      Date.UTC(2024, 0, 1),
      Date.UTC(2024, 1, 1),
      Date.UTC(2024, 2, 1),
      Date.UTC(2024, 2, 10, 5) + 1,
    ]);
  });

  it("says what is wrong with a specification", () => {
    expect(walkSpecIssues(spec, HORIZON, WINDOW)).toEqual([]);
    const bad = walkSpecIssues({ ...spec, purge: 1, embargo: 10, valShare: 0, walkMonths: 0 }, HORIZON, WINDOW);
    expect(bad).toHaveLength(4);
    expect(bad.join(" ")).toMatch(/purge must be at least the label horizon \(4 rows\)/);
  });
});
