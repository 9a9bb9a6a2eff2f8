import type { SampleSet, WindowSource } from "@/lib/core/dataset";
import { namedPermutationImportance, type KnownProbs, type NamedPermutationRequest } from "@/lib/eval/importance";
import type { ForestTrainingSet } from "../../models/forest/forest";
import { growTree, packTrees, type TreeBuilder } from "../../models/forest/forest";
import type { ForestParams } from "../../models/forest/params";
import { resolveForestParams } from "../../models/forest/params";
import { predictProbaView } from "../../models/forest/predict";
import type { ForestModel, ForestTree, ForestViewSpec } from "../../models/forest/types";
import { windowTrainingSet } from "../../models/forest/views";
import { withTransfer } from "../transfer";

/** A forest's probabilities on named sets of windows, and its permutation importance if asked. */
export interface ForestEvaluation {
  probs: Record<string, Float32Array>;
  permutation?: { name: string; value: number }[];
}

/**
 * What a forest worker does, as plain functions (the worker file only exposes this with Comlink,
 * so tests call it directly). A worker receives the training set once, then grows trees by index.
 */
export interface ForestWorkerApi {
  /** Keeps the set (its codes may live in a SharedArrayBuffer shared by all workers). */
  init(set: ForestTrainingSet, params: Partial<ForestParams>): void;
  /**
   * Grows tree `index` (identical to the same index grown anywhere else) and keeps it here for
   * packGrown(); returns its importance decreases (transferred, not copied).
   */
  grow(index: number): Float64Array;
  /**
   * The trees grown here, in the order grown, packed into one buffer per field (forest.ts's
   * packTrees): shared memory where `shared` (posting it copies nothing), else transferred. The
   * page then never packs or copies the trees itself (a 36-67 ms task for 200 default trees).
   */
  packGrown(shared: boolean): GrownTrees;
  /** Bins the training windows of a view (the heavy step before any tree grows). */
  prepare(
    source: WindowSource,
    featureNames: string[],
    train: SampleSet,
    kind: ForestViewSpec["kind"],
    numClasses: number,
  ): ForestTrainingSet;
  /**
   * Probabilities per named set of window ends; with `permutation`, also the accuracy drop per
   * shuffled feature (its baseline taken from the sets' probabilities when they cover its windows).
   */
  evaluate(
    model: ForestModel,
    source: WindowSource,
    sets: Record<string, Int32Array>,
    permutation?: NamedPermutationRequest,
    onFeature?: (done: number, total: number) => void | Promise<void>,
    known?: KnownProbs[],
  ): Promise<ForestEvaluation>;
}

/** A worker's packed trees and the tree index of each. */
export interface GrownTrees {
  indices: number[];
  trees: ForestTree[];
}

/**
 * A fresh worker state with its API.
 * @param build the tree grower (the bench's reference worker passes the reference grower)
 */
export function createForestWorkerApi(build?: TreeBuilder): ForestWorkerApi {
  let state: { set: ForestTrainingSet; params: ForestParams } | null = null;
  let grown: { index: number; tree: ForestTree }[] = [];
  return {
    init(set, params) {
      state = { set, params: resolveForestParams(params) };
      grown = [];
    },
    grow(index) {
      if (!state) throw new Error("forest worker: grow() before init()");
      const r = growTree(state.set, state.params, index, build);
      grown.push({ index, tree: r.tree });
      return withTransfer(r.importance, [r.importance]);
    },
    packGrown(shared) {
      const trees = packTrees(
        grown.map((g) => g.tree),
        shared ? (bytes) => new SharedArrayBuffer(bytes) : undefined,
      );
      const out = { indices: grown.map((g) => g.index), trees };
      grown = [];
      // Each field's buffer once (the trees are views of five buffers); shared ones are not listed.
      return withTransfer(out, trees.length > 0 ? Object.values(trees[0]) : []);
    },
    prepare(source, featureNames, train, kind, numClasses) {
      const set = windowTrainingSet(source, featureNames, train, kind, numClasses);
      return withTransfer(set, [set.data.codes]);
    },
    async evaluate(model, source, sets, permutation, onFeature, knownBefore = []) {
      const probs = Object.fromEntries(
        Object.entries(sets).map(([name, ends]) => [name, predictProbaView(model, source, ends)]),
      );
      // A forest predicts each window alone and exactly the same way, so probabilities already
      // computed for the same windows are the permutation's baseline, bit for bit.
      const known = [...knownBefore, ...Object.keys(sets).map((name) => ({ ends: sets[name], probs: probs[name] }))];
      // Progress calls cross to the page asynchronously; the result waits for them, so no
      // progress can arrive after it (a late one would make a finished model look busy).
      const delivered: unknown[] = [];
      const onProgress = onFeature
        ? (done: number, total: number) =>
            void delivered.push(Promise.resolve(onFeature(done, total)).catch(() => undefined))
        : undefined;
      const perm = permutation
        ? await namedPermutationImportance(
            source,
            permutation,
            (matrix, ends) => predictProbaView(model, { ...source, matrix }, ends),
            { onProgress, known },
          )
        : undefined;
      await Promise.all(delivered);
      return withTransfer({ probs, permutation: perm }, Object.values(probs));
    },
  };
}
