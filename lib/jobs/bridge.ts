/**
 * The one bridge between the page and a worker (after squoosh's worker-bridge), used by every
 * job's client (collect, dataset, train, export, forest):
 * - lazy start: the worker is created on the first call, never at import;
 * - cancel: each call takes an AbortSignal. An abort terminates the worker and rejects the call
 *   with an AbortError; a call with a cooperative `cancel` first asks the worker to stop (so
 *   training keeps its best weights) and terminates only if it has not settled after `graceMs`;
 * - failure: an `error` event (a script that fails to load or throws at top level) or a
 *   `messageerror` rejects every call in flight with "<label> failed: …"; the next call starts
 *   a fresh worker (otherwise those calls would wait forever on a dead worker);
 * - idle stop: a worker with no call in flight for `idleMs` is terminated;
 * - transferables: arrays marked with withTransfer (./transfer) move instead of being copied.
 * Comlink stays the RPC layer: a worker exposes a typed table of functions and the page imports
 * its type only.
 */
import * as Comlink from "comlink";

/**
 * How long a worker may sit with no call in flight before it is stopped (ms). squoosh stops its
 * codec workers after 10 s; ours restart in well under a second (module load, a tfjs backend).
 */
export const IDLE_STOP_MS = 30_000;

/** Rejection for cancelled worker work (a DOMException where there is one, like fetch's). */
export function abortError(message = "Cancelled."): Error {
  return typeof DOMException !== "undefined"
    ? new DOMException(message, "AbortError")
    : Object.assign(new Error(message), { name: "AbortError" });
}

export interface WorkerBridgeOptions<Api, Ready> {
  /** Names the worker in errors, e.g. "dataset worker" → "dataset worker failed: …". */
  label: string;
  /** Makes the worker; called on the first call and again after each stop. */
  create: () => Worker;
  /**
   * Stop the worker once it has had no call in flight for this long (ms): 0 stops it as soon as
   * its last call settles (a worker per job), Infinity never. Default IDLE_STOP_MS.
   */
  idleMs?: number;
  /**
   * Runs once on each new worker before its first call (e.g. starting the tfjs backend); every
   * call receives its result. If it fails, the calls waiting on it reject with its error and the
   * worker is stopped.
   */
  setup?: (api: Comlink.Remote<Api>) => Promise<Ready>;
}

export interface BridgeCallOptions<Api> {
  signal?: AbortSignal;
  /**
   * Cooperative cancel: on abort, ask the worker to stop this call (it then settles by itself,
   * e.g. with the best weights so far). Without it, an abort terminates the worker at once.
   */
  cancel?: (api: Comlink.Remote<Api>) => unknown;
  /** With `cancel`: how long the call may take to settle before the worker is terminated (ms). */
  graceMs?: number;
}

export interface WorkerBridge<Api, Ready = void> {
  /**
   * Runs `work` against the worker (started if need be). Rejects with an AbortError when
   * `opts.signal` aborts (see BridgeCallOptions), with "<label> failed: …" when the worker fails.
   * Terminating the worker for one call's abort also rejects the other calls in flight on it,
   * with an error that says so.
   */
  call<T>(work: (api: Comlink.Remote<Api>, ready: Ready) => Promise<T>, opts?: BridgeCallOptions<Api>): Promise<T>;
  /** Stops the worker now; calls in flight reject with `reason` (default an AbortError). */
  terminate(reason?: unknown): void;
  /** Whether a worker is running now. */
  readonly running: boolean;
}

interface Started<Api, Ready> {
  worker: Worker;
  remote: Comlink.Remote<Api>;
  ready: Promise<Ready>;
  /** Rejecters of the calls in flight on this worker. */
  calls: Set<(reason: unknown) => void>;
  idleTimer?: ReturnType<typeof setTimeout>;
  stopped: boolean;
}

/** What a worker's error or messageerror event says, for "<label> failed: …". */
function failureText(e: Event): string {
  const message = (e as ErrorEvent).message;
  if (message) return message;
  return e.type === "messageerror"
    ? "a message from it could not be read"
    : "it could not start, or threw outside any call";
}

/** Creates a bridge; nothing starts until the first call. */
export function createWorkerBridge<Api, Ready = void>(
  options: WorkerBridgeOptions<Api, Ready>,
): WorkerBridge<Api, Ready> {
  const idleMs = options.idleMs ?? IDLE_STOP_MS;
  let current: Started<Api, Ready> | null = null;

  function stop(w: Started<Api, Ready>, reason: unknown): void {
    if (w.stopped) return;
    w.stopped = true;
    clearTimeout(w.idleTimer);
    if (current === w) current = null;
    w.worker.terminate();
    for (const reject of [...w.calls]) reject(reason);
  }

  function start(): Started<Api, Ready> {
    if (current) {
      clearTimeout(current.idleTimer);
      return current;
    }
    const worker = options.create();
    const w: Started<Api, Ready> = {
      worker,
      remote: Comlink.wrap<Api>(worker),
      ready: Promise.resolve(undefined as Ready),
      calls: new Set(),
      stopped: false,
    };
    const onFailure = (e: Event) => stop(w, new Error(`${options.label} failed: ${failureText(e)}`));
    worker.addEventListener("error", onFailure);
    worker.addEventListener("messageerror", onFailure);
    current = w;
    if (options.setup) {
      const setup = options.setup;
      w.ready = Promise.resolve().then(() => setup(w.remote));
      w.ready.catch((e: unknown) => stop(w, e));
    }
    return w;
  }

  function idleCheck(w: Started<Api, Ready>): void {
    if (w.stopped || w.calls.size > 0 || idleMs === Infinity) return;
    if (idleMs <= 0) stop(w, undefined);
    else w.idleTimer = setTimeout(() => stop(w, undefined), idleMs);
  }

  return {
    call(work, opts = {}) {
      const { signal, cancel, graceMs = 0 } = opts;
      if (signal?.aborted) return Promise.reject(abortError());
      let w: Started<Api, Ready>;
      try {
        w = start();
      } catch (e) {
        return Promise.reject(e);
      }
      return new Promise((resolve, reject) => {
        let graceTimer: ReturnType<typeof setTimeout> | undefined;
        const settle = () => {
          w.calls.delete(fail);
          clearTimeout(graceTimer);
          signal?.removeEventListener("abort", onAbort);
          idleCheck(w);
        };
        function fail(reason: unknown) {
          settle();
          reject(reason);
        }
        const terminate = () => {
          fail(abortError());
          stop(w, new Error(`${options.label} was stopped to cancel another task; please start this one again.`));
        };
        // Set once `work` has posted its call; an abort before that (the worker still in setup)
        // only drops this call: there is nothing to cancel in the worker yet.
        let dispatched = false;
        const onAbort = () => {
          if (!dispatched) return fail(abortError());
          if (!cancel) return terminate();
          graceTimer = setTimeout(terminate, graceMs);
          // A cancel that cannot be delivered changes nothing: the grace timer still terminates.
          Promise.resolve()
            .then(() => cancel(w.remote))
            .catch(() => undefined);
        };
        w.calls.add(fail);
        signal?.addEventListener("abort", onAbort, { once: true });
        w.ready
          .then(async (ready) => {
            if (!w.calls.has(fail)) return { sent: false as const }; // aborted during setup
            dispatched = true;
            return { sent: true as const, value: await work(w.remote, ready) };
          })
          .then(
            (r) => {
              if (!r.sent || !w.calls.has(fail)) return; // already rejected (aborted, failed or terminated)
              settle();
              resolve(r.value);
            },
            (e: unknown) => {
              if (w.calls.has(fail)) fail(e);
            },
          );
      });
    },
    terminate(reason = abortError()) {
      if (current) stop(current, reason);
    },
    get running() {
      return current !== null;
    },
  };
}

/** Whether `e` is a cancel (an AbortError), which the page reports as cancelled, not as a failure. */
export function isAbortError(e: unknown): boolean {
  return (e as { name?: unknown } | null)?.name === "AbortError";
}
