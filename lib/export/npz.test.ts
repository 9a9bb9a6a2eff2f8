import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildDataset, sampleEnds } from "../core/build-dataset";
import { normalizedSource } from "../core/normalize";
import { fixtureMarket } from "@/test/market";
import { gatherWindows } from "../core/windows";
import { hasPythonModule } from "@/test/python";
import { crc32, datasetNpz, npyHeader } from "./npz";

const numpy = hasPythonModule("numpy");
if (!numpy) console.warn("npz.test: python3 with numpy not found; skipping the NumPy round-trip checks");

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  for await (const c of chunks) {
    parts.push(c.slice());
    n += c.length;
  }
  const out = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe("npy / zip primitives", () => {
  it("npy v1.0 header is 64-aligned and exact", () => {
    const h = npyHeader("<f4", [3, 120, 42]);
    expect(h.length % 64).toBe(0);
    expect(Array.from(h.subarray(0, 8))).toEqual([0x93, 78, 85, 77, 80, 89, 1, 0]);
    const text = new TextDecoder().decode(h.subarray(10));
    expect(text.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 120, 42), }")).toBe(true);
    expect(text.endsWith(" \n")).toBe(true);
    expect(new TextDecoder().decode(npyHeader("|u1", [7]).subarray(10))).toContain("'shape': (7,)");
  });
  it("crc32 matches the standard check value and continues across chunks", () => {
    const b = new TextEncoder().encode("123456789");
    expect(crc32(b)).toBe(0xcbf43926);
    expect(crc32(b.subarray(4), crc32(b.subarray(0, 4)))).toBe(0xcbf43926);
    const big = Uint8Array.from({ length: 1001 }, (_, i) => (i * 31 + 7) & 0xff);
    let bytewise = ~0 >>> 0;
    for (const x of big) {
      bytewise ^= x;
      for (let k = 0; k < 8; k++) bytewise = bytewise & 1 ? 0xedb88320 ^ (bytewise >>> 1) : bytewise >>> 1;
    }
    expect(crc32(big)).toBe(~bytewise >>> 0);
    expect(crc32(big.subarray(13), crc32(big.subarray(0, 13)))).toBe(~bytewise >>> 0);
  });
});

describe("datasetNpz", () => {
  const m = fixtureMarket(4 * 24 * 30, 2);
  const ds = buildDataset({ candles: m.candles, symbol: "T", window: 24, createdAt: 0 });
  const ends = sampleEnds(ds);
  const x = gatherWindows(normalizedSource(ds), ends);

  for (const variant of [
    { yDtype: "uint8" as const },
    { yDtype: "int64" as const, forceZip64: true, chunkSamples: 7 },
  ]) {
    it.skipIf(!numpy)(`NumPy reads X [N, window, F] and y (${JSON.stringify(variant)})`, async () => {
      const npz = datasetNpz(ds, variant);
      const bytes = await collect(npz.chunks);
      expect(bytes.length).toBe(npz.bytes);
      const file = path.join(mkdtempSync(path.join(tmpdir(), "npz-")), "d.npz");
      writeFileSync(file, bytes);
      const probe = [0, 5, ends.length - 1];
      const py = `
import json, sys, zipfile, numpy as np
zipfile.ZipFile(sys.argv[1]).testzip()
d = np.load(sys.argv[1])
X, y = d["X"], d["y"]
print(json.dumps({"files": sorted(d.files), "xshape": list(X.shape), "xdtype": str(X.dtype), "ydtype": str(y.dtype),
  "y": y.tolist(), "rows": [X[i].ravel().tolist() for i in ${JSON.stringify(probe)}], "finite": bool(np.isfinite(X).all())}))`;
      const out = JSON.parse(execFileSync("python3", ["-c", py, file], { encoding: "utf8" }));
      expect(out.files).toEqual(["X", "y"]);
      expect(out.xshape).toEqual([ends.length, 24, 42]);
      expect(out.xdtype).toBe("float32");
      expect(out.ydtype).toBe(variant.yDtype);
      expect(out.y).toEqual(Array.from(ends, (t) => ds.labels[t]));
      expect(out.finite).toBe(true);
      const per = 24 * 42;
      probe.forEach((k, i) => expect(out.rows[i]).toEqual(Array.from(x.subarray(k * per, (k + 1) * per))));
    });
  }

  it("exports one split part, raw or normalised", async () => {
    const npz = datasetNpz(ds, { part: "test", normalized: false });
    expect(npz.samples).toBe(ds.split.test.length);
    const bytes = await collect(npz.chunks);
    expect(bytes.length).toBe(npz.bytes);
  });
});
