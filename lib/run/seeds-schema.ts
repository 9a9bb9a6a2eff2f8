/**
 * Several training seeds as a run stores them: the option in its settings, every seed's test
 * figures in its evaluation, and their mean ± std in its summary (lib/run/seeds.ts).
 */
import * as v from "valibot";
import { count, figure, finite, refine, strictObj, text } from "@/lib/core/schema";

/** The seed counts the Train page offers. */
export const SEED_COUNTS = [1, 3, 5] as const;

/** Seeds per model; absent in a run's settings: 1. */
export const seedCountSchema = finite({ min: 1, max: 10, int: true });

/** One model's or ensemble's test figures with one seed. Null: undefined (no log loss, no backtest). */
export const seedScoreSchema = strictObj({
  id: text(60, 1),
  accuracy: figure,
  balancedAccuracy: figure,
  macroF1: figure,
  logLoss: v.nullable(figure),
  /** Of trading this result's signals with the run's backtest settings. */
  sharpe: v.nullable(figure),
  totalReturn: v.nullable(figure),
});
export type SeedScore = v.InferOutput<typeof seedScoreSchema>;

/** Seed offset k: every model trained with its configured seed + k. Offset 0 is the run's own models. */
export const seedResultSchema = strictObj({ offset: count, results: v.array(seedScoreSchema) });
export type SeedResult = v.InferOutput<typeof seedResultSchema>;

/** Every seed's results, offsets 0, 1, … in order (a run of one seed has one). */
export const seedResultsSchema = v.pipe(
  v.array(seedResultSchema),
  refine((s) =>
    s.length === 0
      ? "no seed"
      : s.every((r, k) => r.offset === k)
        ? null
        : `seed offsets ${s.map((r) => r.offset).join(", ")} are not 0, 1, …`,
  ),
);

/** Mean ± sample std over the seeds with a finite value; null with fewer than two. */
const stat = v.nullable(strictObj({ mean: figure, std: figure, n: count }));

/** What the dashboard shows of a run of several seeds: mean ± std of every figure of every model and ensemble. */
export const seedsSummarySchema = strictObj({
  /** Seeds trained (2 or more). */
  count: finite({ min: 2, int: true }),
  rows: v.array(
    strictObj({
      id: text(60, 1),
      accuracy: stat,
      balancedAccuracy: stat,
      macroF1: stat,
      logLoss: stat,
      sharpe: stat,
      totalReturn: stat,
    }),
  ),
});
export type SeedsSummary = v.InferOutput<typeof seedsSummarySchema>;
