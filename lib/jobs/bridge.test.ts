import { afterEach, describe, expect, it } from "vitest";
import { deferred, fakeWorkerFactory, sleep } from "@/test/fake-worker";
import { createWorkerBridge, type WorkerBridge } from "./bridge";
import { withTransfer } from "./transfer";

/** A worker API with work that runs until told to stop, and a cooperative cancel. */
function makeApi() {
  let stop: (() => void) | null = null;
  const state = { cancelled: 0 };
  return {
    state,
    api: {
      double: (x: number) => 2 * x,
      hang: () => new Promise<never>(() => undefined),
      /** Runs until cancel(); then resolves with what it kept ("best weights"). */
      untilCancelled: () => new Promise<string>((resolve) => (stop = () => resolve("kept the best weights"))),
      cancel: () => {
        state.cancelled++;
        stop?.();
      },
      /** Ignores cancel(). */
      stubborn: () => new Promise<never>(() => undefined),
      wait: (ms: number) => sleep(ms).then(() => ms),
      length: (a: Float32Array) => a.length,
      fails: () => {
        throw Object.assign(new Error("the dataset is gone"), { name: "NotFoundError" });
      },
    },
  };
}
type Api = ReturnType<typeof makeApi>["api"];

const bridges: WorkerBridge<Api, unknown>[] = [];
afterEach(() => bridges.splice(0).forEach((b) => b.terminate()));

function setup(opts: { idleMs?: number; setup?: () => Promise<unknown> } = {}) {
  const states: ReturnType<typeof makeApi>["state"][] = [];
  const factory = fakeWorkerFactory(() => {
    const { api, state } = makeApi();
    states.push(state);
    return api;
  });
  const bridge = createWorkerBridge<Api, unknown>({
    label: "test worker",
    create: factory.create,
    idleMs: opts.idleMs ?? Infinity,
    setup: opts.setup,
  });
  bridges.push(bridge);
  return { bridge, made: factory.made, states };
}

describe("worker bridge", () => {
  it("starts the worker on the first call, then reuses it", async () => {
    const { bridge, made } = setup();
    expect(made.length).toBe(0);
    expect(bridge.running).toBe(false);
    expect(await bridge.call((api) => api.double(21))).toBe(42);
    expect(await bridge.call((api) => api.double(2))).toBe(4);
    expect(made.length).toBe(1);
    expect(bridge.running).toBe(true);
  });

  it("runs concurrent calls on one worker", async () => {
    const { bridge, made } = setup();
    const got = await Promise.all([
      bridge.call((api) => api.wait(30)),
      bridge.call((api) => api.wait(10)),
      bridge.call((api) => api.double(5)),
    ]);
    expect(got).toEqual([30, 10, 10]);
    expect(made.length).toBe(1);
  });

  it("keeps a worker's error name and message", async () => {
    const { bridge } = setup();
    await expect(bridge.call((api) => api.fails())).rejects.toMatchObject({
      name: "NotFoundError",
      message: "the dataset is gone",
    });
    expect(await bridge.call((api) => api.double(1))).toBe(2);
  });

  it("an abort terminates the worker and rejects with an AbortError; the next call starts a fresh worker", async () => {
    const { bridge, made } = setup();
    const ctrl = new AbortController();
    const call = bridge.call((api) => api.hang(), { signal: ctrl.signal });
    await sleep(10);
    ctrl.abort();
    await expect(call).rejects.toMatchObject({ name: "AbortError" });
    expect(made[0].terminated).toBe(true);
    expect(bridge.running).toBe(false);
    expect(await bridge.call((api) => api.double(3))).toBe(6);
    expect(made.length).toBe(2);
  });

  it("rejects an already aborted call without starting a worker", async () => {
    const { bridge, made } = setup();
    const ctrl = new AbortController();
    ctrl.abort();
    await expect(bridge.call((api) => api.double(1), { signal: ctrl.signal })).rejects.toMatchObject({
      name: "AbortError",
    });
    expect(made.length).toBe(0);
  });

  it("an abort of one call rejects the others on its worker with an error saying why", async () => {
    const { bridge } = setup();
    const ctrl = new AbortController();
    const other = bridge.call((api) => api.hang());
    const aborted = bridge.call((api) => api.hang(), { signal: ctrl.signal });
    await sleep(10);
    ctrl.abort();
    await expect(aborted).rejects.toMatchObject({ name: "AbortError" });
    await expect(other).rejects.toThrow("test worker was stopped to cancel another task; please start this one again.");
  });

  it("a cooperative cancel is asked first: the call settles with what the worker kept, and the worker lives on", async () => {
    const { bridge, made, states } = setup();
    const ctrl = new AbortController();
    const call = bridge.call((api) => api.untilCancelled(), {
      signal: ctrl.signal,
      cancel: (api) => api.cancel(),
      graceMs: 5_000,
    });
    await sleep(10);
    ctrl.abort();
    expect(await call).toBe("kept the best weights");
    expect(states[0].cancelled).toBe(1);
    expect(made[0].terminated).toBe(false);
    expect(await bridge.call((api) => api.double(4))).toBe(8);
    expect(made.length).toBe(1);
  });

  it("a call that ignores its cooperative cancel is terminated after the grace period", async () => {
    const { bridge, made, states } = setup();
    const ctrl = new AbortController();
    const call = bridge.call((api) => api.stubborn(), {
      signal: ctrl.signal,
      cancel: (api) => api.cancel(),
      graceMs: 80,
    });
    await sleep(10);
    const abortedAt = performance.now();
    ctrl.abort();
    await sleep(40);
    // Asked to cancel, still given its grace.
    expect(states[0].cancelled).toBe(1);
    expect(made[0].terminated).toBe(false);
    await expect(call).rejects.toMatchObject({ name: "AbortError" });
    expect(performance.now() - abortedAt).toBeGreaterThanOrEqual(75);
    expect(made[0].terminated).toBe(true);
  });

  it("a cooperative cancel of one call leaves the other calls on its worker alone", async () => {
    const { bridge } = setup();
    const ctrl = new AbortController();
    const other = bridge.call((api) => api.wait(40));
    const call = bridge.call((api) => api.untilCancelled(), {
      signal: ctrl.signal,
      cancel: (api) => api.cancel(),
      graceMs: 5_000,
    });
    await sleep(5);
    ctrl.abort();
    expect(await call).toBe("kept the best weights");
    expect(await other).toBe(40);
  });

  for (const [how, failWith, expected] of [
    [
      "an error event (a script that failed to load)",
      (w: { fail(m: string): void }) => w.fail("script failed"),
      /test worker failed: script failed/,
    ],
    [
      "a messageerror",
      (w: { failMessage(): void }) => w.failMessage(),
      /test worker failed: a message from it could not be read/,
    ],
  ] as const) {
    it(`${how} rejects every call in flight with a clear error; the next call starts a fresh worker`, async () => {
      const { bridge, made } = setup();
      const calls = [bridge.call((api) => api.hang()), bridge.call((api) => api.hang())];
      await sleep(5);
      failWith(made[0]);
      for (const c of calls) await expect(c).rejects.toThrow(expected);
      expect(made[0].terminated).toBe(true);
      expect(await bridge.call((api) => api.double(7))).toBe(14);
      expect(made.length).toBe(2);
    });
  }

  it("a worker that throws at top level right after it is created fails the first call", async () => {
    const factory = fakeWorkerFactory(() => makeApi().api);
    const bridge = createWorkerBridge<Api>({
      label: "test worker",
      create: () => {
        const w = factory.create();
        // A module that throws while evaluating: the error event comes after the constructor returns.
        queueMicrotask(() => w.fail("Uncaught ReferenceError: window is not defined"));
        return w;
      },
    });
    await expect(bridge.call((api) => api.double(1))).rejects.toThrow(
      "test worker failed: Uncaught ReferenceError: window is not defined",
    );
    expect(bridge.running).toBe(false);
  });

  it("a worker that cannot be created rejects the call with the constructor's error", async () => {
    const bridge = createWorkerBridge<Api>({
      label: "test worker",
      create: () => {
        throw new Error("Worker is not defined");
      },
    });
    await expect(bridge.call((api) => api.double(1))).rejects.toThrow("Worker is not defined");
  });

  it("stops an idle worker after idleMs, never one with a call in flight", async () => {
    const { bridge, made } = setup({ idleMs: 30 });
    const long = bridge.call((api) => api.wait(80));
    await sleep(50);
    expect(made[0].terminated).toBe(false); // busy: 50 ms > idleMs, still running
    expect(await long).toBe(80);
    await sleep(10);
    expect(made[0].terminated).toBe(false); // idle for 10 ms only
    await sleep(40);
    expect(made[0].terminated).toBe(true);
    expect(bridge.running).toBe(false);
    expect(await bridge.call((api) => api.double(1))).toBe(2);
    expect(made.length).toBe(2);
  });

  it("a call before the idle timeout keeps the worker", async () => {
    const { bridge, made } = setup({ idleMs: 40 });
    await bridge.call((api) => api.double(1));
    await sleep(25);
    await bridge.call((api) => api.double(1));
    await sleep(25);
    expect(made[0].terminated).toBe(false);
    expect(made.length).toBe(1);
  });

  it("idleMs 0 stops the worker before the caller resumes (a worker per job)", async () => {
    const { bridge, made } = setup({ idleMs: 0 });
    expect(await bridge.call((api) => api.double(1))).toBe(2);
    expect(made[0].terminated).toBe(true);
  });

  it("runs setup once per worker and hands its result to every call", async () => {
    let setups = 0;
    const { bridge, made } = setup({ setup: async () => `backend-${++setups}` });
    expect(await bridge.call(async (_, ready) => ready)).toBe("backend-1");
    expect(await bridge.call(async (_, ready) => ready)).toBe("backend-1");
    bridge.terminate();
    expect(await bridge.call(async (_, ready) => ready)).toBe("backend-2");
    expect(made.length).toBe(2);
  });

  it("a failed setup rejects with its own error and the next call tries a fresh worker", async () => {
    let setups = 0;
    const { bridge, made } = setup({
      setup: async () => {
        if (++setups === 1) throw new Error("No tfjs backend could start");
        return "wasm";
      },
    });
    await expect(bridge.call(async (_, ready) => ready)).rejects.toThrow("No tfjs backend could start");
    expect(made[0].terminated).toBe(true);
    expect(await bridge.call(async (_, ready) => ready)).toBe("wasm");
  });

  it("an abort while the worker is still in setup drops the call before it is sent, and keeps the worker", async () => {
    const ready = deferred<string>();
    const { bridge, made, states } = setup({ setup: () => ready.promise });
    const ctrl = new AbortController();
    let sent = false;
    const call = bridge.call(
      (api) => {
        sent = true;
        return api.untilCancelled();
      },
      { signal: ctrl.signal, cancel: (api) => api.cancel(), graceMs: 5_000 },
    );
    const other = bridge.call(async (_, backend) => backend);
    ctrl.abort();
    await expect(call).rejects.toMatchObject({ name: "AbortError" });
    ready.resolve("wasm");
    expect(await other).toBe("wasm");
    expect(sent).toBe(false);
    expect(states[0].cancelled).toBe(0);
    expect(made[0].terminated).toBe(false);
  });

  it("terminate() rejects the calls in flight with an AbortError", async () => {
    const { bridge, made } = setup();
    const call = bridge.call((api) => api.hang());
    await sleep(5);
    bridge.terminate();
    await expect(call).rejects.toMatchObject({ name: "AbortError" });
    expect(made[0].terminated).toBe(true);
  });

  it("moves arrays marked with withTransfer instead of copying them", async () => {
    const { bridge } = setup();
    const big = new Float32Array(1000);
    const view = big.subarray(10, 20);
    // The same buffer twice (a view and its whole array) is listed once, or postMessage throws.
    expect(await bridge.call((api) => api.length(withTransfer(big, [big, view])))).toBe(1000);
    expect(big.byteLength).toBe(0);
    const kept = new Float32Array(8);
    expect(await bridge.call((api) => api.length(kept))).toBe(8);
    expect(kept.byteLength).toBe(32);
  });
});
