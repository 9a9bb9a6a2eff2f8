import { beforeAll, describe, expect, it } from "vitest";
import * as v from "valibot";
import type { Dataset } from "@/lib/core/dataset";
import { decodeSharedRun, encodeSharedRun } from "@/lib/export/share";
import { summarizedRun } from "@/test/summarized-run";
import { controlDataset, shuffledLabelControl } from "./control";
import { evaluateRun } from "./evaluate-run";
import { runEvaluationSchema } from "./schema";
import { meanStdText } from "./seeds";
import { summarizeRun } from "./summarize";
import type { ModelOutcome } from "./types";

let dataset: Dataset;
/** Three "seeds": the same dataset, models leaning towards the true class with other random draws. */
let bySeed: ModelOutcome[][];
const opts = { title: "t", fingerprint: "5".repeat(64), createdAt: 1 };

beforeAll(() => {
  const runs = [11, 12, 13].map((seed) => summarizedRun({ seed }));
  dataset = runs[0].dataset;
  bySeed = runs.map((r) => r.outcomes);
});

describe("evaluateRun: seeds", () => {
  it("one seed: the evaluation is summarizeRun's, with no mean ± std (the dashboard shows it as before)", () => {
    const e = evaluateRun(dataset, {}, bySeed.slice(0, 1), opts);
    const plain = summarizeRun(dataset, bySeed[0], opts);
    expect(e.summary).toEqual(plain.summary);
    expect(e.summary.seeds).toBeUndefined();
    expect(e.seeds).toEqual(plain.seeds);
    expect(e.seeds).toHaveLength(1);
  });

  it("keeps every seed's figures, each seed scored as its own run, and their mean ± std (sample std)", () => {
    const e = evaluateRun(dataset, {}, bySeed, opts);
    expect(v.safeParse(runEvaluationSchema, e).issues).toBeUndefined();
    expect(e.seeds.map((s) => s.offset)).toEqual([0, 1, 2]);
    const alone = bySeed.map((outcomes) => summarizeRun(dataset, outcomes, opts));
    // The run's own figures are seed 0's.
    expect(e.summary.results).toEqual(alone[0].summary.results);
    for (const id of ["transformer", "forest", "ensemble", "ensemble-learned"]) {
      const acc = alone.map((a) => a.summary.results.find((r) => r.id === id)!.metrics.accuracy);
      const sharpe = alone.map((a) => a.metrics[id].backtest!.sharpe_ratio);
      expect(e.seeds.map((s) => s.results.find((r) => r.id === id)!.accuracy)).toEqual(acc);
      const row = e.summary.seeds!.rows.find((r) => r.id === id)!;
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      const std = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
      expect(row.accuracy!.mean).toBeCloseTo(mean(acc), 12);
      expect(row.accuracy!.std).toBeCloseTo(std(acc), 12);
      expect(row.sharpe!.mean).toBeCloseTo(mean(sharpe), 12);
      expect(row.accuracy!.n).toBe(3);
    }
    // Different draws, different figures: a spread to report.
    expect(e.summary.seeds!.rows[0].accuracy!.std).toBeGreaterThan(0);
    expect(e.summary.seeds!.count).toBe(3);
    expect(e.summary.seeds!.rows.map((r) => r.id)).not.toContain("majority");
  });

  it("a share link carries the mean ± std", () => {
    const e = evaluateRun(dataset, {}, bySeed, opts);
    const decoded = decodeSharedRun(encodeSharedRun(e.summary));
    if (!decoded.ok) throw new Error(decoded.error);
    const row = decoded.run.seeds!.rows.find((r) => r.id === "forest")!;
    const own = e.summary.seeds!.rows.find((r) => r.id === "forest")!;
    expect(meanStdText(row.accuracy, "pct")).toBe(meanStdText(own.accuracy, "pct"));
  });
});

describe("evaluateRun: the shuffled-label control", () => {
  it("scores on the permuted labels and judges every model and ensemble against its own chance level", () => {
    const control = shuffledLabelControl(4);
    const e = evaluateRun(dataset, { control }, bySeed.slice(0, 1), opts);
    // The same figures as summarizing the permuted dataset itself.
    expect(e.summary.results).toEqual(summarizeRun(controlDataset(dataset, control), bySeed[0], opts).summary.results);
    const c = e.summary.control!;
    expect(c.rows.map((r) => r.id)).toEqual(["transformer", "lstm", "forest", "ensemble", "ensemble-learned"]);
    // The fixture's models lean towards the TRUE labels: against the shuffled ones they know nothing.
    for (const r of c.rows) expect(r.verdict).toBe("consistent");
    const forest = e.summary.results.find((r) => r.id === "forest")!;
    const n = forest.confusion.flat().reduce((a, b) => a + b, 0);
    const col = (k: number) => forest.confusion.reduce((a, row) => a + row[k], 0) / n;
    const rowShare = (k: number) => forest.confusion[k].reduce((a, b) => a + b, 0) / n;
    expect(c.rows.find((r) => r.id === "forest")!.chanceAccuracy).toBeCloseTo(
      [0, 1, 2, 3].reduce((a, k) => a + col(k) * rowShare(k), 0),
      12,
    );
    expect(e.metrics.forest.control_run).toMatchObject({
      description: "control run: labels shuffled within each part",
      seed: 4,
      verdict: "consistent",
    });
    expect(v.safeParse(runEvaluationSchema, e).issues).toBeUndefined();
    const decoded = decodeSharedRun(encodeSharedRun(e.summary));
    if (!decoded.ok) throw new Error(decoded.error);
    expect(decoded.run.control!.rows.map((r) => r.verdict)).toEqual(c.rows.map((r) => r.verdict));
  });

  it("flags a model that learned the shuffled labels themselves (as one scoring its training rows would)", () => {
    const control = shuffledLabelControl(4);
    const shuffled = controlDataset(dataset, control);
    // Leaning towards the permuted test labels: only a model that saw these rows could.
    const cheat = summarizedRun({ seed: 11 }).outcomes.map((o) => {
      const probs = new Float32Array(o.testProbs.length).fill(0.1);
      dataset.split.test.forEach((t, i) => (probs[i * 4 + shuffled.labels[t]] = 0.7));
      return { ...o, testProbs: probs };
    });
    const e = evaluateRun(dataset, { control }, [cheat], opts);
    expect(e.summary.control!.rows.every((r) => r.verdict === "above")).toBe(true);
    expect(e.metrics.forest.control_run?.verdict).toBe("above");
  });
});
