/** Export and share: share links, model bundle, ONNX (pure: bytes in, bytes out). */
export * as share from "./share";
export * as bundle from "./bundle";
export * as onnx from "./onnx";
export { datasetFingerprint, fnv1a32 } from "./hash";
export { forestProba } from "./forest-proba";
export { toFloat16Artifacts, decodeArtifactWeights, artifactWeights } from "./tfjs-weights";
