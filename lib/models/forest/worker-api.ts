import * as Comlink from "comlink";
import type { ForestTrainingSet } from "./forest";
import { growTree } from "./forest";
import type { ForestParams } from "./params";
import { resolveForestParams } from "./params";
import type { TreeResult } from "./tree";

/**
 * What a forest worker does, as plain functions (the worker file only exposes this with Comlink,
 * so tests call it directly). A worker receives the training set once, then grows trees by index.
 */
export interface ForestWorkerApi {
  /** Keeps the set (its codes may live in a SharedArrayBuffer shared by all workers). */
  init(set: ForestTrainingSet, params: Partial<ForestParams>): void;
  /** Grows tree `index`; identical to the same index grown anywhere else. Its buffers are marked
   * for transfer, so through Comlink they move back to the page instead of being copied. */
  grow(index: number): TreeResult;
}

/** A fresh worker state with its API. */
export function createForestWorkerApi(): ForestWorkerApi {
  let state: { set: ForestTrainingSet; params: ForestParams } | null = null;
  return {
    init(set, params) {
      state = { set, params: resolveForestParams(params) };
    },
    grow(index) {
      if (!state) throw new Error("forest worker: grow() before init()");
      const r = growTree(state.set, state.params, index);
      return Comlink.transfer(r, treeResultTransferables(r));
    },
  };
}

/** The buffers of a tree result, to transfer rather than copy back to the page. */
export function treeResultTransferables(r: TreeResult): ArrayBuffer[] {
  const t = r.tree;
  return [t.feature.buffer, t.threshold.buffer, t.left.buffer, t.right.buffer, t.value.buffer, r.importance.buffer] as ArrayBuffer[];
}
