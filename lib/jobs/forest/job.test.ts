import * as Comlink from "comlink";
import { describe, expect, it } from "vitest";
import { createForestWorkerApi } from "@/lib/jobs/forest/api";
import { splitWindowsAt, syntheticWindows } from "@/test/synthetic-windows";
import { windowTrainingSet } from "@/lib/models/forest/views";
import { trainForest } from "@/lib/models/forest/forest";
import { predictProbaView } from "@/lib/models/forest/predict";
import { evaluateForestInWorker, inForestWorker } from "./job";

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
  const { train } = splitWindowsAt(sw, 0.6);

  it("runs the work in the worker and terminates it afterwards", async () => {
    const w = fakeWorker();
    const set = await inForestWorker((api) => api.prepare(sw.source, sw.featureNames, train, "compact", 4), {
      createWorker: () => w,
    });
    expect(set).toEqual(windowTrainingSet(sw.source, sw.featureNames, train, "compact", 4));
    expect(w.terminated).toBe(true);
  });

  it("evaluates a forest in the worker with per-feature progress coming back to the page", async () => {
    const model = trainForest(windowTrainingSet(sw.source, sw.featureNames, train, "compact", 4), {
      trees: 4,
      maxDepth: 4,
      seed: 1,
    });
    const ends = train.ends.slice(-30);
    const permutation = {
      ends,
      labels: Uint8Array.from(train.labels.slice(-30)),
      featureNames: sw.featureNames,
      repeats: 1,
      seed: 2,
    };
    const progress: number[] = [];
    const w = fakeWorker();
    const got = await evaluateForestInWorker(
      model,
      sw.source,
      { some: ends },
      { permutation, onFeature: (done) => progress.push(done), createWorker: () => w },
    );
    expect(got.probs.some).toEqual(predictProbaView(model, sw.source, ends));
    expect(got.permutation).toHaveLength(21);
    expect(progress).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(w.terminated).toBe(true);
  });

  it("rejects with an AbortError when cancelled, and terminates the worker", async () => {
    const w = fakeWorker();
    const ctrl = new AbortController();
    const job = inForestWorker(() => new Promise<never>(() => undefined), {
      createWorker: () => w,
      signal: ctrl.signal,
    });
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
