/**
 * The standard normal distribution function and its inverse, to ~1e-15, for the Sharpe-ratio
 * tests (sharpe.ts). Written here rather than taken from @stdlib: its two packages pull ~150
 * more into a node_modules that this project shares between checkouts.
 */

const SQRT_2PI = Math.sqrt(2 * Math.PI);

/** Standard normal density. */
export function normalPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT_2PI;
}

/**
 * Φ(x), the standard normal distribution function, by Marsaglia's series (J. Stat. Software 11,
 * 2004): Φ(x) = 1/2 + φ(x)(x + x³/3 + x⁵/(3·5) + …), summed until the terms stop changing it
 * (absolute error ~1e-15); below −3 the continued fraction of the Mills ratio (relative error
 * ~1e-15). Beyond |x| = 38, 0 or 1.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < -38) return 0;
  if (x > 38) return 1;
  // Lower tail: the series' 1/2 + (−1/2 + tiny) cancels; the continued fraction of the Mills
  // ratio keeps the relative precision that Φ⁻¹ of tiny p needs.
  if (x < -3) return lowerTail(-x);
  let sum = x;
  let term = x;
  const x2 = x * x;
  for (let i = 3; i < 2000; i += 2) {
    term *= x2 / i;
    const next = sum + term;
    if (next === sum) break;
    sum = next;
  }
  const p = 0.5 + sum * normalPdf(x);
  return Math.min(1, Math.max(0, p));
}

/** Φ(−z) for z > 3: φ(z) / (z + 1/(z + 2/(z + 3/(z + …)))), evaluated backwards. */
function lowerTail(z: number): number {
  let f = z;
  for (let k = 300; k >= 1; k--) f = z + k / f;
  return normalPdf(z) / f;
}

// Acklam's rational approximation of Φ⁻¹ (relative error 1.15e-9), refined by one Halley step.
const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Φ⁻¹(p) for p in (0, 1); −∞ / +∞ at 0 / 1, NaN outside [0, 1]. */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  // Upper half by symmetry (1 − p is exact there): the refinement then runs where Φ keeps its
  // relative precision.
  if (p > 0.5) return -normalQuantile(1 - p);
  let x: number;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x =
      (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
      ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q) /
      (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  }
  // Halley step on Φ(x) − p (Acklam's refinement): brings the error to the precision of Φ.
  const e = normalCdf(x) - p;
  const u = e * SQRT_2PI * Math.exp(0.5 * x * x);
  return x - u / (1 + (x * u) / 2);
}
