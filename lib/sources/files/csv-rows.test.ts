/** The CSV importer and the Binance client refuse the same rows with the same words (issue 17). */
import { describe, expect, it } from "vitest";
import { fetchKlinePages } from "../binance/klines";
import { WeightTracker } from "../binance/weight";
import { parseCandleCsv } from "./csv";

const H = 3_600_000;
const T0 = Date.UTC(2024, 0, 1);

/** open, high, low, close, volume of a row each path must refuse, and the reason both give. */
const BAD: [string[], string][] = [
  [["-1", "2", "0.5", "1", "3"], "open -1 is not above 0."],
  [["1", "0.5", "0.8", "0.9", "3"], "high 0.5 is below low 0.8."],
  [["1", "0.9", "0.5", "0.8", "3"], "high 0.9 is below open 1."],
  [["1", "2", "1.2", "1.5", "3"], "low 1.2 is above open 1."],
  [["1", "2", "0.5", "1.5", "-3"], "volume -3 is negative."],
];

describe("one row check for files and the API", () => {
  for (const [values, reason] of BAD) {
    it(`refuses ${values.join(",")}: ${reason}`, async () => {
      const csv = `${T0},1,2,0.5,1.5,3\n${T0 + H},${values.join(",")}\n`;
      expect(() => parseCandleCsv(csv, "BTCUSDT-1h.csv")).toThrow(`BTCUSDT-1h.csv, line 2: ${reason}`);

      const rows = [
        [T0, "1", "2", "0.5", "1.5", "3", T0 + H - 1, "3", 1, "1", "1", "0"],
        [T0 + H, ...values, T0 + 2 * H - 1, "3", 1, "1", "1", "0"],
      ];
      const fetchImpl = (async () => new Response(JSON.stringify(rows))) as unknown as typeof fetch;
      const pages = fetchKlinePages({
        baseUrl: "http://x",
        symbol: "BTCUSDT",
        interval: "1h",
        startTime: T0,
        endTime: T0 + H,
        now: () => T0 + 10 * H,
        fetchImpl,
        weight: new WeightTracker(),
      });
      const page = (await pages.next()).value;
      expect(page && Array.from(page.candles.openTime)).toEqual([T0]);
      expect(page && page.report.firstRejected).toEqual({ openTime: T0 + H, problem: reason });
    });
  }
});
