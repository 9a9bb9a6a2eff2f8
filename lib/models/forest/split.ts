/**
 * Best split of one tree node over drawn inputs, on bin codes: a histogram of the node's samples
 * per input (distinct samples and class weights per bin), then a sweep of its occupied bins in
 * increasing order scoring every cut "code <= bin" by weighted Gini.
 *
 * A tree spends nearly all its time here, so the loops are shaped for the JIT:
 * - four inputs per pass over the node's samples: each sample's row, class and weight are read
 *   once for all four, and the four histograms' updates overlap;
 * - class weights in a stride of 4 slots when there are at most 4 classes, so the sweep keeps
 *   the running left sums in locals (the slots past the classes stay 0 and add exactly nothing);
 * - a node with fewer samples than bins lists its occupied bins from a 256-bit set of the bins
 *   it touched (in order for free) instead of sorting them, and with a min leaf of 1 keeps no
 *   counts per bin at all (see isSmall);
 * - the histogram is cleared as it is swept, not in a second pass.
 * Every sum is the same float operation on the same values in the same order as in the plain
 * one-input-at-a-time search (tree-reference.ts), so the same splits win, bit for bit: a
 * reordered sum would round differently and does change some splits.
 */

const BINS = 256;
/** Below this many samples at most that many of the 256 bins are occupied: list them from the touched set. */
const SMALL_NODE = BINS;

/** The winning split so far of the node being searched. */
export interface SplitBest {
  /** Gini score (sum over children of sum_c W_c^2 / W) of the best split, or the node's own. */
  score: number;
  /** Input of the best split, -1 while none beats the node. */
  input: number;
  /** Samples with code <= bin go left. */
  bin: number;
}

/**
 * Split search state for one tree: the node's samples live in row/y/w[start, end) (the grower
 * partitions them in place); the scratch histograms are allocated once.
 */
export class SplitSearch {
  // -Infinity, not 0: the field holds doubles from the start (no representation change later).
  readonly best: SplitBest = { score: -Infinity, input: -1, bin: -1 };
  /**
   * [max(4, classes)] class weights of the node, filled by the grower before beginNode (slots
   * past the classes stay 0 for the 4-class sweep).
   */
  readonly tot: Float64Array;
  /** Slots per bin in `hist`: 4 for up to 4 classes (the fast sweep), else the class count. */
  private readonly stride: number;
  /** [4][256 * stride] class weights per bin, for the inputs of one pass. */
  private readonly hist: Float64Array;
  /** [4][256] distinct samples per bin (the counted path only). */
  private readonly cnt: Int32Array;
  /** [4][8] bins touched by a node on the small path, one bit each. */
  private readonly seen = new Int32Array(4 * 8);
  /** [256] occupied bins of one input, increasing. */
  private readonly touched = new Int32Array(BINS);
  /** [classes] running left weights of the generic sweep. */
  private readonly wl: Float64Array;
  private start = 0;
  private end = 0;
  private total = Number.NaN;

  constructor(
    private readonly codes: Uint8Array,
    private readonly row: Int32Array,
    private readonly y: Uint8Array,
    private readonly w: Float64Array,
    private readonly numClasses: number,
    private readonly minLeaf: number,
  ) {
    this.stride = numClasses <= 4 ? 4 : numClasses;
    this.hist = new Float64Array(4 * BINS * this.stride);
    this.cnt = new Int32Array(4 * BINS);
    this.wl = new Float64Array(numClasses);
    this.tot = new Float64Array(Math.max(4, numClasses));
  }

  /**
   * Starts the search of node [start, end) whose class weights are in `tot` (sum `total`) and
   * whose Gini score is `nodeScore`: a split must beat that to count.
   */
  beginNode(start: number, end: number, total: number, nodeScore: number): void {
    this.start = start;
    this.end = end;
    this.total = total;
    this.best.score = nodeScore;
    this.best.input = -1;
    this.best.bin = -1;
  }

  /**
   * Scores inputs[0 .. count) in that order (the order decides between equal scores).
   * @param colBase [numInputs] column of each input in the codes
   */
  searchInputs(inputs: Int32Array, count: number, colBase: Int32Array): void {
    let k = 0;
    for (; k + 3 < count; k += 4) {
      const a = inputs[k];
      const b = inputs[k + 1];
      const c = inputs[k + 2];
      const d = inputs[k + 3];
      const small = this.isSmall();
      if (small) this.histFourSmall(colBase[a], colBase[b], colBase[c], colBase[d]);
      else this.histFour(colBase[a], colBase[b], colBase[c], colBase[d]);
      this.sweep(a, 0, small);
      this.sweep(b, 1, small);
      this.sweep(c, 2, small);
      this.sweep(d, 3, small);
    }
    for (; k < count; k++) this.searchOne(inputs[k], colBase[inputs[k]]);
  }

  /** Scores one input whose column starts at `base` in the codes. */
  searchOne(input: number, base: number): void {
    const small = this.isSmall();
    if (small) this.histOneSmall(base);
    else this.histOne(base);
    this.sweep(input, 0, small);
  }

  /**
   * Whether the node takes the small path: occupied bins from the touched set and no counts per
   * bin. With a min leaf of 1 a cut only needs an occupied bin on each side, which the touched
   * set says; a larger min leaf needs the counts, so every node then takes the counted path.
   */
  private isSmall(): boolean {
    return this.minLeaf === 1 && this.end - this.start < SMALL_NODE;
  }

  private histFour(baseA: number, baseB: number, baseC: number, baseD: number): void {
    const { codes, row, y, w, hist, cnt, stride: S } = this;
    const H = BINS * S;
    for (let q = this.start, e = this.end; q < e; q++) {
      const r = row[q];
      const c = y[q];
      const wq = w[q];
      const ba = codes[baseA + r];
      const bb = codes[baseB + r];
      const bc = codes[baseC + r];
      const bd = codes[baseD + r];
      cnt[ba]++;
      hist[ba * S + c] += wq;
      cnt[BINS + bb]++;
      hist[H + bb * S + c] += wq;
      cnt[2 * BINS + bc]++;
      hist[2 * H + bc * S + c] += wq;
      cnt[3 * BINS + bd]++;
      hist[3 * H + bd * S + c] += wq;
    }
  }

  private histFourSmall(baseA: number, baseB: number, baseC: number, baseD: number): void {
    const { codes, row, y, w, hist, seen, stride: S } = this;
    const H = BINS * S;
    for (let q = this.start, e = this.end; q < e; q++) {
      const r = row[q];
      const c = y[q];
      const wq = w[q];
      const ba = codes[baseA + r];
      const bb = codes[baseB + r];
      const bc = codes[baseC + r];
      const bd = codes[baseD + r];
      hist[ba * S + c] += wq;
      seen[ba >> 5] |= 1 << (ba & 31);
      hist[H + bb * S + c] += wq;
      seen[8 + (bb >> 5)] |= 1 << (bb & 31);
      hist[2 * H + bc * S + c] += wq;
      seen[16 + (bc >> 5)] |= 1 << (bc & 31);
      hist[3 * H + bd * S + c] += wq;
      seen[24 + (bd >> 5)] |= 1 << (bd & 31);
    }
  }

  private histOne(base: number): void {
    const { codes, row, y, w, hist, cnt, stride: S } = this;
    for (let q = this.start, e = this.end; q < e; q++) {
      const b = codes[base + row[q]];
      cnt[b]++;
      hist[b * S + y[q]] += w[q];
    }
  }

  private histOneSmall(base: number): void {
    const { codes, row, y, w, hist, seen, stride: S } = this;
    for (let q = this.start, e = this.end; q < e; q++) {
      const b = codes[base + row[q]];
      hist[b * S + y[q]] += w[q];
      seen[b >> 5] |= 1 << (b & 31);
    }
  }

  /** Scores every cut of histogram `slot` (of input `input`) and clears it. */
  private sweep(input: number, slot: number, small: boolean): void {
    const nb = small ? this.occupiedFromSeen(slot) : this.occupiedFromCounts(slot);
    if (this.stride === 4) this.sweep4(input, slot, nb, !small);
    else this.sweepGeneric(input, slot, nb, !small);
  }

  /** Lists the occupied bins of histogram `slot` (small path) in increasing order; returns how many. */
  private occupiedFromSeen(slot: number): number {
    const { touched, seen } = this;
    let nb = 0;
    for (let k = 0, o = slot * 8; k < 8; k++) {
      let bits = seen[o + k];
      seen[o + k] = 0;
      while (bits !== 0) {
        const low = bits & -bits;
        touched[nb++] = (k << 5) + 31 - Math.clz32(low);
        bits ^= low;
      }
    }
    return nb;
  }

  /** Lists the occupied bins of histogram `slot` (counted path) in increasing order; returns how many. */
  private occupiedFromCounts(slot: number): number {
    const { touched, cnt } = this;
    let nb = 0;
    for (let b = 0, o = slot * BINS; b < BINS; b++) if (cnt[o + b] > 0) touched[nb++] = b;
    return nb;
  }

  /** The sweep for up to 4 classes, left weights in locals. */
  private sweep4(input: number, slot: number, nb: number, counted: boolean): void {
    const { hist, cnt, touched, tot, minLeaf, best } = this;
    const n = this.end - this.start;
    const W = this.total;
    const eps = 1e-12 * W;
    const oh = slot * BINS * 4;
    const oc = slot * BINS;
    const t0 = tot[0];
    const t1 = tot[1];
    const t2 = tot[2];
    const t3 = tot[3];
    let bar = best.score + eps;
    let l0 = 0;
    let l1 = 0;
    let l2 = 0;
    let l3 = 0;
    let wlSum = 0;
    let nl = 0;
    let t = 0;
    // The last occupied bin cannot be a split point (everything would go left).
    for (; t + 1 < nb; t++) {
      const b = touched[t];
      const h = oh + b * 4;
      const h0 = hist[h];
      const h1 = hist[h + 1];
      const h2 = hist[h + 2];
      const h3 = hist[h + 3];
      hist[h] = 0;
      hist[h + 1] = 0;
      hist[h + 2] = 0;
      hist[h + 3] = 0;
      // wlSum adds class by class, as the plain search does.
      l0 += h0;
      wlSum += h0;
      l1 += h1;
      wlSum += h1;
      l2 += h2;
      wlSum += h2;
      l3 += h3;
      wlSum += h3;
      if (counted) {
        nl += cnt[oc + b];
        cnt[oc + b] = 0;
        if (nl < minLeaf) continue;
        if (n - nl < minLeaf) break;
      }
      const wrSum = W - wlSum;
      if (wlSum <= 0 || wrSum <= eps) continue;
      const r0 = t0 - l0;
      const r1 = t1 - l1;
      const r2 = t2 - l2;
      const r3 = t3 - l3;
      const sl = l0 * l0 + l1 * l1 + l2 * l2 + l3 * l3;
      const sr = r0 * r0 + r1 * r1 + r2 * r2 + r3 * r3;
      const score = sl / wlSum + sr / wrSum;
      if (score > bar) {
        best.score = score;
        best.input = input;
        best.bin = b;
        bar = score + eps;
      }
    }
    // Bins not swept (the last one, and those after a min-leaf stop) are cleared too.
    for (; t < nb; t++) {
      const b = touched[t];
      const h = oh + b * 4;
      hist[h] = 0;
      hist[h + 1] = 0;
      hist[h + 2] = 0;
      hist[h + 3] = 0;
      cnt[oc + b] = 0;
    }
  }

  /** The sweep for any number of classes (more than 4). */
  private sweepGeneric(input: number, slot: number, nb: number, counted: boolean): void {
    const { hist, cnt, touched, tot, wl, minLeaf, best, numClasses: C, stride: S } = this;
    const n = this.end - this.start;
    const W = this.total;
    const eps = 1e-12 * W;
    const oh = slot * BINS * S;
    const oc = slot * BINS;
    wl.fill(0);
    let wlSum = 0;
    let nl = 0;
    let t = 0;
    for (; t + 1 < nb; t++) {
      const b = touched[t];
      const h = oh + b * S;
      for (let c = 0; c < C; c++) {
        const v = hist[h + c];
        hist[h + c] = 0;
        wl[c] += v;
        wlSum += v;
      }
      if (counted) {
        nl += cnt[oc + b];
        cnt[oc + b] = 0;
        if (nl < minLeaf) continue;
        if (n - nl < minLeaf) break;
      }
      const wrSum = W - wlSum;
      if (wlSum <= 0 || wrSum <= eps) continue;
      let sl = 0;
      let sr = 0;
      for (let c = 0; c < C; c++) {
        sl += wl[c] * wl[c];
        const rc = tot[c] - wl[c];
        sr += rc * rc;
      }
      const score = sl / wlSum + sr / wrSum;
      if (score > best.score + eps) {
        best.score = score;
        best.input = input;
        best.bin = b;
      }
    }
    for (; t < nb; t++) {
      const b = touched[t];
      hist.fill(0, oh + b * S, oh + b * S + C);
      cnt[oc + b] = 0;
    }
  }
}
