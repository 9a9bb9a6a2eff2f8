/**
 * The browser's storage manager: whether the studio's data is persistent (not evicted under
 * storage pressure), and how much of the site's quota it uses. Chrome evicts "best-effort"
 * origins least recently used first when the disk runs low, which would lose collected candles
 * and trained runs without a word; `persist()` asks it not to (Chrome grants or refuses from
 * engagement, without a prompt).
 */
import { loadSettings, saveSettings } from "./settings";
import type { StudioDb } from "./schema";

/** The parts of `navigator.storage` used here (absent in old browsers and in Node). */
export interface StorageManagerLike {
  persist?: () => Promise<boolean>;
  persisted?: () => Promise<boolean>;
  estimate?: () => Promise<{ usage?: number; quota?: number }>;
}

export interface StorageStatus {
  /** true: the browser keeps the data under storage pressure; false: it may evict it; null: unknown. */
  persisted: boolean | null;
  /** Bytes used by this site and bytes it may use (null when the browser does not say). */
  usage: number | null;
  quota: number | null;
}

function browserStorage(): StorageManagerLike | undefined {
  return typeof navigator !== "undefined" ? (navigator.storage as StorageManagerLike | undefined) : undefined;
}

const finite = (x: unknown): number | null => (typeof x === "number" && Number.isFinite(x) ? x : null);

/** Reads persistence and usage; never throws (a failing call reads as unknown). */
export async function storageStatus(sm: StorageManagerLike | undefined = browserStorage()): Promise<StorageStatus> {
  const persisted = sm?.persisted ? await sm.persisted().catch(() => null) : null;
  const est = sm?.estimate ? await sm.estimate().catch(() => undefined) : undefined;
  return { persisted, usage: finite(est?.usage), quota: finite(est?.quota) };
}

/**
 * Asks for persistent storage the first time the studio stores data (remembered in settings, so
 * it is asked once), then reports the status. Already persistent: nothing is asked.
 */
export async function askPersistenceOnce(
  db: StudioDb,
  sm: StorageManagerLike | undefined = browserStorage(),
): Promise<StorageStatus> {
  const settings = await loadSettings(db);
  if (!settings.persistAsked && sm?.persist) {
    const already = sm.persisted ? await sm.persisted().catch(() => false) : false;
    if (!already) await sm.persist().catch(() => false);
    await saveSettings(db, { persistAsked: true });
  }
  return storageStatus(sm);
}

/** What the Data page says about it, in words. */
export function storageStatusText(s: StorageStatus): { usage: string; persistence: string } {
  const mb = (b: number) => (b >= 1e9 ? `${(b / 1e9).toFixed(1)} GB` : `${(b / 1e6).toFixed(1)} MB`);
  const usage =
    s.usage === null
      ? "This browser does not report how much storage the studio uses."
      : s.quota === null || s.quota === 0
        ? `${mb(s.usage)} used.`
        : `${mb(s.usage)} used of ${mb(s.quota)} this browser allows the studio (${((100 * s.usage) / s.quota).toFixed(1)}%).`;
  const persistence =
    s.persisted === true
      ? "Persistent: the browser will not clear the studio's data when disk space runs low."
      : s.persisted === false
        ? "Not persistent: the browser may clear the studio's data when disk space runs low. Export what you need to keep (bundles, .npz)."
        : "This browser does not say whether the studio's data is persistent.";
  return { usage, persistence };
}
