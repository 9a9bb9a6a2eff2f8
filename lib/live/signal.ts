/**
 * One live signal from the models' class probabilities for the newest candle: the ensemble
 * (lib/eval's weighted average, the same code the Results page evaluates), its class,
 * confidence, whether it is tradeable, and the guide's suggested size (base size × confidence).
 */
import { CLASS_NAMES, NUM_CLASSES, type ClassName } from "../core/classes";
import { argmaxRows } from "../eval/confusion";
import { ensembleProbs, GUIDE_ENSEMBLE_WEIGHTS } from "../eval/ensemble";
import { DEFAULT_BACKTEST_SETTINGS } from "../eval/backtest";

export interface SignalSettings {
  /** Minimum ensemble confidence (max class probability) to trade. Default 0.4, as the backtest. */
  minConfidence: number;
  /** The guide's base size in quote currency (its example: $1000). */
  baseSize: number;
  /** Only long trades; sell signals are not tradeable. Default false. */
  longOnly: boolean;
  /** Fee per side as a fraction of notional. Default 0.001, as the backtest. */
  feeRate: number;
}

export const DEFAULT_SIGNAL_SETTINGS: Readonly<SignalSettings> = Object.freeze({
  minConfidence: DEFAULT_BACKTEST_SETTINGS.minConfidence,
  baseSize: 1000,
  longOnly: DEFAULT_BACKTEST_SETTINGS.longOnly,
  feeRate: DEFAULT_BACKTEST_SETTINGS.feeRate,
});

export interface SignalDecision {
  /** Ensemble class (argmax, ties → lower index). */
  predicted: number;
  className: ClassName;
  /** Ensemble probabilities [k]. */
  probs: number[];
  /** Each model's probabilities [k], by model id. */
  modelProbs: Record<string, number[]>;
  /** Weights actually used (present models, summing to 1). */
  weights: Record<string, number>;
  /** Max ensemble probability. */
  confidence: number;
  /** +1 buy side, -1 sell side. */
  direction: 1 | -1;
  tradeable: boolean;
  /** baseSize × confidence when tradeable, else 0 (quote currency). */
  size: number;
}

/**
 * Ensembles the models' probabilities for one candle and decides the signal.
 * @param probsByModel one row [k] per model id (a missing model is left out)
 */
export function decideSignal(
  probsByModel: Record<string, ArrayLike<number>>,
  weights: Readonly<Record<string, number>> = GUIDE_ENSEMBLE_WEIGHTS,
  settings: SignalSettings = DEFAULT_SIGNAL_SETTINGS,
): SignalDecision {
  const rows: Record<string, Float32Array> = {};
  for (const [id, p] of Object.entries(probsByModel)) {
    if (p.length !== NUM_CLASSES)
      throw new Error(`model ${id} gave ${p.length} probabilities, expected ${NUM_CLASSES}`);
    rows[id] = Float32Array.from(p);
  }
  const { probs, weights: used } = ensembleProbs(rows, weights);
  const predicted = argmaxRows(probs)[0];
  const confidence = probs[predicted];
  const direction: 1 | -1 = predicted >= NUM_CLASSES / 2 ? 1 : -1;
  const tradeable = confidence >= settings.minConfidence && !(settings.longOnly && direction < 0);
  return {
    predicted,
    className: CLASS_NAMES[predicted],
    probs: Array.from(probs),
    modelProbs: Object.fromEntries(Object.entries(rows).map(([id, p]) => [id, Array.from(p)])),
    weights: used,
    confidence,
    direction,
    tradeable,
    size: tradeable ? settings.baseSize * confidence : 0,
  };
}
