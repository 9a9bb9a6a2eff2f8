/**
 * Real BTCUSDT from ../shared/data as the bench harness serves it (/shared-data/...): 1h and 4h
 * candles, 1d aggregated from 1h, real funding rates and the Fear & Greed index. Benchmarks only:
 * a user's clone has no ../shared, so callers must say when it is absent (param shared=0).
 */
import { aggregateColumns } from "@/lib/core/aggregate";
import { mergeColumns, type CandleColumns } from "@/lib/core/candles";
import type { AltInputs, AltPoint } from "@/lib/core/features/alt-series";
import type { Interval } from "@/lib/core/intervals";
import { parseCandleCsv } from "@/lib/sources/files";

export interface RealBtc {
  candles: Partial<Record<Interval, CandleColumns>>;
  alt: AltInputs;
  /** Seconds spent parsing (downloads excluded). */
  parseSeconds: number;
}

/** One time/value column pair of a CSV with a header row (rows with an empty value are skipped). */
export function parseAlt(
  text: string,
  timeCol: string,
  valueCol: string,
  parseTime: (s: string) => number,
): AltPoint[] {
  const lines = text.trim().split(/\r?\n/);
  const head = lines[0].split(",");
  const ti = head.indexOf(timeCol);
  const vi = head.indexOf(valueCol);
  const out: AltPoint[] = [];
  for (let k = 1; k < lines.length; k++) {
    const cells = lines[k].split(",");
    const time = parseTime(cells[ti]);
    const value = Number(cells[vi]);
    if (Number.isFinite(time) && cells[vi] !== "" && Number.isFinite(value)) out.push({ time, value });
  }
  return out;
}

export async function loadRealBtc(): Promise<RealBtc> {
  const get = async (p: string) => {
    const r = await fetch(`/shared-data/${p}`);
    if (!r.ok) throw new Error(`${p}: HTTP ${r.status}`);
    return r.text();
  };
  const [t1h, t4h, tFunding, tFng] = await Promise.all([
    get("binance/BTCUSDT-1h.csv"),
    get("binance/BTCUSDT-4h.csv"),
    get("alt/BTCUSDT-funding-rate.csv"),
    get("alt/fear-greed-index.csv"),
  ]);
  const p0 = performance.now();
  const h1 = mergeColumns([parseCandleCsv(t1h, "BTCUSDT-1h.csv").candles]);
  const h4 = mergeColumns([parseCandleCsv(t4h, "BTCUSDT-4h.csv").candles]);
  const d1 = aggregateColumns(h1, "1h", "1d");
  const funding = parseAlt(tFunding, "fundingTime", "fundingRate", (s) => Date.parse(s.replace(" ", "T")));
  // F&G is published at the start of its UTC day: stamp it there.
  const fearGreed = parseAlt(tFng, "Date", "fng_value", (s) => Date.parse(`${s}T00:00:00Z`));
  return {
    candles: { "1h": h1, "4h": h4, "1d": d1 },
    alt: { funding, fearGreed },
    parseSeconds: (performance.now() - p0) / 1000,
  };
}
