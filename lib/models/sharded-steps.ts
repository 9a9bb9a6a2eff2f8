/**
 * Optimiser steps from a batch's shards on host backends (./shards.ts), with at most one
 * gradient peer for shard 1 (TRAIN_SHARDS is 2). The peer mirrors this worker's weights and Adam
 * state (GradientPeer), so a step's messages carry gradients, never weights:
 *
 *   trainer: shard 0 ─┬─ send {apply: shard 0's gradients, shard: next batch's shard 1} ─ await shard 1 ─ sum, Adam
 *   peer:    shard 1 ─┴─ send its gradients ─────────── await the trainer's ─── sum, Adam ─ next shard 1
 *
 * Both sum the same two arrays and run the same Adam, so their weights stay equal bit for bit,
 * and the peer starts the next batch as soon as it has the trainer's half: nobody waits for
 * weights to be copied, posted and assigned. A peer that fails or misses its deadline is dropped:
 * this worker, which holds the whole state all along, computes its shards from then on, with the
 * same result.
 */
import type { HostAdam } from "./host-adam";
import {
  applyShards,
  flattenWeights,
  shardGradients,
  shardRanges,
  splitFlat,
  TRAIN_SHARDS,
  type GradientPeer,
  type PeerStep,
  type Replica,
  type ShardRequest,
  type ShardResult,
} from "./shards";

/** A batch [from, to) of an epoch's order, and the optimiser step it is. */
export interface Batch {
  ends: Int32Array;
  labels: Int32Array;
  from: number;
  to: number;
  step: number;
}

const ignore = () => {};

export class ShardedSteps {
  private peer: GradientPeer | undefined;
  /** The peer's answer for the shard 1 of the batch about to be stepped, when it has one. */
  private pending: Promise<ShardResult | null> | null = null;

  constructor(
    private readonly r: Replica,
    private readonly optimizer: HostAdam,
    peer: GradientPeer | undefined,
  ) {
    this.peer = peer;
  }

  /** Workers computing the batches: this one and the peer while it is in use. */
  get workers(): number {
    return this.peer ? 2 : 1;
  }

  /** The peer while it is in use (it may share the trained model's permutation importance). */
  get peers(): GradientPeer[] {
    return this.peer ? [this.peer] : [];
  }

  /**
   * Hands the peer this worker's weights and optimiser state (before the first step, and after
   * any change to them).
   */
  async begin(): Promise<void> {
    this.pending = null;
    if (!this.peer) return;
    try {
      await this.peer.begin({ weights: flattenWeights(this.r.vars), optimizer: this.optimizer.exportState() });
    } catch {
      this.drop();
    }
  }

  /**
   * One optimiser step on `batch`; `next` is the batch after it in this epoch (the peer starts on
   * its shard as soon as it has applied this step), undefined at the end of an epoch.
   */
  async step(batch: Batch, next?: Batch): Promise<{ loss: number; correct: number }> {
    const [local, remote] = this.shards(batch);
    // The first batch of an epoch: nothing was sent ahead of it.
    if (this.peer && remote && !this.pending) this.pending = this.send({ shard: remote });
    const mine = shardGradients(this.r, local, local.scale, local.dropoutStep);
    let theirs: { grads: Float32Array[]; loss: number; correct: number } | undefined;
    const asked = this.pending;
    this.pending = null;
    if (this.peer) {
      const ahead = next ? this.shards(next)[1] : undefined;
      // A copy: the call transfers it, and mine.grads are summed into below.
      const sent = this.send({ apply: { grads: mine.flat.slice(), loss: mine.loss }, shard: ahead });
      if (ahead) this.pending = sent;
    }
    if (remote) {
      const res = asked ? await asked.catch(() => null) : null;
      if (res) theirs = { grads: splitFlat(this.r.vars, res.grads), loss: res.loss, correct: res.correct };
      else {
        // No peer, or a lost one: its shard is computed here (same result), and it gets no more.
        if (asked) this.drop();
        theirs = shardGradients(this.r, remote, remote.scale, remote.dropoutStep);
      }
    }
    // mine.grads are fresh (shardGradients): the sum goes into them, as on the peer.
    const loss = applyShards(this.optimizer, this.r.vars, mine, theirs);
    return { loss, correct: mine.correct + (theirs?.correct ?? 0) };
  }

  /** The batch's shards as requests: shard 0 (here) and shard 1 (the peer's) when the batch has two. */
  private shards(b: Batch): [ShardRequest, ShardRequest | undefined] {
    const scale = 1 / (b.to - b.from);
    const [first, second] = shardRanges(b.to - b.from).map(([a, z], s) => ({
      ends: b.ends.slice(b.from + a, b.from + z),
      labels: b.labels.slice(b.from + a, b.from + z),
      scale,
      dropoutStep: b.step * TRAIN_SHARDS + s,
    }));
    return [first, second];
  }

  /** A call to the peer whose failure is handled where it is awaited (or nowhere, when it only applied). */
  private send(req: PeerStep): Promise<ShardResult | null> {
    const call = (this.peer as GradientPeer).step(req);
    call.catch(ignore);
    return call;
  }

  private drop(): void {
    this.peer = undefined;
    this.pending = null;
  }
}
