/**
 * Display text of evaluation figures that can be undefined: every figure goes through a finite
 * check, so no page ever prints "Infinity pp", "NaN%" or "∞" for a figure that does not exist
 * (a verdict printed "Infinity pp" for an empty test part; zero trades showed a profit factor
 * of "∞ (no losing trade)").
 */
import { formatNum } from "../core/format";

const MINUS = "−";

/** A gap in percentage points with its sign, 0.068 → "+6.8 pp"; "—" when not finite. */
export function ppText(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return "—";
  return `${x >= 0 ? "+" : MINUS}${Math.abs(x * 100).toFixed(digits)} pp`;
}

/** A signed percentage-point value without unit, −0.004 → "−0.4". */
function signedPp(x: number, digits: number): string {
  return `${x >= 0 ? "+" : MINUS}${Math.abs(x * 100).toFixed(digits)}`;
}

/** A gap's interval in pp, [0.021, 0.11] → "+2.1 to +11.0 pp"; "" when either end is not finite. */
export function ppIntervalText(interval: readonly [number, number] | undefined, digits = 1): string {
  if (!interval || !interval.every(Number.isFinite)) return "";
  return `${signedPp(interval[0], digits)} to ${signedPp(interval[1], digits)} pp`;
}

/** An interval of a fraction in %, [0.41, 0.453] → "41.0–45.3"; "" when absent or not finite. */
export function pctIntervalText(interval: readonly [number, number] | null | undefined, digits = 1): string {
  if (!interval || !interval.every(Number.isFinite)) return "";
  return `${(interval[0] * 100).toFixed(digits)}–${(interval[1] * 100).toFixed(digits)}`;
}

/** An interval of a plain number, [1.21, 1.3] → "1.210–1.300"; "" when absent or not finite. */
export function numIntervalText(interval: readonly [number, number] | null | undefined, digits = 3): string {
  if (!interval || !interval.every(Number.isFinite)) return "";
  return `${interval[0].toFixed(digits)}–${interval[1].toFixed(digits)}`;
}

/**
 * Profit factor (gross profit / gross loss): "—" with no trades (undefined, not infinite);
 * "∞ (no losing trade)" only when there were trades and none lost (stored as null or Infinity).
 */
export function profitFactorText(profitFactor: number | null | undefined, trades: number): string {
  if (!(trades > 0)) return "—";
  if (profitFactor === null || profitFactor === undefined || profitFactor === Infinity) return "∞ (no losing trade)";
  return formatNum(profitFactor, 2);
}
