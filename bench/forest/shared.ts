/** Dataset and helpers shared by the forest bench's page (browser.ts) and Node step (node.ts). */
import type { SampleSet } from "@/lib/core/dataset";
import { splitWindowsAt, syntheticWindows } from "@/test/synthetic-windows";

export const WINDOW = 120;
export const F = 42;

/** The learnable synthetic source sized for about `n` training windows, split 70/30 in time. */
export function benchData(n: number) {
  const rows = Math.round((n + WINDOW) / 0.7) + 40;
  const src = syntheticWindows(rows, F, WINDOW, 1);
  return { rows, src, ...splitWindowsAt(src, 0.7) };
}

/** Evenly spaced subset of a sample set (keeps the chronological spread). */
export function subsample(s: SampleSet, n: number): SampleSet {
  const m = Math.min(n, s.ends.length);
  const idx = Array.from({ length: m }, (_, k) => Math.floor((k * s.ends.length) / m));
  return { ends: Int32Array.from(idx, (i) => s.ends[i]), labels: Uint8Array.from(idx, (i) => s.labels[i]) };
}

export function accuracy(pred: ArrayLike<number>, labels: Uint8Array): number {
  let ok = 0;
  for (let i = 0; i < labels.length; i++) ok += pred[i] === labels[i] ? 1 : 0;
  return ok / labels.length;
}

/** What the Node step measured for ml-random-forest at one training size. */
export interface MlMeasure {
  n: number;
  trees: number;
  s: number;
  perTree: number;
  acc: number;
  modelBytes: number;
  heapMb: number;
}

/** Bench parameters from "k=v" command-line words (Node) or a query string (page). */
export function benchParams(q: URLSearchParams) {
  const num = (k: string, d: number) => (q.has(k) ? Number(q.get(k)) : d);
  return {
    trees: num("trees", 200),
    depth: num("depth", 20),
    n: num("n", 11000),
    view: (q.get("view") ?? "flat") as "flat" | "compact",
    ml: q.get("ml") !== "0",
    mlTrees: num("ml_trees", 2),
    mlN: (q.get("ml_n") ?? "1000,2000").split(",").map(Number),
  };
}
