import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { isClearMessage } from "./clear";
import { MAX_RSS_MB, runFuzz, type FuzzKind } from "./harness";
import { FUZZ_KINDS, SMALL_RUN_KINDS } from "./kinds";

/** `npm run fuzz` runs 1,000 cases per kind; here 100 per kind (same seed) so `npm test` can fail. */
describe("fuzz (small)", () => {
  for (const name of SMALL_RUN_KINDS) {
    it(`${name}: 100 mutated inputs, no uncaught error, memory bounded`, async () => {
      const { failures, ...report } = await runFuzz(await FUZZ_KINDS[name](), { cases: 100, seed: 17 });
      expect(failures).toEqual([]);
      expect(report.uncaught).toBe(0);
      expect(report.cases).toBe(100);
      // Both outcomes occur, or the mutations test nothing.
      expect(report.rejected).toBeGreaterThan(30);
      expect(report.accepted).toBeGreaterThan(name === "bundle" || name === "share" ? 0 : 5);
      expect(report.max_rss_mb).toBeLessThan(MAX_RSS_MB);
    }, 300_000);
  }

  it("counts what escapes, and what is not a clear message, as uncaught", async () => {
    const crashy: FuzzKind<number> = {
      name: "crashy",
      prepare: async () => ({
        next: (rng) => ({ mutation: "n", input: rng.int(3) }),
        async feed(n) {
          if (n === 0) return "accepted";
          if (n === 1) throw new TypeError("shape.reduce is not a function");
          return "rejected";
        },
      }),
    };
    const report = await runFuzz(crashy as FuzzKind, { cases: 60, seed: 1 });
    expect(report.uncaught).toBeGreaterThan(0);
    expect(report.uncaught + report.accepted + report.rejected).toBe(60);
    expect(report.failures[0].error).toBe("TypeError: shape.reduce is not a function");
    expect(isClearMessage("shape.reduce is not a function")).toBe(false);
    expect(isClearMessage("Cannot read properties of undefined (reading 'x')")).toBe(false);
    expect(isClearMessage("Bundle format version undefined is not supported")).toBe(false);
    expect(isClearMessage("The bundle is damaged: lstm/weights.bin is missing.")).toBe(true);
  });
});
