import type { MetricVerdict } from "@/lib/eval/verdict";
import { verdictSentence } from "@/lib/eval/verdict-text";

/**
 * Whether any model or ensemble does better than the trivial baselines, said first and plainly.
 * @param verdicts the run's verdict (the summary's paired block bootstrap, or the old bands for
 *   summaries made before it)
 * @param testSamples test samples the verdict was computed on
 */
export function BaselineVerdict({
  verdicts,
  testSamples,
}: {
  verdicts: readonly MetricVerdict[];
  testSamples: number;
}) {
  if (verdicts.length === 0) return null;
  return (
    <div className="space-y-1 rounded border border-slate-200 p-2 text-sm" data-testid="baseline-verdict">
      {verdicts.map((v) => {
        const { lead, rest } = verdictSentence(v, testSamples);
        return (
          <p key={v.metric} data-testid={`verdict-${v.metric}`}>
            <b>{lead}</b> {rest}
          </p>
        );
      })}
    </div>
  );
}
