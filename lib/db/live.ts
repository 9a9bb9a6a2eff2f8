/**
 * Typed access to the live loop's records. Writes are idempotent by key: a signal is added only
 * when its (deployment, candle) has none, an outcome only when the signal has none, a whole tick
 * inside one transaction (commitTick), so a reload, a catch-up or a second tab's late write can never duplicate or
 * overwrite a record.
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
 * Writes a tick in one transaction, : a signal is added only where its candle has none,
 * an outcome (or a skip note) only where the signal has neither; a tick is recorded whole or not at all (a reload mid-write cannot leave
 * signals without the lastCandle that says they were handled), and one commit per candle is
 * what lets a replay run at hundreds of candles a second.
 * @returns how many signals were added and outcomes written
 */
export async function commitTick(db: StudioDb, w: TickWrites): Promise<{ added: number; resolved: number }> {
  const deployment = checkedRecord("deployment", deploymentRecordSchema, w.deployment);
  const fresh = w.signals.map((s) => checkedRecord("signal", signalRecordSchema, s));
  return db.transaction("rw", db.deployments, db.signals, async () => {
    const id = deployment.id;
    let added = 0;
    let resolved = 0;
    const justAdded = new Map<number, SignalRecord>();
    for (const s of fresh) {
      if (s.deploymentId !== id) throw new Error(`signal for ${s.deploymentId} in a tick of ${id}`);
      if (await db.signals.get([id, s.openTime])) continue;
      justAdded.set(s.openTime, s);
      added++;
    }
    for (const { openTime, resolution } of w.resolutions) {
      const own = justAdded.get(openTime);
      const raw = own ?? (await db.signals.get([id, openTime]));
      if (!raw) continue;
      const s = own ?? restore("signal", raw, signalRecordSchema, 1);
      if (s.outcome || s.skipped !== undefined) continue;
      const next = checkedRecord("signal", signalRecordSchema, { ...s, ...resolution });
      if (own) justAdded.set(openTime, next);
      else await db.signals.put(next);
      resolved++;
    }
    if (justAdded.size) await db.signals.bulkAdd([...justAdded.values()]);
    await db.deployments.put(deployment);
    return { added, resolved };
  });
}
