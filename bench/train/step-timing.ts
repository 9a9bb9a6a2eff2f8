/** The step benchmarks' timing (lstm-step.ts, transformer-step.ts): both paths interleaved, so drift hits both. */
import { setFusedOps } from "@/lib/models/fused";

/** Times `step` reps times on the fused and the op path, alternating, and prints median and min per path. */
export function timeBothPaths(reps: number, step: () => void): void {
  const paths = { fused: true, op: false };
  const times: Record<string, number[]> = { fused: [], op: [] };
  for (let r = 0; r < reps; r++)
    for (const [name, fused] of Object.entries(paths)) {
      setFusedOps(fused);
      const t0 = performance.now();
      step();
      times[name].push(performance.now() - t0);
    }
  setFusedOps(undefined);
  printStepTimes(times);
}

export function printStepTimes(times: Record<string, number[]>): void {
  for (const [name, v] of Object.entries(times)) {
    const sorted = [...v].sort((a, b) => a - b);
    const median = sorted[sorted.length >> 1];
    console.log(
      `${name}: median ${median.toFixed(1)} ms/step, min ${sorted[0].toFixed(1)} (${v.map((t) => t.toFixed(0)).join(" ")})`,
    );
  }
}
