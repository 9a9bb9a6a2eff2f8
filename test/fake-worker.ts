/**
 * In-process stand-ins for a Worker, for bridge and client tests in Node: `api` is exposed with
 * Comlink on one end of a MessageChannel (the same structured cloning and transfer as a real
 * Worker), the other end is the "worker". terminate() is recorded and closes the channel, and
 * the worker can fail the ways a real one does (an error event, a messageerror).
 */
import * as Comlink from "comlink";

export interface FakeWorker extends Worker {
  terminated: boolean;
  /** Fires an `error` event, as a script that fails to load or throws at top level does. */
  fail(message: string): void;
  /** Fires a `messageerror` event, as a message that cannot be deserialised does. */
  failMessage(): void;
}

/** A fake Worker running `api`. */
export function fakeWorker(api: object): FakeWorker {
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(api, port1 as unknown as Comlink.Endpoint);
  const w = Object.assign(port2, {
    terminated: false,
    terminate() {
      if (w.terminated) return;
      w.terminated = true;
      port1.close();
      port2.close();
    },
    fail(message: string) {
      w.dispatchEvent(Object.assign(new Event("error"), { message }));
    },
    failMessage() {
      w.dispatchEvent(new Event("messageerror"));
    },
  });
  return w as unknown as FakeWorker;
}

/** A worker factory that records every worker it makes (each with a fresh `makeApi()`). */
export function fakeWorkerFactory(makeApi: () => object): { create: () => FakeWorker; made: FakeWorker[] } {
  const made: FakeWorker[] = [];
  return {
    made,
    create: () => {
      const w = fakeWorker(makeApi());
      made.push(w);
      return w;
    },
  };
}

/** A promise and the functions that settle it, for APIs that wait on the test. */
export function deferred<T = void>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
