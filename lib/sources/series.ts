/**
 * A plain numeric time series (alternative data: funding rate, Fear & Greed).
 * `time` holds UTC epoch ms ascending and unique; `value[i]` belongs to `time[i]`.
 */
export interface TimeSeries {
  time: Float64Array;
  value: Float64Array;
}

/** Builds a sorted, de-duplicated (first value kept) series from unordered points. */
export function seriesFromPoints(points: readonly { time: number; value: number }[]): TimeSeries {
  const sorted = points.map((p, i) => ({ ...p, i })).sort((a, b) => a.time - b.time || a.i - b.i);
  const time: number[] = [];
  const value: number[] = [];
  for (const p of sorted) {
    if (time.length > 0 && time[time.length - 1] === p.time) continue;
    time.push(p.time);
    value.push(p.value);
  }
  return { time: Float64Array.from(time), value: Float64Array.from(value) };
}
