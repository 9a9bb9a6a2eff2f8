/**
 * A fake clock and the sleep that advances it, for tests of pacing and retry waits: pass `now`
 * to WeightTracker (and the mock's `clock`) and `sleep` to the client, and minutes of waiting
 * run in milliseconds. `slept` lists every wait asked for (ms).
 */
export interface FakeClock {
  now: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  slept: number[];
}

export function fakeClock(startMs: number): FakeClock {
  let t = startMs;
  const slept: number[] = [];
  return {
    now: () => t,
    slept,
    sleep: async (ms: number) => {
      slept.push(ms);
      t += Math.max(0, ms);
      // Yield like a real timer would, so other tasks run between waits.
      await new Promise<void>((resolve) => setImmediate(resolve));
    },
  };
}
