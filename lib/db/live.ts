/**
 * Typed access to the live loop's records. Writes are idempotent by key: a signal is added only
 * when its (deployment, candle) has none, an outcome only when the signal has none, both inside
 * one transaction, so a reload, a catch-up or a second tab's late write can never duplicate or
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

/** Adds the signal unless its (deployment, candle) already has one. @returns true when added */
export async function addSignalOnce(db: StudioDb, s: SignalRecord): Promise<boolean> {
  const rec = checkedRecord("signal", signalRecordSchema, s);
  return db.transaction("rw", db.signals, async () => {
    if (await db.signals.get([rec.deploymentId, rec.openTime])) return false;
    await db.signals.add(rec);
    return true;
  });
}

/** A deployment's signals in candle order (open time ascending). */
export async function listSignals(db: StudioDb, deploymentId: string): Promise<SignalRecord[]> {
  const raw = await db.signals
    .where("[deploymentId+openTime]")
    .between([deploymentId, Dexie.minKey], [deploymentId, Dexie.maxKey])
    .toArray();
  return raw.map((r) => restore("signal", r, signalRecordSchema, 1));
}

export type SignalResolution = Pick<SignalRecord, "outcome" | "skipped">;

/**
 * Writes a signal's outcome (or why it has none) unless it already has one.
 * @returns true when written; false when the signal is missing or already resolved
 */
export async function resolveSignalOnce(
  db: StudioDb,
  deploymentId: string,
  openTime: number,
  resolution: SignalResolution,
): Promise<boolean> {
  return db.transaction("rw", db.signals, async () => {
    const raw = await db.signals.get([deploymentId, openTime]);
    if (!raw) return false;
    const s = restore("signal", raw, signalRecordSchema, 1);
    if (s.outcome || s.skipped !== undefined) return false;
    await db.signals.put(checkedRecord("signal", signalRecordSchema, { ...s, ...resolution }));
    return true;
  });
}
