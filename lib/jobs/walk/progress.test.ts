import { describe, expect, it } from "vitest";
import type { RunProgress } from "@/lib/jobs/train/train-run";
import { modelFraction, walkEtaSeconds, walkFraction } from "./progress";

const batch = (epoch: number, batchNo: number): RunProgress => ({
  model: "lstm",
  phase: "train",
  backend: "cpu",
  progress: {
    epoch,
    epochs: 4,
    batch: batchNo,
    batches: 10,
    loss: 1,
    acc: 0.3,
    samplesPerSec: 1,
    epochEtaSeconds: 1,
    etaSeconds: 1,
    trainSeconds: 0,
    valSeconds: 0,
  } as never,
});

describe("walk progress", () => {
  it("a model's fraction follows its epochs and batches, or its trees, and is 1 once done", () => {
    expect(modelFraction(batch(1, 5))).toBeCloseTo(0.125);
    expect(modelFraction(batch(3, 10))).toBeCloseTo(0.75);
    const trees: RunProgress = {
      model: "forest",
      phase: "train",
      progress: { treesDone: 3, trees: 12, elapsedMs: 1, etaMs: 1, workers: 2 },
    };
    expect(modelFraction(trees)).toBeCloseTo(0.25);
    expect(modelFraction({ model: "forest", phase: "done", seconds: 2 })).toBe(1);
  });

  it("folds are equal parts of the walk, models equal parts of a fold", () => {
    expect(walkFraction(1, 4, 0, 3, 0)).toBe(0);
    expect(walkFraction(2, 4, 1, 2, 0.5)).toBeCloseTo((1 + 1.5 / 2) / 4);
    expect(walkFraction(4, 4, 2, 3, 1)).toBe(1);
  });

  it("the ETA comes from this session's pace: a resumed walk's stored folds do not count as speed", () => {
    expect(walkEtaSeconds(0.5, 0.5, 10)).toBeNaN();
    // Half the walk was stored; 10 s took it from 50% to 75%: 10 s left.
    expect(walkEtaSeconds(0.5, 0.75, 10)).toBeCloseTo(10);
  });
});
