import { describe, expect, it } from "vitest";
import { defaultWalkForm, walkConfigOf } from "./walk-settings";

describe("walk settings form", () => {
  it("defaults are the guide's: monthly, the last 12 months, expanding, gaps of horizon and window rows", () => {
    const { config, issues } = walkConfigOf(defaultWalkForm(4, 120), 4, 120);
    expect(issues).toEqual([]);
    expect(config.spec).toMatchObject({
      cadence: "monthly",
      walkMonths: 12,
      window: "expanding",
      purge: 4,
      embargo: 120,
    });
    expect(config.warmStartEpochs).toBeUndefined();
  });

  it("says what is wrong, naming the field", () => {
    const form = {
      ...defaultWalkForm(4, 120),
      window: "rolling" as const,
      rollingDays: 3,
      purge: 2,
      warmStart: true,
      warmStartEpochs: 0,
    };
    const { issues } = walkConfigOf(form, 4, 120);
    expect(issues).toEqual([
      "A rolling training window must be at least 7 days.",
      "The purge must be at least the label horizon (4 rows).",
      "Epochs per warm-started fold must be a whole number ≥ 1.",
    ]);
  });

  it("warm start carries its epochs into the run's configuration", () => {
    const { config } = walkConfigOf({ ...defaultWalkForm(4, 24), warmStart: true, warmStartEpochs: 2 }, 4, 24);
    expect(config.warmStartEpochs).toBe(2);
  });
});
