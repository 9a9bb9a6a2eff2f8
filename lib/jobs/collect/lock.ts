/** One collector per series across tabs, with the Web Locks API. */

export const LOCK_HELD_MESSAGE =
  "This series is already being collected in another tab or window. Wait for it to finish there, or cancel it there, then try again.";

export class CollectLockedError extends Error {
  constructor() {
    super(LOCK_HELD_MESSAGE);
    this.name = "CollectLockedError";
  }
}

/** The subset of navigator.locks used here (injectable in tests). */
export interface LockManagerLike {
  request<T>(name: string, options: { ifAvailable: true }, callback: (lock: unknown) => Promise<T>): Promise<T>;
}

/** navigator.locks when the environment has it (browsers, workers), else undefined. */
export function defaultLocks(): LockManagerLike | undefined {
  const nav = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  return nav?.locks;
}

/**
 * Runs `fn` holding the lock "collect:<seriesId>". Throws CollectLockedError when another tab
 * holds it. Without a lock manager (Node, old browsers) `fn` just runs.
 */
export async function withSeriesLock<T>(
  seriesId: string,
  locks: LockManagerLike | undefined | null,
  fn: () => Promise<T>,
): Promise<T> {
  if (!locks) return fn();
  return locks.request("collect:" + seriesId, { ifAvailable: true }, async (lock) => {
    if (!lock) throw new CollectLockedError();
    return fn();
  });
}
