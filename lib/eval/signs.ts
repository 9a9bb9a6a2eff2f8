/**
 * The guide's "good signs" and "bad signs" for a confusion matrix (Step 3.2), as checks.
 * Each sign says whether things are fine (`ok`), in the guide's words (`label`), and why (`detail`).
 * For a bad sign, ok = true means the bad sign is absent.
 */
import { CLASS_NAMES } from "../core/classes";
import { confusionTotal, rowShares, type ConfusionMatrix } from "./confusion";
import { perClassMetrics } from "./metrics";

export interface Sign {
  id: "diagonal" | "buy-precision" | "strong-confusion" | "random" | "single-class" | "opposite-confusion";
  kind: "good" | "bad";
  ok: boolean;
  label: string;
  detail: string;
}

/** Thresholds behind the words "> 60%", "minimal", "~25%", "only one class", "high". */
export const SIGN_THRESHOLDS = Object.freeze({
  /** BUY and STRONG_BUY precision must exceed this (guide: > 60%). */
  buyPrecision: 0.6,
  /** STRONG_SELL↔STRONG_BUY: share of either strong class's true samples predicted as the other must stay at or below this. */
  strongConfusion: 0.1,
  /** Cramér's V of the matrix below this means no association between truth and prediction (random-looking). */
  randomCramersV: 0.1,
  /** One predicted class taking at least this share of predictions counts as predicting only one class. */
  singleClassShare: 0.9,
  /** Share of samples predicted on the wrong side (buy vs sell) at or above this is high confusion between opposites. */
  oppositeShare: 0.5,
});

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/**
 * Cramér's V of a contingency table, over its non-empty rows and columns: 0 = prediction
 * independent of truth, 1 = perfect association. 0 when fewer than two rows or columns are used.
 */
export function cramersV(cm: ConfusionMatrix): number {
  const n = confusionTotal(cm);
  if (n === 0) return 0;
  const k = cm.length;
  const rowT = cm.map((r) => r.reduce((a, b) => a + b, 0));
  const colT = Array.from({ length: k }, (_, j) => cm.reduce((a, r) => a + r[j], 0));
  const rows = rowT.map((v, i) => (v > 0 ? i : -1)).filter((i) => i >= 0);
  const cols = colT.map((v, j) => (v > 0 ? j : -1)).filter((j) => j >= 0);
  const d = Math.min(rows.length, cols.length) - 1;
  if (d < 1) return 0;
  let chi2 = 0;
  for (const i of rows)
    for (const j of cols) {
      const e = (rowT[i] * colT[j]) / n;
      chi2 += (cm[i][j] - e) ** 2 / e;
    }
  return Math.sqrt(chi2 / (n * d));
}

/**
 * Evaluates the guide's signs on a 4-class confusion matrix (rows true, columns predicted, class
 * order STRONG_SELL, SELL, BUY, STRONG_BUY). Returns good signs first, then bad signs.
 */
export function confusionSigns(cm: ConfusionMatrix, t = SIGN_THRESHOLDS): Sign[] {
  const k = cm.length;
  const n = confusionTotal(cm);
  const shares = rowShares(cm);
  const per = perClassMetrics(cm);
  const signs: Sign[] = [];

  // Diagonal dominance: in every row with samples, the correct cell is the largest.
  const rowsWith = cm.map((r, i) => i).filter((i) => per[i].support > 0);
  const dominant = rowsWith.filter((i) => cm[i].every((v, j) => j === i || cm[i][i] > v));
  const notDominant = rowsWith.filter((i) => !dominant.includes(i)).map((i) => CLASS_NAMES[i]);
  signs.push({
    id: "diagonal",
    kind: "good",
    ok: n > 0 && dominant.length === rowsWith.length,
    label: "Diagonal dominance (correct predictions)",
    detail:
      n === 0
        ? "no samples"
        : `${dominant.length}/${rowsWith.length} classes predicted correctly more often than as any other class${notDominant.length ? `; not: ${notDominant.join(", ")}` : ""}`,
  });

  // BUY / STRONG_BUY precision > 60%.
  const buy = per.slice(2, 4);
  signs.push({
    id: "buy-precision",
    kind: "good",
    ok: buy.every((m) => m.predicted > 0 && m.precision > t.buyPrecision),
    label: `BUY/STRONG_BUY classes > ${pct(t.buyPrecision)} precision`,
    detail: buy.map((m) => `${m.className} ${m.predicted > 0 ? pct(m.precision) : "never predicted"}`).join(", "),
  });

  // Minimal confusion between STRONG_SELL and STRONG_BUY.
  const ss2sb = shares[0][k - 1];
  const sb2ss = shares[k - 1][0];
  signs.push({
    id: "strong-confusion",
    kind: "good",
    ok: ss2sb <= t.strongConfusion && sb2ss <= t.strongConfusion,
    label: "Minimal confusion between STRONG_SELL and STRONG_BUY",
    detail: `STRONG_SELL predicted STRONG_BUY ${pct(ss2sb)}, STRONG_BUY predicted STRONG_SELL ${pct(sb2ss)} (limit ${pct(t.strongConfusion)})`,
  });

  // Random-looking matrix: prediction carries no information about the truth.
  const v = cramersV(cm);
  let maxDev = 0;
  for (const i of rowsWith) for (const s of shares[i]) maxDev = Math.max(maxDev, Math.abs(s - 1 / k));
  signs.push({
    id: "random",
    kind: "bad",
    ok: n > 0 && v >= t.randomCramersV,
    label: "Random-looking matrix (all cells ~25%) → model not learning",
    detail: `Cramér's V ${v.toFixed(3)} (below ${t.randomCramersV} looks random); largest row share away from 25%: ${pct(maxDev)}`,
  });

  // Severe class bias: (almost) only one class predicted.
  let topCol = 0;
  const colT = Array.from({ length: k }, (_, j) => cm.reduce((a, r) => a + r[j], 0));
  for (let j = 1; j < k; j++) if (colT[j] > colT[topCol]) topCol = j;
  const topShare = n > 0 ? colT[topCol] / n : 0;
  const predictedClasses = colT.filter((c) => c > 0).length;
  signs.push({
    id: "single-class",
    kind: "bad",
    ok: n > 0 && topShare < t.singleClassShare,
    label: "Severe class bias (predicts only one class) → adjust class weights",
    detail:
      n === 0
        ? "no samples"
        : `${CLASS_NAMES[topCol]} is ${pct(topShare)} of predictions; ${predictedClasses} of ${k} classes ever predicted`,
  });

  // High confusion between opposite classes: wrong side (sell vs buy).
  const half = k / 2;
  let wrongSide = 0;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) if (i < half !== j < half) wrongSide += cm[i][j];
  const wrongShare = n > 0 ? wrongSide / n : 0;
  signs.push({
    id: "opposite-confusion",
    kind: "bad",
    ok: n > 0 && wrongShare < t.oppositeShare,
    label: "High confusion between opposite classes → feature engineering issue",
    detail: `${pct(wrongShare)} of samples predicted on the wrong side (sell vs buy); limit ${pct(t.oppositeShare)}`,
  });
  return signs;
}
