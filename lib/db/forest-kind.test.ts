import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { listModels, loadModel } from "./runs";
import type { StudioDb } from "./schema";
import { freshDb } from "@/test/db";

let db: StudioDb;
afterEach(async () => {
  await db?.delete();
});

/** A forest model record as the studio stored it before the forest was named "forest" everywhere. */
function legacyForestRecord() {
  return {
    v: 1,
    runId: "r-old",
    name: "forest",
    kind: "random-forest",
    createdAt: 1,
    forest: {
      kind: "random-forest",
      numClasses: 4,
      numFeatures: 1,
      featureNames: ["feat_1h_rsi_t1"],
      importances: Float32Array.from([1]),
      trees: [
        {
          feature: Int32Array.from([-1]),
          threshold: Float32Array.from([0]),
          left: Int32Array.from([-1]),
          right: Int32Array.from([-1]),
          value: Float32Array.from([0.25, 0.25, 0.25, 0.25]),
        },
      ],
    },
  };
}

describe("models stored with the old forest kind", () => {
  it('read back as kind "forest", record and model alike, with everything else kept', async () => {
    db = freshDb();
    const old = legacyForestRecord();
    // Written raw, as an earlier version of the studio left it in IndexedDB.
    await db.models.put(old as unknown as Parameters<StudioDb["models"]["put"]>[0]);
    const got = await loadModel(db, "r-old", "forest");
    expect(got?.kind).toBe("forest");
    expect(got?.forest?.kind).toBe("forest");
    expect(got?.forest?.trees).toEqual(old.forest.trees);
    expect(got?.forest?.featureNames).toEqual(["feat_1h_rsi_t1"]);
    expect((await listModels(db, "r-old")).map((m) => m.kind)).toEqual(["forest"]);
  });

  it("still rejects a kind that was never stored", async () => {
    db = freshDb();
    await db.models.put({ ...legacyForestRecord(), kind: "gradient-boosting" } as unknown as Parameters<
      StudioDb["models"]["put"]
    >[0]);
    await expect(loadModel(db, "r-old", "forest")).rejects.toThrow(/unknown kind/);
  });
});
