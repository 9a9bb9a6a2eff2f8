/**
 * Replay: the live loop over stored candles after the run's data end, at full speed. The loop
 * code is liveTick unchanged; only the clock (each base candle's close in turn), the candle source
 * (the stored columns) and where windows come from (rows computed once, cut at the clock) differ.
 * Deployments made for a replay carry `replay: true`, and the page marks them as such.
 */
import type { CandleColumns } from "@/lib/core/candles";
import { intervalMs, type Interval } from "@/lib/core/intervals";
import { computeFeatureRows, type FeatureRows } from "@/lib/core/features/compute";
import { windowFromRows } from "@/lib/core/live-window";
import { loadDeployment } from "@/lib/db";
import { liveTick, type CandleSource, type LiveTickInput, type TickReport, type WindowMaker } from "./loop";

/** Stored candles as a source: the same columns at every clock (nothing after the clock is read). */
export function storedCandleSource(candles: Partial<Record<Interval, CandleColumns>>): CandleSource {
  return { read: async () => candles };
}

/**
 * Windows for a replay: each feature list's rows are computed once over every stored candle
 * (O(candles) per model, where liveWindow per candle is O(candles) per candle), then each
 * candle's window is cut from them at its close. Models of one dataset share the rows.
 */
export function replayWindows(): WindowMaker {
  const cache = new Map<string, { candles: object; alt: unknown; rows: FeatureRows }>();
  return (m, candles, at, alt) => {
    const key = JSON.stringify([m.baseInterval, m.features]);
    let hit = cache.get(key);
    if (hit?.candles !== candles || hit.alt !== alt) {
      hit = {
        candles,
        alt,
        rows: computeFeatureRows({ candles, baseInterval: m.baseInterval, features: m.features, alt }),
      };
      cache.set(key, hit);
    }
    return windowFromRows(hit.rows, { ...m, now: at });
  };
}

export interface ReplayInput extends Omit<LiveTickInput, "now" | "candles"> {
  candles: Partial<Record<Interval, CandleColumns>>;
  /** Replay candles opened after this time (ms): the run's data end. */
  after: number;
  /** Stop after this many base candles (default: all stored). */
  maxCandles?: number;
  onTick?: (report: TickReport, now: number) => void;
  signal?: AbortSignal;
}

/** Replays every stored base candle after `after`; returns the last tick's report (null when none). */
export async function replay(input: ReplayInput): Promise<TickReport | null> {
  const base = input.champion.baseInterval;
  const baseMs = intervalMs(base);
  const times = input.candles[base]?.openTime ?? new Float64Array();
  const source = storedCandleSource(input.candles);
  // A replay interrupted by a reload resumes after the last candle it handled.
  const handled = (await loadDeployment(input.db, input.deploymentId))?.lastCandle ?? -Infinity;
  const after = Math.max(input.after, handled);
  let last: TickReport | null = null;
  let n = 0;
  let { champion, challenger } = input;
  const windows = replayWindows();
  for (const t of times) {
    if (t <= after) continue;
    if (input.maxCandles !== undefined && n >= input.maxCandles) break;
    input.signal?.throwIfAborted();
    const now = t + baseMs;
    last = await liveTick({ ...input, champion, challenger, now, candles: source, windows });
    // A promotion makes the challenger the champion from the next candle; a rollback drops it.
    if (challenger && last.deployment.championRunId === challenger.runId)
      [champion, challenger] = [challenger, undefined];
    else if (last.deployment.challengerRunId === undefined) challenger = undefined;
    input.onTick?.(last, now);
    n++;
  }
  return last;
}
