import type { CandleColumns } from "../candles";
import type { FeatureSpec } from "../dataset";
import { intervalMs, type Interval } from "../intervals";
import { publishedSeries, type AltInputs, type AltSeries, type AltSourceName } from "./alt-series";
import { alignToBase } from "./align";
import { makeContext, type TimeframeContext } from "./context";
import { getIndicator } from "./registry";

export interface FeatureRowsInput {
  /** Candles per timeframe; must hold the base interval and every timeframe the specs use. */
  candles: Partial<Record<Interval, CandleColumns>>;
  baseInterval: Interval;
  features: readonly FeatureSpec[];
  alt?: AltInputs;
}

/** Features for every base candle, before any row is dropped. */
export interface FeatureRows {
  /** B: number of base candles. */
  baseRows: number;
  /** Base open times (UTC ms) [B]. */
  times: Float64Array;
  /** Base closes [B]. */
  closes: Float64Array;
  /** Row-major [B * F], NaN where unknown (warm-up, missing aligned data, stale source). */
  values: Float32Array;
  /** 1 when the row has every timeframe aligned and every feature finite [B]. */
  valid: Uint8Array;
  /** 1 when every timeframe had its expected closed candle for the row [B]. */
  aligned: Uint8Array;
  /** Names of features filled with their neutral fallback (source missing). */
  fallbackFeatures: string[];
}

/** Timeframes a feature list reads (null = base), base first. */
export function featureTimeframes(features: readonly FeatureSpec[], base: Interval): Interval[] {
  const out: Interval[] = [base];
  for (const f of features) if (f.timeframe && !out.includes(f.timeframe)) out.push(f.timeframe);
  return out;
}

/**
 * Computes every feature of `features` for every base candle: each indicator runs on its own
 * timeframe's candles (memoised per timeframe), then columns are aligned to the base rows with
 * `alignToBase` (closed candles only). Cost O(F * candles).
 */
export function computeFeatureRows(input: FeatureRowsInput): FeatureRows {
  const { baseInterval: base, features } = input;
  const baseCandles = input.candles[base];
  if (!baseCandles) throw new Error(`no candles for the base interval ${base}`);
  const alt: Partial<Record<AltSourceName, AltSeries>> = {};
  for (const [k, v] of Object.entries(input.alt ?? {}) as [AltSourceName, AltInputs[AltSourceName]][])
    if (v) alt[k] = publishedSeries(k, v);

  const B = baseCandles.openTime.length;
  const F = features.length;
  const baseMs = intervalMs(base);
  const contexts = new Map<Interval, { ctx: TimeframeContext; map: Int32Array | null }>();
  const aligned = new Uint8Array(B).fill(1);
  for (const tf of featureTimeframes(features, base)) {
    const c = input.candles[tf];
    if (!c) throw new Error(`feature set needs ${tf} candles, none given`);
    const map = tf === base ? null : alignToBase(baseCandles.openTime, baseMs, c.openTime, intervalMs(tf));
    if (map) for (let i = 0; i < B; i++) if (map[i] < 0) aligned[i] = 0;
    contexts.set(tf, { ctx: makeContext(tf, c, alt), map });
  }

  const values = new Float32Array(B * F);
  const fallbackFeatures: string[] = [];
  features.forEach((spec, f) => {
    const def = getIndicator(spec.indicator);
    const { ctx, map } = contexts.get(spec.timeframe ?? base)!;
    const col = def.compute(ctx, { ...def.defaults, ...spec.params });
    if (col === null) {
      if (def.neutral === undefined) throw new Error(`feature ${spec.name}: source missing and no neutral value`);
      fallbackFeatures.push(spec.name);
      for (let i = 0; i < B; i++) values[i * F + f] = def.neutral;
      return;
    }
    for (let i = 0; i < B; i++) {
      const j = map ? map[i] : i;
      values[i * F + f] = j < 0 ? NaN : col[j];
    }
  });

  const valid = new Uint8Array(B);
  for (let i = 0; i < B; i++) {
    if (!aligned[i]) continue;
    let ok = 1;
    for (let k = i * F, e = k + F; k < e; k++) {
      if (!Number.isFinite(values[k])) {
        ok = 0;
        break;
      }
    }
    valid[i] = ok;
  }
  return {
    baseRows: B,
    times: baseCandles.openTime.slice(),
    closes: baseCandles.close.slice(),
    values,
    valid,
    aligned,
    fallbackFeatures,
  };
}
