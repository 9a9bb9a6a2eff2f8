/**
 * Trains a run's models one after the other, off the main thread: the Transformer and the LSTM
 * in the tfjs worker, the forest in its worker pool. Every finished model and every epoch
 * checkpoint is stored, so a reloaded tab resumes the run where it stopped (finished models are
 * not retrained, an interrupted one continues from its last epoch). Ends with the evaluation.
 */
import type { Dataset } from "@/lib/core/dataset";
import { normalizedSource } from "@/lib/core/normalize";
import { sampleSet } from "@/lib/core/windows";
import {
  deleteCheckpoint,
  getStudioDb,
  loadCheckpoint,
  loadRun,
  loadDataset,
  loadOutcome,
  saveCheckpoint,
  saveEvaluation,
  saveOutcome,
  saveRunConfig,
  type RunRecord,
} from "@/lib/db";
import { dataFingerprint } from "@/lib/export/hash";
import { NUM_CLASSES } from "@/lib/core/classes";
import type { PermutationRequest, TrainProgress } from "@/lib/models/types";
import { evaluateForestInWorker, prepareForestSetInWorker } from "@/lib/jobs/forest/job";
import { trainForestInPool, type ForestProgress } from "@/lib/jobs/forest/pool";
import { TrainClient } from "@/lib/jobs/train/client";
import { checkpointRecord, trainCheckpoint } from "./checkpoints";
import { definedParams } from "../../run/schema";
import { summarizeRun } from "../../run/summarize";
import { MODEL_IDS, type ModelId, type ModelOutcome, type RunConfig, type RunEvaluation } from "../../run/types";

export type { RunConfig } from "../../run/types";

export type RunProgress =
  | {
      model: "transformer" | "lstm";
      phase: "train";
      progress: TrainProgress;
      backend: string;
      history: ModelOutcome["history"];
    }
  | { model: "forest"; phase: "train"; progress: ForestProgress }
  | { model: "forest"; phase: "importance"; done: number; total: number }
  | { model: ModelId; phase: "done"; seconds: number; message?: string }
  | { model: ModelId | "run"; phase: "evaluate" };

export function newRunId(): string {
  return `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * The windows permutation importance shuffles over, for every model alike: the last 800 of the
 * test part (one repeat keeps this to seconds per model).
 */
function permutationRequest(ds: Dataset): PermutationRequest {
  const ends = ds.split.test.length > 800 ? ds.split.test.slice(ds.split.test.length - 800) : ds.split.test.slice();
  return {
    ends,
    labels: Uint8Array.from(ends, (t) => ds.labels[t]),
    featureNames: ds.features.map((f) => f.name),
    repeats: 1,
    seed: 7,
  };
}

/**
 * Runs (or resumes) run `runId`. Resolves with the evaluation, or with null when cancelled
 * (everything finished so far stays stored and the run can be resumed).
 */
export async function trainRun(
  runId: string,
  name: string,
  config: RunConfig,
  opts: {
    signal: AbortSignal;
    onProgress: (p: RunProgress) => void;
    trainClient?: TrainClient;
    /** Benches inject their bundle of workers/forest.worker.ts. */ createForestWorker?: () => Worker;
  },
): Promise<RunEvaluation | null> {
  const db = getStudioDb();
  const ds = await loadDataset(db, config.datasetId);
  if (!ds) throw new Error("The run's dataset is no longer stored: build it again on the Dataset page.");
  const source = normalizedSource(ds);
  const train = sampleSet(ds.split.train, ds.labels);
  const val = sampleSet(ds.split.val, ds.labels);
  // A resumed run keeps the time it was first started.
  const createdAt = (await loadRun(db, runId))?.createdAt ?? Date.now();
  const head = (status: RunRecord["status"], error?: string) => ({
    id: runId,
    name,
    datasetId: config.datasetId,
    status,
    createdAt,
    config,
    ...(error === undefined ? {} : { error }),
  });
  const record = (status: RunRecord["status"], error?: string) => saveRunConfig(db, head(status, error));
  await record("running");

  const client = opts.trainClient ?? new TrainClient({ backend: config.backend, wasmBase: "/tfjs-wasm/" });
  const outcomes: ModelOutcome[] = [];
  try {
    for (const id of MODEL_IDS) {
      if (!config[id]) continue;
      const done = (await loadOutcome(db, runId, id))?.outcome;
      if (done) {
        outcomes.push(done);
        continue;
      }
      if (opts.signal.aborted) break;
      if (id === "forest") {
        const params = config.forest!;
        const started = performance.now();
        // Binning, prediction and permutation importance run in forest workers, never on the page.
        const names = ds.features.map((f) => f.name);
        const createWorker = opts.createForestWorker;
        const set = await prepareForestSetInWorker([source, names, train, params.view, NUM_CLASSES], {
          signal: opts.signal,
          createWorker,
        });
        const model = await trainForestInPool(set, params, {
          signal: opts.signal,
          createWorker,
          onProgress: (p) => opts.onProgress({ model: "forest", phase: "train", progress: p }),
        });
        const seconds = (performance.now() - started) / 1000;
        opts.onProgress({ model: "forest", phase: "evaluate" });
        // Predictions first (seconds), stored with the model at once: a cancel during the slow
        // permutation step then keeps the forest (its importances are simply left out).
        const { probs } = await evaluateForestInWorker(
          model,
          source,
          { val: ds.split.val, test: ds.split.test },
          { createWorker },
        );
        const outcome: ModelOutcome = {
          id,
          params: definedParams(params),
          valProbs: probs.val,
          testProbs: probs.test,
          seconds,
          importances: { names: model.featureNames, values: model.importances },
        };
        await saveOutcome(db, runId, outcome, { forest: model });
        const known = [{ ends: ds.split.test, probs: probs.test }];
        outcome.permutation = await evaluateForestInWorker(
          model,
          source,
          {},
          {
            permutation: permutationRequest(ds),
            known,
            onFeature: (done, total) => opts.onProgress({ model: "forest", phase: "importance", done, total }),
            signal: opts.signal,
            createWorker,
          },
        ).then(
          (r) => r.permutation,
          (e: unknown) => {
            if ((e as Error).name === "AbortError") return undefined;
            throw e;
          },
        );
        if (outcome.permutation) await saveOutcome(db, runId, outcome, { forest: model });
        outcomes.push(outcome);
        opts.onProgress({ model: id, phase: "done", seconds: outcome.seconds });
        continue;
      }
      const cfg = config[id]!;
      const cp = await loadCheckpoint(db, runId, id);
      const resume = cp ? trainCheckpoint(cp) : undefined;
      const backend = await client.init();
      const res = await client.train(
        {
          kind: id,
          config: cfg,
          source,
          train,
          val,
          predict: { val: ds.split.val, test: ds.split.test },
          resume,
          checkpoints: true,
          permutation: permutationRequest(ds),
        },
        {
          signal: opts.signal,
          onProgress: (p) => opts.onProgress({ model: id, phase: "train", progress: p, backend, history: undefined }),
          onCheckpoint: async (c) => {
            await saveCheckpoint(db, checkpointRecord(runId, c));
            opts.onProgress({
              model: id,
              phase: "train",
              progress: {
                epoch: c.epoch,
                epochs: cfg.epochs,
                batch: 0,
                batches: 0,
                loss: NaN,
                acc: NaN,
                samplesPerSec: NaN,
                epochEtaSeconds: NaN,
                etaSeconds: NaN,
              },
              backend,
              history: c.history,
            });
          },
        },
      );
      if (res.stopReason === "aborted") break;
      const outcome: ModelOutcome = {
        id,
        params: { ...cfg, backend: res.backend },
        valProbs: res.predictions.val,
        testProbs: res.predictions.test,
        history: res.history,
        bestEpoch: res.bestEpoch,
        seconds: res.seconds,
        backend: res.backend,
        stopReason: res.stopReason === "nan" ? res.message : undefined,
        permutation: res.permutation,
      };
      if (res.bestEpoch === 0)
        throw new Error(`${id}: ${res.message || "no epoch finished with a finite validation loss"}`);
      await saveOutcome(db, runId, outcome, { tfjs: res.artifacts });
      await deleteCheckpoint(db, runId, id);
      outcomes.push(outcome);
      opts.onProgress({
        model: id,
        phase: "done",
        seconds: res.seconds,
        message:
          res.stopReason === "nan"
            ? res.message
            : res.stopReason === "early-stopped"
              ? `early stopped; best epoch ${res.bestEpoch} restored`
              : undefined,
      });
    }
  } catch (e) {
    if ((e as Error).name === "AbortError") {
      await record("paused");
      return null;
    }
    await record("failed", (e as Error).message);
    throw e;
  }
  if (opts.signal.aborted) {
    await record("paused");
    return null;
  }
  opts.onProgress({ model: "run", phase: "evaluate" });
  const evaluation = summarizeRun(ds, outcomes, { title: name, fingerprint: dataFingerprint(ds.matrix, ds.labels) });
  await saveEvaluation(db, head("done"), evaluation);
  return evaluation;
}
