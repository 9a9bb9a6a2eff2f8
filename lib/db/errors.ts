/** Storage errors worded for users. */

export const STORAGE_FULL_MESSAGE =
  "Browser storage is full: delete series or datasets you no longer need, then resume.";

/** Thrown when a write hit the browser's storage quota. Nothing of that write was kept. */
export class StorageFullError extends Error {
  constructor(cause?: unknown) {
    super(STORAGE_FULL_MESSAGE, cause === undefined ? undefined : { cause });
    this.name = "StorageFullError";
  }
}

/**
 * True for a quota error however it arrives: a DOMException "QuotaExceededError", Dexie's
 * QuotaExceededError, or an AbortError / Dexie error wrapping one (inner, cause, failures).
 */
export function isQuotaError(e: unknown, depth = 0): boolean {
  if (typeof e !== "object" || e === null || depth > 4) return false;
  const x = e as { name?: unknown; inner?: unknown; cause?: unknown; failures?: unknown; code?: unknown };
  if (x.name === "QuotaExceededError" || x.code === 22) return true;
  if (isQuotaError(x.inner, depth + 1) || isQuotaError(x.cause, depth + 1)) return true;
  return Array.isArray(x.failures) && x.failures.some((f) => isQuotaError(f, depth + 1));
}

/** Runs a write; a quota failure becomes a StorageFullError, anything else passes through. */
export async function guardQuota<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (isQuotaError(e)) throw new StorageFullError(e);
    throw e;
  }
}
