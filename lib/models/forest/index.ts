/** The Random Forest: pure TS (binning, trees, views, prediction, serialisation, importances). */
export type { ForestModel, ForestTree, ForestViewSpec } from "./types";
export type { ForestParams } from "./params";
export { DEFAULT_FOREST_PARAMS, FOREST_PARAM_RANGES, featuresPerSplit, resolveForestParams } from "./params";
export type { BinnedInputs } from "./binned";
export { binMatrix } from "./binned";
export type { ForestTrainingSet } from "./forest";
export { assembleForest, classWeightsFor, growTree, trainForest } from "./forest";
export type { TreeResult } from "./tree";
export {
  binCompactView,
  binFlatView,
  compactFeatureNames,
  compactMatrix,
  flatFeatureNames,
  viewInputs,
  windowTrainingSet,
} from "./views";
export { argmaxRows, predictProba, predictProbaView } from "./predict";
export { deserializeForest, serializeForest } from "./serialize";
export type { ImportanceRow, InputNameParts } from "./importance";
export { featureImportanceCsv, importanceBy, parseInputName } from "./importance";
