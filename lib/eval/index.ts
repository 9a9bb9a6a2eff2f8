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
export * from "./chance";
export * from "./seeds";
export * from "./random";
export * from "./bootstrap";
export * from "./uncertainty";
export * from "./holm";
export * from "./sharpe";
export * from "./figure-text";
export {
  independentSampleVerdict,
  pairedVerdict,
  VERDICT_METRICS,
  type MetricVerdict,
  type VerdictGap,
  type VerdictMetric,
  type VerdictRow,
} from "./verdict";
export { verdictSentence } from "./verdict-text";
export * from "./tune-rules";
