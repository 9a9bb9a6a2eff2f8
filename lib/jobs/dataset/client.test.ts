import { describe, expect, it } from "vitest";
import { fakeWorkerFactory, sleep } from "@/test/fake-worker";
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
});
