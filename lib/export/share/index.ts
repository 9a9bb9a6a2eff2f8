export * from "./types";
export { decodeSharedRun, encodeSharedRun, shareFragment, shareUrl, toShareable, FRAGMENT_KEY } from "./codec";
export type { DecodeResult, ShareErrorKind } from "./codec";
export { curveFromHistory, downsample, downsampleIndices, roundSig, topImportances } from "./compact";
export type { EpochHistory } from "./compact";
export { validateSharedRun } from "./validate";
export { sharedBacktest, sharedCurve, sharedMetrics, sharedResult } from "./from-eval";
