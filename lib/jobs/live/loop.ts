/**
 * One tick of the live loop, the same for live and replay (only the clock `now` and the candle
 * source differ): every base candle closed since the deployment's last one gets a signal from the
 * champion (and the challenger in shadow mode), every signal whose horizon has closed gets its
 * outcome, and the A/B rules are applied. State is in IndexedDB, so a tick after a reload or a
 * closed tab catches up on the candles it missed and says so; writes are idempotent by key.
 */
import type { CandleColumns } from "@/lib/core/candles";
import type { FeatureSpec, LabelSpec, Normalization } from "@/lib/core/dataset";
import type { AltInputs } from "@/lib/core/features/alt-series";
import { intervalMs, type Interval } from "@/lib/core/intervals";
import { closedBy, liveWindow, type LiveWindow } from "@/lib/core/live-window";
import { type DeploymentRecord, type SignalRecord, type StudioDb, type TickWrites } from "@/lib/db";
import { evaluateAb, servedBy, type PairedOutcome } from "@/lib/live/ramp";
import { resolveOutcome, resolvePending } from "@/lib/live/outcome";
import { decideSignal } from "@/lib/live/signal";
import { dbTickStore, type TickStore } from "./tick-store";

/** A deployed run as the loop sees it: its dataset's feature spec and its models. */
export interface LiveModel {
  runId: string;
  /** Id of the dataset the run trained on: two models of one dataset share one window per candle. */
  datasetId?: string;
  baseInterval: Interval;
  features: readonly FeatureSpec[];
  window: number;
  normalization: Normalization;
  labelSpec: LabelSpec;
  /** Ensemble weights by model id. */
  weights: Readonly<Record<string, number>>;
  /** Class probabilities [4] per model id for one normalised window [window * F]. */
  predict(window: Float32Array): Promise<Record<string, ArrayLike<number>>>;
  /** The same for several windows in one call (a replay predicts the coming candles ahead). */
  predictMany?(windows: Float32Array[]): Promise<Record<string, ArrayLike<number>>[]>;
}

/** Where candles come from: the store after an incremental collect (live) or stored candles (replay). */
export interface CandleSource {
  /** Candles per timeframe known at `now` (may include candles not closed yet; they are cut off). */
  read(now: number): Promise<Partial<Record<Interval, CandleColumns>>>;
}

/**
 * The window a model sees at clock `at` (a candle's close), from the candles read this tick.
 * Live computes it from those candles (liveWindow); a replay reads it from feature rows computed
 * once over the stored candles (replayWindows), the same values by the truncation property.
 */
export type WindowMaker = (
  model: LiveModel,
  candles: Partial<Record<Interval, CandleColumns>>,
  at: number,
  alt?: AltInputs,
) => LiveWindow;

export const liveWindows: WindowMaker = (m, candles, at, alt) => liveWindow({ ...m, candles, alt, now: at });

export interface LiveTickInput {
  db: StudioDb;
  deploymentId: string;
  /** Clock (UTC ms). */
  now: number;
  candles: CandleSource;
  champion: LiveModel;
  challenger?: LiveModel;
  alt?: AltInputs;
  /** Default liveWindows. */
  windows?: WindowMaker;
  /** Where the tick reads its state and commits (default: IndexedDB every tick; a replay buffers). */
  store?: TickStore;
}

export interface TickReport {
  /** Signals added this tick. */
  signals: number;
  /** Outcomes written this tick. */
  outcomes: number;
  /** Candles handled without a signal (gap, incomplete window). */
  skipped: number;
  /** Candles handled that closed before the previous tick's clock would have seen them (catch-up). */
  caughtUp: number;
  deployment: DeploymentRecord;
}

const MAX_NOTES = 200;

function checkCompatible(champion: LiveModel, challenger?: LiveModel): void {
  if (champion.labelSpec.atrScaled)
    throw new Error(`run ${champion.runId}: ATR-scaled labels need the training median scale, not supported live yet`);
  if (!challenger) return;
  if (challenger.baseInterval !== champion.baseInterval)
    throw new Error(
      `challenger ${challenger.runId} uses base ${challenger.baseInterval}, the champion ${champion.baseInterval}: they must predict the same candles`,
    );
  if (challenger.labelSpec.horizon !== champion.labelSpec.horizon)
    throw new Error(
      `challenger ${challenger.runId} has horizon ${challenger.labelSpec.horizon}, the champion ${champion.labelSpec.horizon}`,
    );
}

async function decide(model: LiveModel, w: LiveWindow, d: DeploymentRecord) {
  if (!w.ok) return w;
  const s = decideSignal(await model.predict(w.normalized), model.weights, d.settings);
  return {
    ...w,
    decision: {
      runId: model.runId,
      predicted: s.predicted,
      probs: s.probs,
      modelProbs: s.modelProbs,
      confidence: s.confidence,
      direction: s.direction,
      tradeable: s.tradeable,
      size: s.size,
    },
  };
}

/** Runs one tick; see the module comment. */
export async function liveTick(input: LiveTickInput): Promise<TickReport> {
  const { db, now, champion, alt } = input;
  const windows = input.windows ?? liveWindows;
  const store = input.store ?? dbTickStore(db);
  checkCompatible(champion, input.challenger);
  let d = await store.deployment(input.deploymentId);
  if (!d) throw new Error(`no deployment ${input.deploymentId}`);
  if (champion.runId !== d.championRunId)
    throw new Error(`deployment ${d.id} has champion ${d.championRunId}, the loop was given ${champion.runId}`);
  // A challenger promoted or rolled back is no longer asked.
  const challenger = input.challenger?.runId === d.challengerRunId ? input.challenger : undefined;
  const base = champion.baseInterval;
  const baseMs = intervalMs(base);
  const all = await input.candles.read(now);
  const baseCandles = all[base] ? closedBy(all[base]!, base, now) : undefined;
  if (!baseCandles || baseCandles.openTime.length === 0)
    throw new Error(`no ${base} candle closed by ${new Date(now).toISOString()}`);
  const notes: DeploymentRecord["notes"] = [];
  const note = (kind: DeploymentRecord["notes"][number]["kind"], text: string) => notes.push({ at: now, kind, text });

  // Candles to handle: closed after the last handled one (a new deployment starts at the newest).
  const times = baseCandles.openTime;
  const newest = times[times.length - 1];
  let from = d.lastCandle === null ? times.length - 1 : times.findIndex((t) => t > d!.lastCandle!);
  if (from < 0) from = times.length;
  const todo = Array.from(times.subarray(from));
  if (d.lastCandle !== null && todo.length) {
    const missing = (todo[0] - d.lastCandle) / baseMs - 1;
    if (missing > 0)
      note(
        "gap",
        `${missing} ${base} candle${missing === 1 ? "" : "s"} missing after ${new Date(d.lastCandle).toISOString()} (exchange gap): skipped`,
      );
  }
  let skipped = 0;
  const fresh: SignalRecord[] = [];
  for (let i = 0; i < todo.length; i++) {
    const t = todo[i];
    if (i > 0 && t - todo[i - 1] > baseMs)
      note(
        "gap",
        `${(t - todo[i - 1]) / baseMs - 1} ${base} candles missing before ${new Date(t).toISOString()} (exchange gap): skipped`,
      );
    const at = t + baseMs; // the clock at this candle's close: the window sees nothing later
    const window = (m: LiveModel) => windows(m, all, at, alt);
    const cw = window(champion);
    const c = await decide(champion, cw, d);
    if (!c.ok || c.openTime !== t) {
      skipped++;
      note("gap", `no signal for ${new Date(t).toISOString()}: ${c.ok ? "the window ends earlier" : c.reason}`);
      continue;
    }
    const sameData = challenger?.datasetId !== undefined && challenger.datasetId === champion.datasetId;
    const ch = challenger ? await decide(challenger, sameData ? cw : window(challenger), d) : undefined;
    const traffic = d.ab?.status === "ramping" && ch?.ok ? d.ab.traffic : 0;
    fresh.push({
      v: 1,
      deploymentId: d.id,
      openTime: t,
      issuedAt: now,
      close: c.close,
      champion: c.decision,
      ...(ch?.ok ? { challenger: ch.decision } : {}),
      served: servedBy(t, traffic),
      traffic,
    });
  }
  const caughtUp = Math.max(0, todo.length - 1);
  if (caughtUp > 0 && !d.replay)
    note(
      "catch-up",
      `caught up on ${caughtUp} ${base} candle${caughtUp === 1 ? "" : "s"} that closed while the loop was not running`,
    );

  // Outcomes at exactly the horizon, for stored signals and this tick's alike.
  const h = champion.labelSpec.horizon;
  // Every signal due by an earlier tick's clock was resolved (outcome or gap) in that tick's
  // commit, so only the last horizon's signals and this tick's can be pending: reading those
  // alone keeps a tick O(horizon), where reading every signal made a long replay quadratic.
  const ramping = d.ab?.status === "ramping" && d.challengerRunId !== undefined;
  const before = d.lastCandle === null ? -Infinity : d.lastCandle - (h + 2) * baseMs;
  const stored = await store.signals(d.id, ramping ? {} : { from: Math.min(before, todo[0] ?? Infinity) });
  const byTime = new Map(stored.map((s) => [s.openTime, s]));
  for (const s of fresh) if (!byTime.has(s.openTime)) byTime.set(s.openTime, s);
  const pending = [...byTime.values()]
    .filter((s) => !s.outcome && s.skipped === undefined)
    .map((s) => ({ ...s, entryClose: s.close }));
  const resolutions: TickWrites["resolutions"][number][] = [];
  for (const r of resolvePending(pending, baseCandles, now, baseMs, h)) {
    const s = r.signal;
    if (r.status === "pending") continue;
    if (r.status === "gap") {
      resolutions.push({ openTime: s.openTime, resolution: { skipped: r.note } });
      note("gap", `no outcome for ${new Date(s.openTime).toISOString()}: ${r.note}`);
      continue;
    }
    const out = (m: SignalRecord["champion"]) =>
      resolveOutcome({
        ...m,
        baseSize: d!.settings.baseSize,
        feeRate: d!.settings.feeRate,
        entryClose: s.close,
        exitClose: r.exitClose,
        labelSpec: champion.labelSpec,
      });
    const outcome = {
      resolvedAt: now,
      exitClose: r.exitClose,
      champion: out(s.champion),
      ...(s.challenger ? { challenger: out(s.challenger) } : {}),
    };
    resolutions.push({ openTime: s.openTime, resolution: { outcome } });
    byTime.set(s.openTime, { ...s, outcome });
  }

  // A/B rules on the paired record (candles both models predicted and whose outcome is known).
  if (ramping && d.ab && d.challengerRunId) {
    const paired: PairedOutcome[] = [...byTime.values()]
      .filter((s) => s.outcome?.challenger)
      .sort((x, y) => x.openTime - y.openTime)
      .map((s) => ({
        openTime: s.openTime,
        championCorrect: s.outcome!.champion.correct,
        challengerCorrect: s.outcome!.challenger!.correct,
      }));
    const ab = evaluateAb(d.ab, paired, now, d.rules);
    if (ab !== d.ab) {
      const last = ab.decisions[ab.decisions.length - 1];
      note("info", `A/B: ${last.kind} ${last.from}% → ${last.to}%: ${last.reason}`);
      d =
        ab.status === "promoted"
          ? { ...d, ab, championRunId: d.challengerRunId, challengerRunId: undefined }
          : { ...d, ab };
      if (ab.status === "rolledBack") d = { ...d, challengerRunId: undefined };
    }
  }
  const lastCandle = todo.length ? todo[todo.length - 1] : d.lastCandle;
  d = { ...d, lastCandle: lastCandle ?? newest, notes: [...d.notes, ...notes].slice(-MAX_NOTES) };
  if (d.challengerRunId === undefined) delete d.challengerRunId;
  const { added: signals, resolved: outcomes } = await store.commit({ signals: fresh, resolutions, deployment: d });
  return { signals, outcomes, skipped, caughtUp, deployment: d };
}
