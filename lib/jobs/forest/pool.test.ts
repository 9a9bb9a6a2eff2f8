import * as Comlink from "comlink";
import { describe, expect, it } from "vitest";
import { binMatrix } from "@/lib/models/forest/binned";
import { trainForest } from "@/lib/models/forest/forest";
import { ruleData } from "@/test/rule-data";
import { createForestWorkerApi } from "@/lib/jobs/forest/api";
import { trainForestInPool } from "./pool";
import type { ForestProgress } from "./pool";

/** An in-process stand-in for a Worker: the real worker API exposed on a MessageChannel. */
function fakeWorker(delayMs = 0): Worker {
  const { port1, port2 } = new MessageChannel();
  const api = createForestWorkerApi();
  Comlink.expose(
    {
      init: api.init,
      grow: async (i: number) => {
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        return api.grow(i);
      },
      packGrown: api.packGrown,
    },
    port1 as unknown as Comlink.Endpoint,
  );
  let terminated = false;
  return Object.assign(port2, {
    terminate() {
      if (terminated) return;
      terminated = true;
      port1.close();
      port2.close();
    },
  }) as unknown as Worker;
}

describe("forest pool", () => {
  const { x, y } = ruleData(400, 5, 11);
  const set = { data: binMatrix(x, 400, 5), labels: y, numClasses: 4, featureNames: ["a", "b", "c", "d", "e"] };

  it("builds the same forest as one thread, with progress per tree", async () => {
    const progress: ForestProgress[] = [];
    const pooled = await trainForestInPool(
      set,
      { trees: 9, seed: 5 },
      { workers: 3, createWorker: () => fakeWorker(), onProgress: (p) => progress.push(p) },
    );
    const local = trainForest(set, { trees: 9, seed: 5 });
    expect(pooled.trees.length).toBe(9);
    pooled.trees.forEach((t, k) => {
      expect(t.feature).toEqual(local.trees[k].feature);
      expect(t.threshold).toEqual(local.trees[k].threshold);
      expect(t.left).toEqual(local.trees[k].left);
      expect(t.right).toEqual(local.trees[k].right);
      expect(t.value).toEqual(local.trees[k].value);
    });
    // Each worker packed its own trees: the model's trees are views of several workers' buffers,
    // put back in tree order.
    expect(new Set(pooled.trees.map((t) => t.feature.buffer)).size).toBeGreaterThan(1);
    expect(pooled.importances).toEqual(local.importances);
    expect(progress.map((p) => p.treesDone)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(progress[8].etaMs).toBe(0);
    expect(progress[0].workers).toBe(3);
  });

  it("a worker packs its trees in shared memory when asked (posting the forest then copies nothing)", () => {
    const api = createForestWorkerApi();
    api.init(set, { trees: 3, seed: 2 });
    for (const i of [2, 0]) api.grow(i);
    const shared = api.packGrown(true);
    expect(shared.indices).toEqual([2, 0]);
    expect(shared.trees[0].value.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(shared.trees[1].feature.buffer).toBe(shared.trees[0].feature.buffer);
    expect(shared.trees[1].feature).toEqual(trainForest(set, { trees: 3, seed: 2 }).trees[0].feature);
    // Packing hands the trees over: the next pack starts empty.
    expect(api.packGrown(false).trees).toEqual([]);
    api.grow(1);
    expect(api.packGrown(false).trees[0].value.buffer).toBeInstanceOf(ArrayBuffer);
  });

  it("cancels: rejects with AbortError and terminates every worker", async () => {
    const made: Worker[] = [];
    const ctrl = new AbortController();
    const run = trainForestInPool(
      set,
      { trees: 50 },
      {
        workers: 2,
        createWorker: () => {
          const w = fakeWorker(20);
          const terminate = w.terminate.bind(w);
          Object.assign(w, {
            terminated: false,
            terminate: () => (Object.assign(w, { terminated: true }), terminate()),
          });
          made.push(w);
          return w;
        },
        signal: ctrl.signal,
        onProgress: (p) => p.treesDone === 2 && ctrl.abort(),
      },
    );
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(made.length).toBe(2);
    for (const w of made) expect((w as unknown as { terminated: boolean }).terminated).toBe(true);
  });

  it("a worker that fails rejects the training with its error and stops the other workers", async () => {
    const made: Worker[] = [];
    const run = trainForestInPool(
      set,
      { trees: 50 },
      {
        workers: 3,
        createWorker: () => {
          const w = fakeWorker(20);
          const terminate = w.terminate.bind(w);
          Object.assign(w, {
            terminated: false,
            terminate: () => (Object.assign(w, { terminated: true }), terminate()),
          });
          made.push(w);
          return w;
        },
        onProgress: (p) =>
          p.treesDone === 2 && made[1].dispatchEvent(Object.assign(new Event("error"), { message: "out of memory" })),
      },
    );
    await expect(run).rejects.toThrow("forest worker failed: out of memory");
    expect(made.length).toBe(3);
    for (const w of made) expect((w as unknown as { terminated: boolean }).terminated).toBe(true);
  });
});
