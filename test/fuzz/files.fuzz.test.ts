/** The file-import fuzz kinds' own rule for a clear rejection (the kinds run in fuzz.test.ts). */
import { describe, expect, it } from "vitest";
import { FileImportError } from "../../lib/sources/files/errors";
import { unclearRejection } from "./files-harness";

describe("file import fuzz", () => {
  it("counts an error of another type, or a message naming no file, as uncaught", () => {
    expect(unclearRejection(new RangeError("Invalid string length"), ["a.csv"])).toMatch(/not a FileImportError/);
    expect(unclearRejection(new FileImportError("b.csv", 1, "bad."), ["a.csv"])).toMatch(/names no input file/);
    expect(unclearRejection(new FileImportError("a.csv", 1, "x is undefined."), ["a.csv"])).toMatch(/unclear/);
    expect(
      unclearRejection(new FileImportError("a.zip/e.csv", 2, '"NaN" in column open is not a number.'), ["a.zip"]),
    ).toBeNull();
  });
});
