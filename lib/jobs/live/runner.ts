/**
 * The live loop on a timer aligned to candle closes: a tick just after each base candle closes
 * (plus a settle delay, Binance publishes a closed candle a moment after its close), network
 * errors retried with capped backoff while the status says "stale", and a Web Lock per
 * deployment so two tabs never run the same loop. Clock and sleep are injected (tests, replay).
 */
import { defaultLocks, withExclusiveLock, type LockManagerLike } from "@/lib/jobs/collect/lock";
import type { TickReport } from "./loop";

export const LIVE_LOCK_HELD_MESSAGE =
  "This deployment's loop is already running in another tab or window; this tab shows its records.";

export class LiveLockedError extends Error {
  constructor() {
    super(LIVE_LOCK_HELD_MESSAGE);
    this.name = "LiveLockedError";
  }
}

/** The Web Lock a deployment's loop (live or replay) holds. */
export const liveLockName = (deploymentId: string) => `live:${deploymentId}`;

export type LoopState = "running" | "waiting" | "stale" | "stopped";

export interface LoopStatus {
  state: LoopState;
  message: string;
  /** When the next tick is due (ms). */
  nextAt?: number;
  /** Clock of the last successful tick (ms). */
  lastTickAt?: number;
}

export interface RunLoopOptions {
  lockName: string;
  baseMs: number;
  tick: (now: number) => Promise<TickReport>;
  clock?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  locks?: LockManagerLike | null;
  signal?: AbortSignal;
  onStatus?: (s: LoopStatus) => void;
  onTick?: (r: TickReport) => void;
  /** Delay after a close before asking for the candle (ms). Default 2000. */
  settleMs?: number;
  /** First and largest retry delay after an error (ms). Default 5 s and 60 s. */
  retryMs?: [number, number];
}

/** Next tick time after `now`: the next base close plus the settle delay. */
export function nextCloseAt(now: number, baseMs: number, settleMs: number): number {
  return Math.floor((now - settleMs) / baseMs) * baseMs + baseMs + settleMs;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(t);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** Runs until `signal` aborts (resolves) or another tab holds the lock (LiveLockedError). */
export async function runLiveLoop(o: RunLoopOptions): Promise<void> {
  const clock = o.clock ?? Date.now;
  const sleep = o.sleep ?? defaultSleep;
  const settle = o.settleMs ?? 2000;
  const [firstRetry, maxRetry] = o.retryMs ?? [5000, 60_000];
  const locks = o.locks === undefined ? defaultLocks() : o.locks;
  await withExclusiveLock(
    o.lockName,
    locks,
    () => new LiveLockedError(),
    async () => {
      let retry = firstRetry;
      let lastTickAt: number | undefined;
      while (!o.signal?.aborted) {
        const now = clock();
        let wait: number;
        try {
          o.onStatus?.({ state: "running", message: "checking for closed candles", lastTickAt });
          const r = await o.tick(now);
          lastTickAt = now;
          retry = firstRetry;
          o.onTick?.(r);
          const nextAt = nextCloseAt(clock(), o.baseMs, settle);
          wait = nextAt - clock();
          o.onStatus?.({
            state: "waiting",
            message: `next candle closes at ${new Date(nextAt - settle).toISOString()}`,
            nextAt,
            lastTickAt,
          });
        } catch (e) {
          if (o.signal?.aborted) break;
          wait = retry;
          retry = Math.min(maxRetry, retry * 2);
          o.onStatus?.({
            state: "stale",
            message: `stale: ${(e as Error).message}; retrying in ${Math.round(wait / 1000)} s`,
            nextAt: clock() + wait,
            lastTickAt,
          });
        }
        try {
          await sleep(Math.max(0, wait), o.signal);
        } catch {
          break;
        }
      }
      o.onStatus?.({ state: "stopped", message: "stopped", lastTickAt });
    },
  );
}
