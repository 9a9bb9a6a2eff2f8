import type { MetricVerdict } from "@/lib/eval/verdict";
import { verdictSentence } from "@/lib/eval/verdict-text";

/**
 * Whether any model or ensemble does better than the trivial baselines, said first and plainly:
 * the verdict as the run's summary computed it (a share link carries the same one): the paired
 * block bootstrap with Holm, or the old bands for runs summarised before it.
 * @param samples test samples the verdict counts
 */
export function BaselineVerdict({ verdicts, samples }: { verdicts: readonly MetricVerdict[]; samples: number }) {
  if (verdicts.length === 0) return null;
  return (
    <div className="space-y-1 rounded border border-slate-200 p-2 text-sm" data-testid="baseline-verdict">
      {verdicts.map((v) => {
        const { lead, rest } = verdictSentence(v, samples);
        return (
          <p key={v.metric} data-testid={`verdict-${v.metric}`}>
            <b>{lead}</b> {rest}
          </p>
        );
      })}
    </div>
  );
}
