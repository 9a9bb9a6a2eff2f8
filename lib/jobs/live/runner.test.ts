import { describe, expect, it } from "vitest";
import type { LockManagerLike } from "@/lib/jobs/collect/lock";
import type { TickReport } from "./loop";
import { LiveLockedError, nextCloseAt, runLiveLoop, type LoopStatus } from "./runner";

const H = 3_600_000;
const T0 = Date.UTC(2025, 0, 1);

describe("live loop runner", () => {
  it("ticks just after each close", () => {
    expect(nextCloseAt(T0 + 10, H, 2000)).toBe(T0 + 2000);
    expect(nextCloseAt(T0 + 2000, H, 2000)).toBe(T0 + H + 2000);
    expect(nextCloseAt(T0 + 30 * 60_000, H, 2000)).toBe(T0 + H + 2000);
  });

  it("retries network errors with growing waits and reports stale, then recovers", async () => {
    let now = T0 + 5000;
    const waits: number[] = [];
    const sleptAt: number[] = [];
    const statuses: LoopStatus[] = [];
    let calls = 0;
    const ac = new AbortController();
    await runLiveLoop({
      lockName: "live:x",
      baseMs: H,
      locks: null,
      clock: () => now,
      sleep: async (ms) => {
        waits.push(ms);
        sleptAt.push(now);
        now += ms;
        if (waits.length === 4) ac.abort();
      },
      signal: ac.signal,
      onStatus: (s) => statuses.push(s),
      tick: async () => {
        calls++;
        if (calls <= 2) throw new TypeError("Failed to fetch");
        return {} as TickReport;
      },
      retryMs: [5000, 60_000],
    });
    expect(waits.slice(0, 2)).toEqual([5000, 10_000]);
    expect(statuses.filter((s) => s.state === "stale").map((s) => s.message)).toEqual([
      "stale: Failed to fetch; retrying in 5 s",
      "stale: Failed to fetch; retrying in 10 s",
    ]);
    // After the recovery the loop waits for the next close + 2 s.
    expect(sleptAt[2] + waits[2]).toBe(nextCloseAt(sleptAt[2], H, 2000));
    expect(sleptAt[2] + waits[2]).toBe(T0 + H + 2000);
    expect(statuses.at(-1)!.state).toBe("stopped");
  });

  it("refuses to run when another tab holds the deployment's lock", async () => {
    const held: LockManagerLike = { request: async (_n, _o, cb) => cb(null) };
    let ticked = false;
    await expect(
      runLiveLoop({
        lockName: "live:x",
        baseMs: H,
        locks: held,
        tick: async () => ((ticked = true), {} as TickReport),
      }),
    ).rejects.toBeInstanceOf(LiveLockedError);
    expect(ticked).toBe(false);
  });
});
