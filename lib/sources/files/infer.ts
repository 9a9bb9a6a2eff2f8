import { INTERVAL_MS, isInterval, type Interval } from "../../core/intervals";
import { FileImportError } from "./errors";

/**
 * Symbol (and interval when present) from a Binance dump file name such as
 * `BTCUSDT-1h-2023-01.zip`, `ETHUSDT-15m-2024-03-05.csv` or `BTCUSDT-1h.csv`.
 * Returns nulls when the name does not follow that pattern (the caller then asks the user).
 */
export function inferFromFileName(fileName: string): { symbol: string | null; interval: Interval | null } {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const m = /^([A-Za-z0-9]{5,20})[-_](\d{1,2}[mhdwM])(?=[-_.])/.exec(base);
  if (!m) return { symbol: null, interval: null };
  const interval = isInterval(m[2]) ? m[2] : null;
  return { symbol: m[1].toUpperCase(), interval };
}

/**
 * The interval whose length equals the most common step between consecutive open times
 * (robust to gaps and stray rows). Null when there are fewer than 2 rows or the step is not a
 * known interval.
 */
export function inferInterval(openTime: Float64Array): Interval | null {
  const counts = new Map<number, number>();
  for (let i = 1; i < openTime.length; i++) {
    const step = openTime[i] - openTime[i - 1];
    if (step > 0) counts.set(step, (counts.get(step) ?? 0) + 1);
  }
  let best = 0;
  let bestCount = 0;
  for (const [step, count] of counts) {
    if (count > bestCount || (count === bestCount && step < best)) {
      best = step;
      bestCount = count;
    }
  }
  for (const [name, ms] of Object.entries(INTERVAL_MS)) if (ms === best) return name as Interval;
  return null;
}

/** The series a CSV names: symbol and interval from its file names (nulls where they say none). */
export interface SeriesName {
  symbol: string | null;
  interval: Interval | null;
}

/**
 * The series one CSV belongs to, by names (issue 17 items 7 and 10): the CSV's own name decides
 * (a ZIP entry `ETHUSDT-1h-2024-02.csv` is ETHUSDT whatever the archive is called); the archive's
 * name fills what the entry's does not say; the form's symbol applies only to a CSV whose names
 * say no symbol. A disagreement is refused, naming both sides, rather than merging two pairs
 * or intervals into one series.
 * `shown` is the name used in messages ("archive.zip/entry.csv"); `archiveName` is the ZIP's
 * name for an entry, null for a plain file; `formSymbol` is upper-case or null.
 */
export function seriesOfNames(
  shown: string,
  csvName: string,
  archiveName: string | null,
  formSymbol: string | null,
): SeriesName {
  const own = inferFromFileName(csvName);
  const outer = archiveName === null ? { symbol: null, interval: null } : inferFromFileName(archiveName);
  if (own.symbol && outer.symbol && own.symbol !== outer.symbol) {
    throw new FileImportError(
      shown,
      null,
      `the entry's name says ${own.symbol} but the archive's name says ${outer.symbol}; rename one so they agree (nothing was imported).`,
    );
  }
  if (own.interval && outer.interval && own.interval !== outer.interval) {
    throw new FileImportError(
      shown,
      null,
      `the entry's name says ${own.interval} candles but the archive's name says ${outer.interval}; rename one so they agree (nothing was imported).`,
    );
  }
  const symbol = own.symbol ?? outer.symbol;
  if (symbol && formSymbol && symbol !== formSymbol) {
    throw new FileImportError(
      shown,
      null,
      `the file name says ${symbol} but the Symbol field says ${formSymbol}; the field is only for files whose names do not say the pair, so clear it or rename the file (nothing was imported).`,
    );
  }
  return { symbol: symbol ?? formSymbol, interval: own.interval ?? outer.interval };
}
