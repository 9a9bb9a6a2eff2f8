import { describe, expect, it } from "vitest";
import {
  candidateEnds,
  chronologicalSplit,
  chronologicalSplitByTime,
  defaultSplitSpec,
  walkForwardSplits,
} from "./splits";
import type { SplitIndices } from "./dataset";

/** Every row a sample touches: its window rows and its label rows (t .. t + horizon). */
function touched(t: number, window: number, horizon: number): [number, number] {
  return [t - window + 1, t + horizon];
}

function assertNoLeak(s: SplitIndices, window: number, horizon: number) {
  const parts = [s.train, s.val, s.test];
  for (let a = 0; a < 3; a++) {
    for (let b = a + 1; b < 3; b++) {
      if (parts[a].length === 0 || parts[b].length === 0) continue;
      // the latest sample of the earlier part vs the earliest sample of the later part
      const [, lastA] = touched(parts[a][parts[a].length - 1], window, horizon);
      const [firstB] = touched(parts[b][0], window, horizon);
      expect(lastA).toBeLessThan(firstB);
    }
  }
  // brute force on every pair of train x val (sampled) for good measure
  let overlaps = 0;
  const later = [...s.val, ...s.test];
  for (const t of s.train.filter((_, i) => i % 7 === 0)) {
    const [a0, a1] = touched(t, window, horizon);
    for (const v of later) {
      const [b0, b1] = touched(v, window, horizon);
      if (!(a1 < b0 || b1 < a0)) overlaps++;
    }
  }
  expect(overlaps).toBe(0);
}

describe("splits", () => {
  const window = 120;
  const horizon = 4;
  const times = Float64Array.from({ length: 5000 }, (_, i) => i * 10);
  const fwd = new Float64Array(5000).fill(0.01);
  for (let i = 4996; i < 5000; i++) fwd[i] = NaN;

  it("candidates need a full gap-free window and a known return", () => {
    const c = candidateEnds(times, fwd, window, 10);
    expect(c[0]).toBe(119);
    expect(c[c.length - 1]).toBe(4995);
    const gapped = times.map((t, i) => (i >= 1000 ? t + 10 : t));
    const cg = candidateEnds(gapped, fwd, window, 10);
    expect(cg.includes(1000)).toBe(false);
    expect(cg.includes(1000 + 119)).toBe(true);
    expect(cg.includes(1000 + 118)).toBe(false);
  });

  it("70/15/15 chronological, purged and embargoed: no window or label crosses a boundary", () => {
    const c = candidateEnds(times, fwd, window, 10);
    const s = chronologicalSplit(c, defaultSplitSpec(horizon, window));
    const n = s.train.length + s.val.length + s.test.length;
    expect(s.train.length / n).toBeGreaterThan(0.68);
    expect(s.val.length / n).toBeGreaterThan(0.12);
    expect(s.test.length / n).toBeGreaterThan(0.12);
    expect(s.train[s.train.length - 1]).toBeLessThan(s.val[0]);
    expect(s.val[s.val.length - 1]).toBeLessThan(s.test[0]);
    assertNoLeak(s, window, horizon);
    // and without purge / embargo the same check fails, so the test can tell
    const leaky = chronologicalSplit(c, { ...defaultSplitSpec(horizon, window), purge: 0, embargo: 0 });
    const [, lastTrain] = touched(leaky.train[leaky.train.length - 1], window, horizon);
    expect(lastTrain).toBeGreaterThanOrEqual(touched(leaky.val[0], window, horizon)[0]);
  });

  it("walk-forward folds expand and each is leak-free", () => {
    const c = candidateEnds(times, fwd, window, 10);
    const folds = walkForwardSplits(c, defaultSplitSpec(horizon, window), 3);
    expect(folds).toHaveLength(3);
    for (let k = 0; k < 3; k++) {
      assertNoLeak(folds[k], window, horizon);
      if (k > 0) expect(folds[k].train.length).toBeGreaterThan(folds[k - 1].train.length);
    }
    expect(folds[2].test[folds[2].test.length - 1]).toBe(4995);
  });
});

describe("several symbols", () => {
  it("no window mixes two symbols, even when the second block starts one interval after the first ends", () => {
    const times = [0, 1, 2, 3, 4, 5, 6, 7].map((k) => k * 10); // A: rows 0..3, B: rows 4..7 (times 40.. follow on)
    const rowSymbol = Uint8Array.from([0, 0, 0, 0, 1, 1, 1, 1]);
    const fwd = new Array(8).fill(0.01);
    expect(Array.from(candidateEnds(times, fwd, 3, 10))).toEqual([2, 3, 4, 5, 6, 7]);
    expect(Array.from(candidateEnds(times, fwd, 3, 10, rowSymbol))).toEqual([2, 3, 6, 7]);
  });
  it("splits by time: the boundaries are pooled time quantiles, purge and embargo in intervals", () => {
    // Two symbols over the same 10 hours (rows 0..9 and 10..19).
    const times = [...Array(10).keys(), ...Array(10).keys()];
    const ends = Int32Array.from({ length: 20 }, (_, i) => i);
    const spec = { train: 0.6, val: 0.2, test: 0.2, purge: 0, embargo: 0 };
    const s = chronologicalSplitByTime(ends, times, spec, 1);
    // Pooled sorted times: 0,0,1,1,...: T1 = sorted[12] = 6, T2 = sorted[16] = 8.
    expect(Array.from(s.train)).toEqual([0, 1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15]); // time <= 6 - 1
    expect(Array.from(s.val)).toEqual([6, 7, 16, 17]); // 6 .. 8 - 1
    expect(Array.from(s.test)).toEqual([8, 9, 18, 19]); // time >= 8
    // Purge 1 and embargo 1 (in intervals): train time <= 4, validation 7 .. 6 (none), test >= 9.
    const p = chronologicalSplitByTime(ends, times, { ...spec, purge: 1, embargo: 1 }, 1);
    expect([p.train.length, p.val.length, Array.from(p.test)]).toEqual([10, 0, [9, 19]]);
  });
});
