import "fake-indexeddb/auto";
import { describe, expect, it } from "vitest";
import { getStudioDb, loadOutcome, outcomeRecord } from "@/lib/db";
import { packTrees } from "@/lib/models/forest/forest";
import { mulberry32 } from "@/lib/core/random";
import { fakeWorkerFactory, sleep } from "@/test/fake-worker";
import { inProcessDatasetClient } from "@/test/in-process-workers";
import { randomForest } from "@/test/random-forest";
import { summarizedRun } from "@/test/summarized-run";
import type { BuildFromStoreArgs } from "./build-from-store";
import { createDatasetClient } from "./client";

/** A dataset worker whose build never ends (a long build), and quick exports. */
function workers() {
  return fakeWorkerFactory(() => ({
    build: () => new Promise<never>(() => undefined),
    featuresCsv: async (id: string) => new Blob([`id,${id}\n`], { type: "text/csv" }),
  }));
}

describe("dataset client", () => {
  it("cancels a build: the worker is terminated, the call rejects with an AbortError, the next call works", async () => {
    const factory = workers();
    const client = createDatasetClient(factory.create);
    expect(factory.made.length).toBe(0); // lazy
    const ctrl = new AbortController();
    const build = client.build({} as BuildFromStoreArgs, { signal: ctrl.signal });
    await sleep(5);
    ctrl.abort();
    await expect(build).rejects.toMatchObject({ name: "AbortError" });
    expect(factory.made[0].terminated).toBe(true);
    expect(await (await client.featuresCsv("ds-1")).text()).toBe("id,ds-1\n");
    expect(factory.made.length).toBe(2);
  });

  it("cancels an export the same way", async () => {
    const factory = fakeWorkerFactory(() => ({ npz: () => new Promise<never>(() => undefined) }));
    const client = createDatasetClient(factory.create);
    const ctrl = new AbortController();
    const npz = client.npz("ds-1", "train", { signal: ctrl.signal });
    await sleep(5);
    ctrl.abort();
    await expect(npz).rejects.toMatchObject({ name: "AbortError" });
    expect(factory.made[0].terminated).toBe(true);
  });

  it("stores a trained model in the worker, from a transferred copy: the page's forest stays whole", async () => {
    const grown = randomForest(mulberry32(3), { trees: 6, depth: 5, features: 9, classes: 4 });
    const forest = { ...grown, trees: packTrees(grown.trees) };
    const before = structuredClone(forest);
    const outcome = summarizedRun().outcomes.find((o) => o.id === "forest")!;
    await inProcessDatasetClient().saveModel(outcomeRecord("run-client-save", outcome, { forest }));
    // The page's arrays were not the ones moved (a transfer would have emptied them).
    expect(forest).toEqual(before);
    expect(forest.trees[0].value.length).toBeGreaterThan(0);
    const saved = await loadOutcome(getStudioDb(), "run-client-save", "forest");
    expect(saved?.outcome).toEqual(outcome);
    expect(saved?.forest).toEqual(before);
  });
});
