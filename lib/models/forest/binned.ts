import { binCode, fitEdges } from "./binning";

/**
 * Training inputs as bin codes, laid out so that the flattened window view needs no [N, 5040]
 * copy: code of input j for sample i is codes[colBase[j] + rowOff[i]]. A plain matrix uses
 * column-major codes (colBase[j] = j*N, rowOff[i] = i); the window view stores one column per
 * base feature over all T rows and lets the 120 lagged inputs of a feature share it.
 */
export interface BinnedInputs {
  numInputs: number;
  numSamples: number;
  /** Bin codes (may be backed by a SharedArrayBuffer so workers share one copy). */
  codes: Uint8Array;
  /** [numInputs] offset of each input's column in `codes`. */
  colBase: Int32Array;
  /** [numSamples] offset of each sample within every column. */
  rowOff: Int32Array;
  /** Cut points of all edge groups, concatenated (float32, increasing within a group). */
  edges: Float32Array;
  /** [groups + 1] start of each group's cut points in `edges`. */
  edgeStart: Int32Array;
  /** [numInputs] the edge group (hence thresholds) input j uses. */
  inputGroup: Int32Array;
}

/** Real threshold of a split "code <= bin" on input j. */
export function splitThreshold(data: BinnedInputs, input: number, bin: number): number {
  return data.edges[data.edgeStart[data.inputGroup[input]] + bin];
}

/** Concatenates per-group cut points into (edges, edgeStart). */
export function packEdges(groups: Float32Array[]): { edges: Float32Array; edgeStart: Int32Array } {
  const edgeStart = new Int32Array(groups.length + 1);
  for (let g = 0; g < groups.length; g++) edgeStart[g + 1] = edgeStart[g] + groups[g].length;
  const edges = new Float32Array(edgeStart[groups.length]);
  groups.forEach((e, g) => edges.set(e, edgeStart[g]));
  return { edges, edgeStart };
}

/**
 * Bins a row-major matrix, fitting each column's cut points on these rows only (pass training
 * rows: test rows never influence the bins).
 * @param x row-major [n * p] float inputs
 * @returns codes column-major [p][n]
 */
export function binMatrix(x: ArrayLike<number>, n: number, p: number, maxBins = 256): BinnedInputs {
  if (x.length !== n * p) throw new Error(`binMatrix: expected ${n * p} values, got ${x.length}`);
  const codes = new Uint8Array(n * p);
  const groups: Float32Array[] = [];
  const col = new Float32Array(n);
  for (let j = 0; j < p; j++) {
    for (let i = 0; i < n; i++) col[i] = x[i * p + j];
    const e = fitEdges(col, maxBins);
    groups.push(e);
    for (let i = 0; i < n; i++) codes[j * n + i] = binCode(e, 0, e.length, col[i]);
  }
  const { edges, edgeStart } = packEdges(groups);
  const colBase = new Int32Array(p);
  const inputGroup = new Int32Array(p);
  for (let j = 0; j < p; j++) {
    colBase[j] = j * n;
    inputGroup[j] = j;
  }
  const rowOff = new Int32Array(n);
  for (let i = 0; i < n; i++) rowOff[i] = i;
  return { numInputs: p, numSamples: n, codes, colBase, rowOff, edges, edgeStart, inputGroup };
}
