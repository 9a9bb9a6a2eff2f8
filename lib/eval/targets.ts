/**
 * The guide's performance targets ("Expected Results → Performance Targets") as data, and a
 * grader. Figures are fractions (accuracy 0.55 = 55%); Sharpe is annualised.
 *
 *   minimum:     accuracy > 55%, Sharpe > 0.5, win rate > 50%
 *   good:        accuracy 60-70%, Sharpe 0.8-1.2, win rate 55-65%
 *   exceptional: accuracy > 70%, Sharpe > 1.5, win rate > 65%
 *   do not expect: 90%+ accuracy ("impossible in crypto markets"), 100% win rate ("unrealistic")
 */

export type TargetMetric = "accuracy" | "sharpe" | "winRate";

export interface TargetBand {
  /** Exclusive lower bound (the guide's "> x"). */
  minimum: number;
  /** Inclusive range [lo, hi] of "good performance". */
  good: [number, number];
  /** Exclusive lower bound of "exceptional performance". */
  exceptional: number;
  /** At or above this the guide says not to believe it (suspect leakage); absent for Sharpe. */
  implausible?: number;
}

export const GUIDE_TARGETS: Readonly<Record<TargetMetric, TargetBand>> = Object.freeze({
  accuracy: { minimum: 0.55, good: [0.6, 0.7], exceptional: 0.7, implausible: 0.9 },
  sharpe: { minimum: 0.5, good: [0.8, 1.2], exceptional: 1.5 },
  winRate: { minimum: 0.5, good: [0.55, 0.65], exceptional: 0.65, implausible: 1 },
});

/**
 * Grades, from worst to best: below the minimum; "minimum" (above minimum, below good);
 * "good" (at or above the good range's low end but not exceptional, which also covers the gap
 * between good's high end and exceptional, e.g. Sharpe 1.3); "exceptional"; and "implausible"
 * (the guide's do-not-expect figures: check for leakage before celebrating).
 */
export type Grade = "below-minimum" | "minimum" | "good" | "exceptional" | "implausible";

const GRADE_ORDER: Grade[] = ["below-minimum", "minimum", "good", "exceptional"];

export interface MetricGrade {
  metric: TargetMetric;
  value: number;
  grade: Grade;
  /** Human wording, e.g. "accuracy 62.0%: good (60-70%)". */
  detail: string;
}

export interface TargetGrades {
  perMetric: MetricGrade[];
  /** Worst grade over the graded metrics ("implausible" wins over everything); null if none graded. */
  overall: Grade | null;
}

/** Grade one figure against its band. */
export function gradeValue(
  metric: TargetMetric,
  value: number,
  targets: Readonly<Record<TargetMetric, TargetBand>> = GUIDE_TARGETS,
): Grade {
  const b = targets[metric];
  if (b.implausible !== undefined && value >= b.implausible) return "implausible";
  if (value > b.exceptional) return "exceptional";
  if (value >= b.good[0]) return "good";
  if (value > b.minimum) return "minimum";
  return "below-minimum";
}

function fmt(metric: TargetMetric, v: number): string {
  return metric === "sharpe" ? v.toFixed(2) : `${(v * 100).toFixed(1)}%`;
}

/**
 * Grades the figures given (non-finite or missing figures are skipped, e.g. win rate with no trades).
 * @param result accuracy and win rate as fractions, Sharpe annualised
 */
export function gradeAgainstTargets(
  result: Partial<Record<TargetMetric, number | null | undefined>>,
  targets: Readonly<Record<TargetMetric, TargetBand>> = GUIDE_TARGETS,
): TargetGrades {
  const perMetric: MetricGrade[] = [];
  for (const metric of ["accuracy", "sharpe", "winRate"] as TargetMetric[]) {
    const v = result[metric];
    if (typeof v !== "number" || !Number.isFinite(v)) continue;
    const grade = gradeValue(metric, v, targets);
    const b = targets[metric];
    const range =
      grade === "good"
        ? `${fmt(metric, b.good[0])}-${fmt(metric, b.good[1])}`
        : grade === "exceptional"
          ? `> ${fmt(metric, b.exceptional)}`
          : grade === "minimum"
            ? `> ${fmt(metric, b.minimum)}`
            : grade === "implausible"
              ? `>= ${fmt(metric, b.implausible!)}, check for leakage`
              : `<= ${fmt(metric, b.minimum)}`;
    const name = metric === "winRate" ? "win rate" : metric === "sharpe" ? "Sharpe" : "accuracy";
    perMetric.push({ metric, value: v, grade, detail: `${name} ${fmt(metric, v)}: ${grade} (${range})` });
  }
  let overall: Grade | null = null;
  if (perMetric.some((g) => g.grade === "implausible")) overall = "implausible";
  else if (perMetric.length) overall = GRADE_ORDER[Math.min(...perMetric.map((g) => GRADE_ORDER.indexOf(g.grade)))];
  return { perMetric, overall };
}
