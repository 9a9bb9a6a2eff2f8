import { describe, expect, it } from "vitest";
import { fakeWorkerFactory, sleep } from "@/test/fake-worker";
import type { RunEvaluation } from "../../run/types";
import { createExportClient } from "./client";

describe("export client", () => {
  it("cancels a bundle export: the worker is terminated and the call rejects with an AbortError", async () => {
    const factory = fakeWorkerFactory(() => ({
      bundle: () => new Promise<never>(() => undefined),
      importanceCsv: async (runId: string) => `feature,importance\n# ${runId}\n`,
    }));
    const client = createExportClient(factory.create);
    const ctrl = new AbortController();
    const bundle = client.bundle(
      "run-1",
      "ds-1",
      {} as RunEvaluation,
      { float16: false, onnx: true },
      { signal: ctrl.signal },
    );
    await sleep(5);
    ctrl.abort();
    await expect(bundle).rejects.toMatchObject({ name: "AbortError" });
    expect(factory.made[0].terminated).toBe(true);
    expect(await client.importanceCsv("run-1", "ds-1")).toBe("feature,importance\n# run-1\n");
  });
});
