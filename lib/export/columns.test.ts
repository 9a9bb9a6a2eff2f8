import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { hasPythonModule } from "@/test/python";
import { tableCsv, tableNpzBytes, type TableColumn } from "./columns";

const numpy = hasPythonModule("numpy");
if (!numpy) console.warn("columns.test: python3 with numpy not found; skipping the NumPy read-back");

const columns = (): TableColumn[] => [
  { name: "part", kind: "text", values: ["val", 'a,"b"', "ü€"] },
  { name: "time", kind: "time", values: Float64Array.of(0, 3_600_000, 1_675_195_200_000) },
  { name: "time_ms", kind: "int64", values: Float64Array.of(0, 3_600_000, 1_675_195_200_000) },
  { name: "label", kind: "int", values: Int8Array.of(3, -1, 0), missing: -1 },
  { name: "p", kind: "float", values: Float32Array.of(0.1, NaN, 1 / 3) },
  { name: "r", kind: "float", values: Float64Array.of(-1e-7, 0.1 + 0.2, Infinity) },
];

describe("a table of columns as CSV and .npz", () => {
  it("writes CSV cells that read back to exactly the values held; missing values are empty", () => {
    const lines = tableCsv(columns()).trimEnd().split("\n");
    expect(lines[0]).toBe("part,time,time_ms,label,p,r");
    expect(lines[1]).toBe(`val,1970-01-01T00:00:00.000Z,0,3,${Math.fround(0.1)},-1e-7`);
    expect(lines[2]).toBe(`"a,""b""",1970-01-01T01:00:00.000Z,3600000,,,0.30000000000000004`);
    expect(lines[3]).toBe(`ü€,2023-01-31T20:00:00.000Z,1675195200000,0,${Math.fround(1 / 3)},`);
    expect(Number(lines[3].split(",")[4])).toBe(Float32Array.of(1 / 3)[0]);
  });

  it("refuses columns of different lengths or repeated names", () => {
    const c = columns();
    expect(() => tableCsv([...c, { name: "x", kind: "float", values: new Float64Array(2) }])).toThrow(
      /column x has 2 rows, expected 3/,
    );
    expect(() => tableCsv([...c, c[0]])).toThrow(/column part appears twice/);
  });

  it.skipIf(!numpy)("writes an .npz NumPy loads without pickle: unicode, datetime64[ms], int64, NaN", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "columns-")), "t.npz");
    writeFileSync(file, await tableNpzBytes(columns()));
    const script = `
import json, math, sys, numpy as np
z = np.load(sys.argv[1])
out = {k: {"dtype": str(z[k].dtype), "values": [None if isinstance(v, float) and not math.isfinite(v) else v for v in z[k].tolist()]} for k in z.files}
out["time"]["values"] = [str(v) for v in z["time"]]
print(json.dumps(out, default=str))`;
    const got = JSON.parse(execFileSync("python3", ["-c", script, file], { encoding: "utf8" })) as Record<
      string,
      { dtype: string; values: unknown[] }
    >;
    expect(got.part).toEqual({ dtype: "<U5", values: ["val", 'a,"b"', "ü€"] });
    expect(got.time).toEqual({
      dtype: "datetime64[ms]",
      values: ["1970-01-01T00:00:00.000", "1970-01-01T01:00:00.000", "2023-01-31T20:00:00.000"],
    });
    expect(got.time_ms).toEqual({ dtype: "int64", values: [0, 3_600_000, 1_675_195_200_000] });
    expect(got.label).toEqual({ dtype: "int8", values: [3, -1, 0] });
    expect(got.p).toEqual({ dtype: "float32", values: [Math.fround(0.1), null, Math.fround(1 / 3)] });
    expect(got.r).toEqual({ dtype: "float64", values: [-1e-7, 0.1 + 0.2, null] });
  });
});
