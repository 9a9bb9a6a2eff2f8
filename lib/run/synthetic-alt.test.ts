/**
 * Issue 16: real candles built with synthetic funding and Fear & Greed are marked as such in
 * everything derived from the dataset: the run summary (dashboard), the share link and the bundle.
 */
import { describe, expect, it } from "vitest";
import { decodeSharedRun, shareFragment } from "@/lib/export/share";
import { summarizedRun } from "@/test/summarized-run";
import { summarizeRun } from "./summarize";

describe("synthetic alternative data on real candles", () => {
  const { dataset, outcomes } = summarizedRun();
  const summarize = (altOrigin: typeof dataset.altOrigin) =>
    summarizeRun({ ...dataset, altOrigin }, outcomes, {
      fingerprint: "5".repeat(64),
      createdAt: 1,
    }).summary;

  it("is flagged in the run summary and survives the share link", () => {
    const s = summarize({ funding: "synthetic", fearGreed: "synthetic", onchain: "fallback", sentiment: "fallback" });
    expect(s.syntheticAlt).toBe(true);
    const shared = decodeSharedRun(shareFragment(s));
    expect(shared.ok && shared.run.syntheticAlt).toBe(true);
  });

  it("is not flagged for real alternative data, nor for the synthetic market (marked synthetic already)", () => {
    expect(
      summarize({ funding: "real", fearGreed: "real", onchain: "fallback", sentiment: "fallback" }).syntheticAlt,
    ).toBe(undefined);
    const synth = summarizeRun(
      {
        ...dataset,
        synthetic: true,
        altOrigin: { funding: "synthetic", fearGreed: "synthetic", onchain: "fallback", sentiment: "fallback" },
      },
      outcomes,
      { fingerprint: "0123456789abcdef", createdAt: 1 },
    ).summary;
    expect(synth.syntheticAlt).toBe(undefined);
    expect(synth.synthetic).toBe(true);
  });
});
