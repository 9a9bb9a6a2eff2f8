/**
 * A run summarised the way training summarises one (lib/run/summarize.ts), without training:
 * a dataset from the test market and three models whose probabilities lean towards the true
 * class by `skill` (so some beat the baselines and some do not), the sequence models with a
 * 137-epoch history. `nanEpochs` puts a NaN validation loss (and, for the first, a NaN training
 * loss) into those 1-based epochs of the Transformer, as a diverging epoch records it.
 */
import { buildDataset } from "@/lib/core/build-dataset";
import type { Dataset } from "@/lib/core/dataset";
import { mulberry32 } from "@/lib/core/random";
import { summarizeRun } from "@/lib/run/summarize";
import type { EpochRecord, ModelId, ModelOutcome, RunEvaluation } from "@/lib/run/types";
import { fixtureMarket } from "./market";

function leaningProbs(ds: Dataset, ends: Int32Array, skill: number, rnd: () => number): Float32Array {
  const p = new Float32Array(ends.length * 4);
  for (let i = 0; i < ends.length; i++) {
    const raw = [rnd(), rnd(), rnd(), rnd()];
    raw[ds.labels[ends[i]]] += skill;
    const sum = raw.reduce((a, b) => a + b, 0);
    for (let c = 0; c < 4; c++) p[i * 4 + c] = raw[c] / sum;
  }
  return p;
}

function history(epochs: number, nanEpochs: readonly number[]): EpochRecord[] {
  return Array.from({ length: epochs }, (_, i) => ({
    epoch: i + 1,
    loss: nanEpochs[0] === i + 1 ? NaN : 1.4 - i * 0.005,
    acc: 0.3 + i * 0.002,
    valLoss: nanEpochs.includes(i + 1) ? NaN : 1.38 - i * 0.003,
    valAcc: 0.3 + i * 0.001,
    trainSeconds: 1,
    valSeconds: 0.1,
  }));
}

export function summarizedRun(opts: { nanEpochs?: number[]; seed?: number } = {}): {
  dataset: Dataset;
  outcomes: ModelOutcome[];
  evaluation: RunEvaluation;
} {
  const dataset = buildDataset({
    // 120 days of 1h rows: a test part longer than a link's 200 equity points.
    candles: fixtureMarket(4 * 24 * 120, 3).candles,
    symbol: "T",
    window: 24,
    createdAt: 0,
  });
  const rnd = mulberry32(opts.seed ?? 11);
  const skills: Record<ModelId, number> = { transformer: 0.6, lstm: 0.15, forest: 0.35 };
  const params: Record<ModelId, ModelOutcome["params"]> = {
    transformer: { epochs: 137, backend: "cpu" },
    lstm: { epochs: 137, backend: "cpu" },
    forest: { trees: 6, view: "flat" },
  };
  const outcomes: ModelOutcome[] = (["transformer", "lstm", "forest"] as const).map((id) => ({
    id,
    params: params[id],
    valProbs: leaningProbs(dataset, dataset.split.val, skills[id], rnd),
    testProbs: leaningProbs(dataset, dataset.split.test, skills[id], rnd),
    seconds: 1,
    ...(id === "forest"
      ? {}
      : { history: history(137, id === "transformer" ? (opts.nanEpochs ?? []) : []), bestEpoch: 120 }),
  }));
  const evaluation = summarizeRun(dataset, outcomes, {
    title: "summarised run",
    // A stand-in: nothing here checks the summary against stored data (datasetFingerprint is async).
    fingerprint: "5".repeat(64),
    createdAt: 1,
  });
  return { dataset, outcomes, evaluation };
}
