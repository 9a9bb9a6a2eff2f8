export { buildBundle, type BundleDataset, type BundleInput } from "./build";
export {
  readBundle,
  readBundleFile,
  bundleOrThrow,
  fingerprintMatch,
  type ReadBundle,
  type ReadBundleResult,
} from "./read";
export { BundleError } from "./errors";
export { BUNDLE_LIMITS } from "./limits";
export {
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  type BundleFeature,
  type BundleManifest,
  type BundleModelEntry,
  type BundleModelId,
} from "./manifest";
export {
  makeGoldenCases,
  pickGoldenEnds,
  goldenFile,
  normalisedWindow,
  float32Json,
  type GoldenCase,
  type GoldenFile,
  type GoldenInput,
  type GoldenCandles,
} from "./golden";
