/** Rejection for cancelled worker work (a DOMException where there is one, like fetch's). */
export function abortError(message = "cancelled"): Error {
  return typeof DOMException !== "undefined"
    ? new DOMException(message, "AbortError")
    : Object.assign(new Error(message), { name: "AbortError" });
}

/**
 * Runs `work` against already created workers and always terminates them afterwards. Rejects
 * with an AbortError as soon as `signal` aborts, and with a clear error as soon as a worker
 * fails to load or throws at top level (otherwise the work would wait forever).
 */
export async function withWorkers<T>(
  workers: Worker[],
  work: () => Promise<T>,
  opts: { signal?: AbortSignal; label: string },
): Promise<T> {
  let onAbort: (() => void) | undefined;
  try {
    if (opts.signal?.aborted) throw abortError(`${opts.label} cancelled`);
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(abortError(`${opts.label} cancelled`));
      opts.signal?.addEventListener("abort", onAbort, { once: true });
    });
    const failed = new Promise<never>((_, reject) => {
      for (const w of workers)
        w.addEventListener("error", (e) =>
          reject(new Error(`${opts.label} failed: ${(e as ErrorEvent).message ?? "error"}`)),
        );
    });
    return await Promise.race([work(), aborted, failed]);
  } finally {
    if (onAbort) opts.signal?.removeEventListener("abort", onAbort);
    for (const w of workers) w.terminate();
  }
}
