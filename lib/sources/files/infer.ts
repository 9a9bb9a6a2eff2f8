import { INTERVAL_MS, isInterval, type Interval } from "../../core/intervals";

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
