import "fake-indexeddb/auto";
import { afterEach, describe, expect, it } from "vitest";
import { freshDb } from "@/test/db";
import type { StudioDb } from "./schema";
import { loadSettings } from "./settings";
import { askPersistenceOnce, storageStatus, storageStatusText, type StorageManagerLike } from "./storage-quota";

let db: StudioDb;
afterEach(() => db?.delete());

/** A storage manager that grants persist() and counts the calls. */
function fakeStorage(granted = true): StorageManagerLike & { persistCalls: number } {
  let persisted = false;
  const sm = {
    persistCalls: 0,
    persist: async () => {
      sm.persistCalls++;
      persisted = granted;
      return granted;
    },
    persisted: async () => persisted,
    estimate: async () => ({ usage: 12_300_000, quota: 50_000_000_000 }),
  };
  return sm;
}

describe("persistent storage", () => {
  it("is asked for once, at the first store, and the answer is reported", async () => {
    db = freshDb();
    const sm = fakeStorage();
    expect((await storageStatus(sm)).persisted).toBe(false);
    const first = await askPersistenceOnce(db, sm);
    expect(first).toEqual({ persisted: true, usage: 12_300_000, quota: 50_000_000_000 });
    await askPersistenceOnce(db, sm);
    expect(sm.persistCalls).toBe(1);
    expect((await loadSettings(db)).persistAsked).toBe(true);
  });

  it("is not asked again after a refusal, and the page says what that means", async () => {
    db = freshDb();
    const sm = fakeStorage(false);
    const s = await askPersistenceOnce(db, sm);
    await askPersistenceOnce(db, sm);
    expect(sm.persistCalls).toBe(1);
    expect(storageStatusText(s).persistence).toMatch(/may clear the studio's data/);
    expect(storageStatusText(s).usage).toBe("12.3 MB used of 50.0 GB this browser allows the studio (0.0%).");
  });

  it("reads as unknown where the browser has no storage manager or its calls fail", async () => {
    db = freshDb();
    expect(await storageStatus(undefined)).toEqual({ persisted: null, usage: null, quota: null });
    const failing: StorageManagerLike = {
      persisted: () => Promise.reject(new Error("x")),
      estimate: () => Promise.reject(new Error("y")),
    };
    expect(await storageStatus(failing)).toEqual({ persisted: null, usage: null, quota: null });
    expect(storageStatusText({ persisted: null, usage: null, quota: null }).usage).toMatch(/does not report/);
  });
});
