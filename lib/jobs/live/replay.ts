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
import { defaultLocks, withExclusiveLock, type LockManagerLike } from "@/lib/jobs/collect/lock";
import type { AltInputs } from "@/lib/core/features/alt-series";
import type { LiveWindow } from "@/lib/core/live-window";
import {
  liveTick,
  type CandleSource,
  type LiveModel,
  type LiveTickInput,
  type TickReport,
  type WindowMaker,
} from "./loop";
import { LiveLockedError, liveLockName } from "./runner";
import { BufferedTickStore } from "./tick-store";

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
  // Two loads of one dataset give equal feature lists in different arrays: key by content, once per array.
  const keys = new WeakMap<object, string>();
  const keyOf = (m: LiveModel) => {
    let key = keys.get(m.features);
    if (key === undefined) keys.set(m.features, (key = JSON.stringify(m.features)));
    return `${m.baseInterval} ${key}`;
  };
  return (m, candles, at, alt) => {
    const key = keyOf(m);
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

/** Candles a replay predicts ahead in one worker call. */
export const PREDICT_AHEAD = 32;

type Probs = Record<string, ArrayLike<number>>;

/**
 * The coming candles' windows and their predictions, asked for a chunk ahead: the worker
 * computes the next chunk's forward passes while the page writes this chunk's signals, and one
 * message carries a chunk instead of one per candle. liveTick is unchanged: it gets its windows
 * from `windows` and its probabilities from `model(m).predict`, which return what was asked for
 * ahead (the same values, by the same code) or compute them as usual when a clock was not.
 * Windows are kept per dataset, so a challenger of the champion's dataset, which liveTick hands
 * the champion's window, finds its own prediction of that window.
 */
class Lookahead {
  private readonly windowsAt = new Map<string, Map<number, LiveWindow>>();
  private readonly probs = new Map<string, WeakMap<Float32Array, Promise<Probs>>>();

  constructor(
    private readonly base: WindowMaker,
    private readonly candles: Partial<Record<Interval, CandleColumns>>,
    private readonly alt: AltInputs | undefined,
  ) {}

  private static dataKey(m: LiveModel): string {
    return m.datasetId ?? m.runId;
  }

  /** Asks for the windows and predictions of `models` at the clocks `at`. */
  fill(models: readonly LiveModel[], at: readonly number[]): void {
    for (const m of models) {
      if (!m.predictMany) continue;
      const key = Lookahead.dataKey(m);
      const byClock = this.windowsAt.get(key) ?? new Map<number, LiveWindow>();
      this.windowsAt.set(key, byClock);
      const ok: Float32Array[] = [];
      for (const t of at) {
        let w = byClock.get(t);
        if (!w) byClock.set(t, (w = this.base(m, this.candles, t, this.alt)));
        if (w.ok) ok.push(w.normalized);
      }
      if (ok.length === 0) continue;
      const batch = m.predictMany(ok);
      const mine = this.probs.get(m.runId) ?? new WeakMap<Float32Array, Promise<Probs>>();
      this.probs.set(m.runId, mine);
      ok.forEach((w, i) => {
        const one = batch.then((r) => r[i]);
        one.catch(() => {}); // a failed batch is reported where a candle awaits it
        mine.set(w, one);
      });
    }
  }

  /** Forgets the windows at `at` (handled). */
  drop(at: number): void {
    for (const byClock of this.windowsAt.values()) byClock.delete(at);
  }

  readonly windows: WindowMaker = (m, candles, at, alt) =>
    (candles === this.candles && this.windowsAt.get(Lookahead.dataKey(m))?.get(at)) || this.base(m, candles, at, alt);

  model(m: LiveModel): LiveModel {
    const mine = () => this.probs.get(m.runId);
    return { ...m, predict: (w) => mine()?.get(w) ?? m.predict(w) };
  }
}

export interface ReplayInput extends Omit<LiveTickInput, "now" | "candles"> {
  candles: Partial<Record<Interval, CandleColumns>>;
  /** Replay candles opened after this time (ms): the run's data end. */
  after: number;
  /** Stop after this many base candles (default: all stored). */
  maxCandles?: number;
  onTick?: (report: TickReport, now: number) => void;
  signal?: AbortSignal;
  /** Web Locks (default navigator.locks; null: none): a replay holds its deployment's lock, as the live loop does. */
  locks?: LockManagerLike | null;
}

/**
 * Replays every stored base candle after `after`; returns the last tick's report (null when none).
 * Ticks commit in groups (BufferedTickStore); what was handled is committed before this returns
 * or throws, an abort included. Throws LiveLockedError when another tab runs this deployment.
 */
export async function replay(input: ReplayInput): Promise<TickReport | null> {
  const locks = input.locks === undefined ? defaultLocks() : input.locks;
  return withExclusiveLock(
    liveLockName(input.deploymentId),
    locks,
    () => new LiveLockedError(),
    () => replayLocked(input),
  );
}

async function replayLocked(input: ReplayInput): Promise<TickReport | null> {
  const base = input.champion.baseInterval;
  const baseMs = intervalMs(base);
  const times = input.candles[base]?.openTime ?? new Float64Array();
  const source = storedCandleSource(input.candles);
  const store = new BufferedTickStore(input.db, input.deploymentId);
  // A replay interrupted by a reload resumes after the last candle it committed.
  const handled = (await store.deployment(input.deploymentId))?.lastCandle ?? -Infinity;
  const after = Math.max(input.after, handled);
  let last: TickReport | null = null;
  let { champion, challenger } = input;
  const todo: number[] = [];
  for (const t of times) if (t > after) todo.push(t);
  if (input.maxCandles !== undefined) todo.splice(input.maxCandles);
  const clocks = todo.map((t) => t + baseMs);
  const ahead = new Lookahead(replayWindows(), input.candles, input.alt);
  const models = () => (challenger ? [champion, challenger] : [champion]);
  ahead.fill(models(), clocks.slice(0, PREDICT_AHEAD));
  try {
    for (let k = 0; k < clocks.length; k++) {
      input.signal?.throwIfAborted();
      // At a chunk's start, ask for the next chunk: it is computed while this one is written.
      if (k % PREDICT_AHEAD === 0) ahead.fill(models(), clocks.slice(k + PREDICT_AHEAD, k + 2 * PREDICT_AHEAD));
      const now = clocks[k];
      last = await liveTick({
        ...input,
        champion: ahead.model(champion),
        challenger: challenger && ahead.model(challenger),
        now,
        candles: source,
        windows: ahead.windows,
        store,
      });
      ahead.drop(now);
      // A promotion makes the challenger the champion from the next candle; a rollback drops it.
      if (challenger && last.deployment.championRunId === challenger.runId)
        [champion, challenger] = [challenger, undefined];
      else if (last.deployment.challengerRunId === undefined) challenger = undefined;
      input.onTick?.(last, now);
    }
  } finally {
    await store.flush();
  }
  return last;
}
