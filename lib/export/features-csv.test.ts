import { describe, expect, it } from "vitest";
import { buildDataset } from "../core/build-dataset";
import { fixtureMarket } from "@/test/market";
import { featuresCsv, featuresCsvChunks } from "./features-csv";

describe("features CSV", () => {
  const m = fixtureMarket(4 * 24 * 25, 4);
  const ds = buildDataset({ candles: m.candles, symbol: "T", window: 24, createdAt: 0 });
  it("has time, the feature columns and label", () => {
    const lines = featuresCsv(ds).trimEnd().split("\n");
    expect(lines).toHaveLength(ds.rows + 1);
    const head = lines[0].split(",");
    expect(head[0]).toBe("time");
    expect(head[head.length - 1]).toBe("label");
    expect(head.slice(1, -1)).toEqual(ds.features.map((f) => f.name));
    const row = lines[1].split(",");
    expect(row[0]).toBe(new Date(ds.times[0]).toISOString());
    expect(Number(row[1])).toBeCloseTo(ds.matrix[0], 4);
    expect(row[row.length - 1]).toBe(String(ds.labels[0]));
    expect(lines[lines.length - 1].endsWith(",")).toBe(true); // last row: no label yet
  });
  it("streams in chunks", () => {
    const chunks = Array.from(featuresCsvChunks(ds, { rowsPerChunk: 100, normalized: true }));
    expect(chunks.length).toBe(1 + Math.ceil(ds.rows / 100));
  });
});
