/**
 * A run's evaluation from what its seeds trained, with its options: a control run is scored on
 * its permuted labels and judged against chance, a run of several seeds keeps every seed's
 * figures and shows their mean ± std. Each seed goes through the one summarizeRun, so every seed
 * is scored by the same definitions; the run's own figures (ensembles, verdict, backtest,
 * importances) are seed 0's.
 */
import type { Dataset } from "@/lib/core/dataset";
import { controlDataset, controlRunReport, controlSummary } from "./control";
import { seedEntry, seedsSummary } from "./seeds";
import { summarizeRun, type SummarizeOptions } from "./summarize";
import type { ModelOutcome, RunConfig, RunEvaluation } from "./types";

/**
 * Evaluates a run on its dataset's test part.
 * @param outcomesBySeed [seeds][models]: seed offset k's outcomes, every seed the same models
 */
export function evaluateRun(
  dataset: Dataset,
  config: Pick<RunConfig, "control">,
  outcomesBySeed: readonly ModelOutcome[][],
  opts: SummarizeOptions,
): RunEvaluation {
  if (outcomesBySeed.length === 0) throw new Error("no seed to evaluate");
  const data = config.control ? controlDataset(dataset, config.control) : dataset;
  const first = summarizeRun(data, outcomesBySeed[0], opts);
  const seeds = [
    ...first.seeds,
    ...outcomesBySeed.slice(1).map((outcomes, k) => seedEntry(k + 1, summarizeRun(data, outcomes, opts))),
  ];
  const across = seedsSummary(seeds);
  const control = config.control && controlSummary(config.control, first.summary.results);
  const metrics = { ...first.metrics };
  if (control)
    for (const row of control.rows)
      if (metrics[row.id]) metrics[row.id] = { ...metrics[row.id], control_run: controlRunReport(control, row) };
  return {
    ...first,
    summary: { ...first.summary, ...(across ? { seeds: across } : {}), ...(control ? { control } : {}) },
    metrics,
    seeds,
  };
}
