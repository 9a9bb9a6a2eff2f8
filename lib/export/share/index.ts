export * from "./types";
export { decodeSharedRun, encodeSharedRun, shareFragment, shareUrl, toShareable, FRAGMENT_KEY } from "./codec";
export type { DecodeResult, ShareErrorKind } from "./codec";
export { downsample, downsampleIndices, roundSig } from "./compact";
export { projectRun, SHARE_DIGITS } from "./project";
export { validateSharedRun } from "./validate";
