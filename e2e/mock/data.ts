/**
 * Where the mock Binance gets its candles: the synthetic market (one seed per symbol) or a
 * folder of CSV/ZIP files (e.g. ../shared/data). Pure data; the HTTP side is binance-server.ts.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { aggregateColumns } from "../../lib/core/aggregate";
import { emptyColumns, type CandleColumns } from "../../lib/core/candles";
import { intervalMs, type Interval } from "../../lib/core/intervals";
import { importCandleFile } from "../../lib/sources/files";
import { seriesFromPoints, type TimeSeries } from "../../lib/sources/series";
import { generateSyntheticMarket, syntheticFearGreed, syntheticFundingRates } from "../../lib/sources/synthetic";

/** A removed range of candles (open times, UTC ms, inclusive); `symbol` absent = every symbol. */
export interface MockGap {
  symbol?: string;
  from: number;
  to: number;
}

/** Default start of the synthetic history the mock serves. */
export const MOCK_SYNTHETIC_ORIGIN = Date.UTC(2021, 0, 1);

interface Base {
  interval: Interval;
  candles: CandleColumns;
}

function dropRanges(c: CandleColumns, gaps: readonly MockGap[], symbol: string): CandleColumns {
  const mine = gaps.filter((g) => g.symbol === undefined || g.symbol === symbol);
  if (mine.length === 0) return c;
  const keep: number[] = [];
  for (let i = 0; i < c.openTime.length; i++) {
    const t = c.openTime[i];
    if (!mine.some((g) => t >= g.from && t <= g.to)) keep.push(i);
  }
  const out = emptyColumns(keep.length);
  for (const k of Object.keys(out) as (keyof CandleColumns)[]) keep.forEach((s, d) => (out[k][d] = c[k][s]));
  return out;
}

export interface MockMarketOptions {
  symbols: string[];
  dataDir?: string;
  /** First synthetic candle (UTC ms). */
  origin?: number;
}

/** Candle and alt-data store of the mock, with caches; gaps are applied to the base series before aggregation. */
export class MockMarket {
  private bases = new Map<string, Base[]>();
  private derived = new Map<string, CandleColumns>();
  private generatedUntil = 0;
  private funding = new Map<string, TimeSeries>();
  private fng: TimeSeries | null = null;
  private gapsKey = "[]";
  private gaps: MockGap[] = [];
  readonly symbols: string[];

  constructor(private readonly opts: MockMarketOptions) {
    this.symbols = opts.dataDir ? [] : opts.symbols.map((s) => s.toUpperCase());
    if (opts.dataDir) this.loadDir(opts.dataDir);
  }

  private loadDir(dir: string): void {
    const files: string[] = [];
    for (const name of readdirSync(dir)) {
      const p = path.join(dir, name);
      if (statSync(p).isDirectory()) for (const inner of readdirSync(p)) files.push(path.join(p, inner));
      else files.push(p);
    }
    for (const file of files) {
      const base = path.basename(file);
      if (/funding/i.test(base) && /\.csv$/i.test(base)) this.loadFunding(file);
      else if (/fear|greed|fng/i.test(base) && /\.csv$/i.test(base)) this.loadFng(file);
      else if (/\.(csv|zip)$/i.test(base)) {
        const r = importCandleFile({ name: base, data: readFileSync(file) });
        if (!r.symbol) continue;
        if (!this.symbols.includes(r.symbol)) this.symbols.push(r.symbol);
        const list = this.bases.get(r.symbol) ?? [];
        list.push({ interval: r.interval, candles: r.candles });
        list.sort((a, b) => intervalMs(a.interval) - intervalMs(b.interval));
        this.bases.set(r.symbol, list);
      }
    }
  }

  private loadFunding(file: string): void {
    const [head, ...rows] = readFileSync(file, "utf8").trim().split(/\r?\n/);
    const cols = head.split(",");
    const s = cols.indexOf("symbol");
    const t = cols.indexOf("fundingTime");
    const v = cols.indexOf("fundingRate");
    const bySymbol = new Map<string, { time: number; value: number }[]>();
    for (const row of rows) {
      const c = row.split(",");
      const sym = s >= 0 ? c[s] : "BTCUSDT";
      const time = /^\d+$/.test(c[t]) ? Number(c[t]) : Date.parse(c[t].replace(" ", "T"));
      const list = bySymbol.get(sym) ?? [];
      list.push({ time, value: Number(c[v]) });
      bySymbol.set(sym, list);
    }
    for (const [sym, pts] of bySymbol) this.funding.set(sym, seriesFromPoints(pts));
  }

  private loadFng(file: string): void {
    const [head, ...rows] = readFileSync(file, "utf8").trim().split(/\r?\n/);
    const cols = head.split(",");
    const d = Math.max(
      0,
      cols.findIndex((c) => /date|time/i.test(c)),
    );
    const v = cols.findIndex((c) => /value/i.test(c));
    this.fng = seriesFromPoints(
      rows.map((r) => r.split(",")).map((c) => ({ time: Date.parse(`${c[d]}T00:00:00Z`), value: Number(c[v]) })),
    );
  }

  hasSymbol(symbol: string): boolean {
    return this.symbols.includes(symbol);
  }

  setGaps(gaps: readonly MockGap[]): void {
    const key = JSON.stringify(gaps);
    if (key === this.gapsKey) return;
    this.gapsKey = key;
    this.gaps = gaps.map((g) => ({ ...g }));
    this.derived.clear();
  }

  private syntheticSeed(symbol: string): string {
    return `mock-binance|${symbol}`;
  }

  /** The base series of a symbol: synthetic 15m regenerated up to now + 1 day when needed (prefix-stable). */
  private basesFor(symbol: string, now: number): Base[] {
    if (this.opts.dataDir) return this.bases.get(symbol) ?? [];
    if (now + 3_600_000 > this.generatedUntil) {
      this.generatedUntil = Math.floor(now / 86_400_000) * 86_400_000 + 2 * 86_400_000;
      this.bases.clear();
      this.derived.clear();
      this.funding.clear();
      this.fng = null;
    }
    let list = this.bases.get(symbol);
    if (!list) {
      const candles = generateSyntheticMarket({
        seed: this.syntheticSeed(symbol),
        symbol,
        start: this.opts.origin ?? MOCK_SYNTHETIC_ORIGIN,
        end: this.generatedUntil,
      });
      list = [{ interval: "15m", candles }];
      this.bases.set(symbol, list);
    }
    return list;
  }

  /** All candles of symbol/interval (gaps removed), or null when the interval cannot be served. */
  candles(symbol: string, interval: Interval, now: number): CandleColumns | null {
    const bases = this.basesFor(symbol, now);
    const key = `${symbol}|${interval}`;
    const hit = this.derived.get(key);
    if (hit) return hit;
    const exact = bases.find((b) => b.interval === interval);
    const finer = bases.find((b) => intervalMs(interval) % intervalMs(b.interval) === 0);
    const src = exact ?? finer;
    if (!src) return null;
    const filtered = dropRanges(src.candles, this.gaps, symbol);
    const out = src.interval === interval ? filtered : aggregateColumns(filtered, src.interval, interval);
    this.derived.set(key, out);
    return out;
  }

  fundingRates(symbol: string, now: number): TimeSeries {
    this.basesFor(symbol, now);
    let s = this.funding.get(symbol);
    if (!s) {
      s = syntheticFundingRates({
        seed: this.syntheticSeed(symbol),
        symbol,
        start: this.opts.origin ?? MOCK_SYNTHETIC_ORIGIN,
        end: this.generatedUntil || now,
      });
      this.funding.set(symbol, s);
    }
    return s;
  }

  fearGreed(now: number): TimeSeries {
    if (this.symbols.length > 0) this.basesFor(this.symbols[0], now);
    if (!this.fng) {
      const symbol = this.symbols[0] ?? "BTCUSDT";
      this.fng = syntheticFearGreed({
        seed: this.syntheticSeed(symbol),
        symbol,
        start: this.opts.origin ?? MOCK_SYNTHETIC_ORIGIN,
        end: this.generatedUntil || now,
      });
    }
    return this.fng;
  }
}
