/** Evaluation: pure TS (no DOM, React, Dexie or tfjs), usable in workers, Node tests and the page. */
export * from "./confusion";
export * from "./metrics";
export * from "./baselines";
export * from "./ensemble";
export * from "./backtest";
export * from "./targets";
export * from "./importance";
export * from "./signs";
export * from "./report";
export * from "./control";
export * from "./random";
export { baselineVerdict, type MetricVerdict, type VerdictRow } from "./verdict";
