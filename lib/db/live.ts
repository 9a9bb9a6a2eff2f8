/**
 * Typed access to the live loop's records. Writes are idempotent by key: a signal is added only
 * when its (deployment, candle) has none, an outcome only when the signal has none, a whole tick
 * inside one transaction (mergeTick, commitTick), so a reload, a catch-up or a second tab's late
 * write can never duplicate or overwrite a record.
 */
import { Dexie } from "dexie";
import { deploymentRecordSchema, signalRecordSchema, type DeploymentRecord, type SignalRecord } from "./live-records";
import { checkedRecord, restore } from "./restore";
import type { StudioDb } from "./schema";

export async function saveDeployment(db: StudioDb, d: DeploymentRecord): Promise<void> {
  await db.deployments.put(checkedRecord("deployment", deploymentRecordSchema, d));
}

export async function loadDeployment(db: StudioDb, id: string): Promise<DeploymentRecord | undefined> {
  const raw = await db.deployments.get(id);
  return raw === undefined ? undefined : restore("deployment", raw, deploymentRecordSchema, 1);
}

/** Deployments, newest first. */
export async function listDeployments(db: StudioDb): Promise<DeploymentRecord[]> {
  const raw = await db.deployments.orderBy("createdAt").reverse().toArray();
  return raw.map((r) => restore("deployment", r, deploymentRecordSchema, 1));
}

/** Deletes a deployment and every signal of it. */
export async function deleteDeployment(db: StudioDb, id: string): Promise<void> {
  await db.transaction("rw", db.deployments, db.signals, async () => {
    await db.signals.where("deploymentId").equals(id).delete();
    await db.deployments.delete(id);
  });
}

/** A deployment's signals in candle order (open time ascending), those opened at or after `from` when given. */
export async function listSignals(
  db: StudioDb,
  deploymentId: string,
  opts: { from?: number } = {},
): Promise<SignalRecord[]> {
  const raw = await db.signals
    .where("[deploymentId+openTime]")
    .between([deploymentId, opts.from ?? Dexie.minKey], [deploymentId, Dexie.maxKey], true, true)
    .toArray();
  return raw.map((r) => restore("signal", r, signalRecordSchema, 1));
}

export type SignalResolution = Pick<SignalRecord, "outcome" | "skipped">;

/** What one tick of the live loop writes. */
export interface TickWrites {
  /** New signals (added only where the candle has none). */
  signals: readonly SignalRecord[];
  /** Outcomes or skip notes by candle (written only where the signal has neither). */
  resolutions: readonly { openTime: number; resolution: SignalResolution }[];
  /** The deployment after the tick. */
  deployment: DeploymentRecord;
}

/**
 * The records a tick writes, given the signals already stored at its candles: a new signal only
 * where its candle has none, an outcome (or a skip note) only where the signal has neither, so
 * a reload, a catch-up or a second tab's late write can never duplicate or overwrite a record.
 * commitTick applies it to IndexedDB, the replay's buffered store (lib/jobs/live/tick-store.ts)
 * to the records it holds, so both follow one rule.
 * @param stored the signal stored at a candle's open time, if any
 * @returns the signals to write (their final form), and how many were added and resolved
 */
export function mergeTick(
  stored: (openTime: number) => SignalRecord | undefined,
  w: Pick<TickWrites, "signals" | "resolutions">,
): { writes: Map<number, SignalRecord>; added: number; resolved: number } {
  const writes = new Map<number, SignalRecord>();
  let added = 0;
  let resolved = 0;
  for (const s of w.signals) {
    if (writes.has(s.openTime) || stored(s.openTime) !== undefined) continue;
    writes.set(s.openTime, s);
    added++;
  }
  for (const { openTime, resolution } of w.resolutions) {
    const s = writes.get(openTime) ?? stored(openTime);
    if (s === undefined || s.outcome || s.skipped !== undefined) continue;
    writes.set(openTime, { ...s, ...resolution });
    resolved++;
  }
  return { writes, added, resolved };
}

/**
 * Writes a tick (or, from the replay's buffered store, several) in one transaction by
 * mergeTick's rules, so it is recorded whole or not at all: a reload mid-write cannot leave
 * signals without the lastCandle that says they were handled. The signals it may touch are read
 * in one bulkGet and written in one bulkPut (awaiting a get per signal made this commit half of
 * a replay's time per candle, bench:live). A deployment deleted meanwhile is not brought back.
 * @returns how many signals were added and outcomes written
 */
export async function commitTick(db: StudioDb, w: TickWrites): Promise<{ added: number; resolved: number }> {
  const deployment = checkedRecord("deployment", deploymentRecordSchema, w.deployment);
  const id = deployment.id;
  const fresh = w.signals.map((s) => checkedRecord("signal", signalRecordSchema, s));
  for (const s of fresh) if (s.deploymentId !== id) throw new Error(`signal for ${s.deploymentId} in a tick of ${id}`);
  const times = [...new Set([...fresh.map((s) => s.openTime), ...w.resolutions.map((r) => r.openTime)])];
  return db.transaction("rw", db.deployments, db.signals, async () => {
    const [exists, raw] = await Promise.all([
      db.deployments.get(id),
      times.length ? db.signals.bulkGet(times.map((t) => [id, t])) : [],
    ]);
    if (exists === undefined) throw new Error(`deployment ${id} was deleted: its tick is not recorded`);
    const rawAt = new Map(times.map((t, i) => [t, raw[i]]));
    const restored = new Map<number, SignalRecord>();
    const stored = (t: number) => {
      const r = rawAt.get(t);
      if (r === undefined) return undefined;
      let s = restored.get(t);
      if (!s) restored.set(t, (s = restore("signal", r, signalRecordSchema, 1)));
      return s;
    };
    const { writes, added, resolved } = mergeTick(stored, { signals: fresh, resolutions: w.resolutions });
    const checked = [...writes.values()].map((s) => checkedRecord("signal", signalRecordSchema, s));
    await Promise.all([checked.length ? db.signals.bulkPut(checked) : null, db.deployments.put(deployment)]);
    return { added, resolved };
  });
}
