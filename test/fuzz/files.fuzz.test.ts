/**
 * The CSV and ZIP fuzz kinds, small (100 cases each, the runner's seed) so `npm test` fails on
 * a regression; test/fuzz/files-run.ts runs 1,000+ each.
 */
import { describe, expect, it } from "vitest";
import { fuzzCsv } from "./csv";
import { FileImportError } from "../../lib/sources/files/errors";
import type { FileFuzzFailure } from "./files-harness";
import { unclearRejection } from "./files-harness";
import { fuzzZip } from "./zip";

describe("file import fuzz (small)", () => {
  for (const [name, run] of [
    ["csv", fuzzCsv],
    ["zip", fuzzZip],
  ] as const) {
    it(`${name}: 100 mutated files, every rejection clear and by name, nothing stored on one, memory bounded`, async () => {
      const failures: FileFuzzFailure[] = [];
      const report = await run(100, 17, (f) => failures.push(f));
      expect(failures).toEqual([]);
      expect(report).toMatchObject({ fuzz: name, cases: 100, uncaught: 0 });
      // Both outcomes occur, or the mutations test nothing.
      expect(report.accepted).toBeGreaterThan(5);
      expect(report.rejected).toBeGreaterThan(30);
      expect(report.max_rss_mb).toBeLessThan(1024);
    }, 300_000);
  }

  it("counts an error of another type, or a message naming no file, as uncaught", () => {
    expect(unclearRejection(new RangeError("Invalid string length"), ["a.csv"])).toMatch(/not a FileImportError/);
    expect(unclearRejection(new FileImportError("b.csv", 1, "bad."), ["a.csv"])).toMatch(/names no input file/);
    expect(unclearRejection(new FileImportError("a.csv", 1, "x is undefined."), ["a.csv"])).toMatch(/unclear/);
    expect(
      unclearRejection(new FileImportError("a.zip/e.csv", 2, '"NaN" in column open is not a number.'), ["a.zip"]),
    ).toBeNull();
  });
});
