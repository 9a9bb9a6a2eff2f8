/**
 * A trained random forest in compact form: each tree is a set of flat typed arrays (no objects
 * per node), which is what is stored in IndexedDB, put in the bundle and exported to ONNX.
 *
 * Node i of a tree is a leaf when feature[i] === -1; otherwise samples with
 * x[feature[i]] <= threshold[i] go to left[i], the others to right[i].
 * value[i * numClasses + c] is the class-c probability at leaf i (rows of leaves sum to 1;
 * entries of internal nodes are unused, may hold the node's class distribution).
 * The forest's probability is the mean of its trees' leaf probabilities.
 */
export interface ForestTree {
  feature: Int32Array;
  threshold: Float32Array;
  left: Int32Array;
  right: Int32Array;
  value: Float32Array;
}

export interface ForestModel {
  kind: "forest";
  numClasses: number;
  /** Width of the input vector the trees index into. */
  numFeatures: number;
  /** Names of the inputs, e.g. "feat_1h_rsi_t119" (length numFeatures). */
  featureNames: string[];
  trees: ForestTree[];
  /** Normalised impurity (Gini) importance per input, sums to 1. */
  importances: Float32Array;
  /**
   * Optional (added by the forest helper): how inputs were laid out from a window source, so a
   * view-aware prediction can read windows directly. Absent for a model trained on plain vectors.
   */
  view?: ForestViewSpec;
}

/**
 * Input layout over a normalised [T, F] window source. "flat": input s*F + f is feature f at step
 * s of the window (s = window-1 is the window's last row), as NumPy's X.reshape(N, -1).
 * "compact": per feature f, inputs 6f..6f+5 are last, mean, std, min, max, last-minus-first.
 */
export interface ForestViewSpec {
  kind: "flat" | "compact";
  window: number;
  features: number;
}
