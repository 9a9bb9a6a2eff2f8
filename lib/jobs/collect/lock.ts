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
 * Runs `fn` holding the Web Lock `name` if no other tab holds it; otherwise throws `held()`.
 * Without a lock manager (Node, old browsers) `fn` just runs. The one lock pattern of the
 * studio: the collector and the live loop both use it.
 */
export async function withExclusiveLock<T>(
  name: string,
  locks: LockManagerLike | undefined | null,
  held: () => Error,
  fn: () => Promise<T>,
): Promise<T> {
  if (!locks) return fn();
  return locks.request(name, { ifAvailable: true }, async (lock) => {
    if (!lock) throw held();
    return fn();
  });
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
  return withExclusiveLock("collect:" + seriesId, locks, () => new CollectLockedError(), fn);
}
