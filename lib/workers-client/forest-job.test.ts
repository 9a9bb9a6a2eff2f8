import * as Comlink from "comlink";
import { describe, expect, it } from "vitest";
import { createForestWorkerApi } from "@/lib/models/forest/worker-api";
import { chronologicalSplit, syntheticWindows } from "@/lib/models/forest/fixture";
import { windowTrainingSet } from "@/lib/models/forest/views";
import { inForestWorker } from "./forest-job";

/** The real worker API on a MessageChannel, recording whether it was terminated. */
function fakeWorker(): Worker & { terminated: boolean } {
  const { port1, port2 } = new MessageChannel();
  Comlink.expose(createForestWorkerApi(), port1 as unknown as Comlink.Endpoint);
  const w = Object.assign(port2, {
    terminated: false,
    terminate() {
      w.terminated = true;
      port1.close();
      port2.close();
    },
  });
  return w as unknown as Worker & { terminated: boolean };
}

describe("inForestWorker", () => {
  const sw = syntheticWindows(300, 21, 8, 5);
  const { train } = chronologicalSplit(sw, 0.6);

  it("runs the work in the worker and terminates it afterwards", async () => {
    const w = fakeWorker();
    const set = await inForestWorker((api) => api.prepare(sw.source, sw.featureNames, train, "compact", 4), { createWorker: () => w });
    expect(set).toEqual(windowTrainingSet(sw.source, sw.featureNames, train, "compact", 4));
    expect(w.terminated).toBe(true);
  });

  it("rejects with an AbortError when cancelled, and terminates the worker", async () => {
    const w = fakeWorker();
    const ctrl = new AbortController();
    const job = inForestWorker(() => new Promise<never>(() => undefined), { createWorker: () => w, signal: ctrl.signal });
    ctrl.abort();
    await expect(job).rejects.toMatchObject({ name: "AbortError" });
    expect(w.terminated).toBe(true);
  });

  it("rejects with a clear message when the worker fails to load", async () => {
    const w = fakeWorker();
    const job = inForestWorker(() => new Promise<never>(() => undefined), { createWorker: () => w });
    w.dispatchEvent(Object.assign(new Event("error"), { message: "script failed" }));
    await expect(job).rejects.toThrow(/forest worker failed: script failed/);
  });
});
