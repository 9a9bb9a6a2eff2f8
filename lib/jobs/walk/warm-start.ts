/**
 * Warm start (continual learning): a fold after the first starts from the previous fold's best
 * weights and optimiser state instead of a fresh initialisation, and trains fewer epochs. It goes
 * through the trainers' resume hook: the previous fold's last checkpoint, with the epoch count,
 * history and early-stopping state reset, so the trainer counts this fold's epochs from 1 and
 * early-stops on this fold's validation tail.
 */
import type { LstmConfig, TransformerConfig } from "@/lib/models/config";
import type { TrainCheckpoint } from "@/lib/models/types";

/** A checkpoint that makes a trainer start a new fold from `previous`'s best weights. */
export function warmStartCheckpoint(
  previous: TrainCheckpoint,
  config: TransformerConfig | LstmConfig,
): TrainCheckpoint {
  return {
    ...previous,
    config,
    epoch: 0,
    history: [],
    bestEpoch: 0,
    bestValLoss: Infinity,
    wait: 0,
    weights: previous.bestWeights,
    bestWeights: previous.bestWeights,
    // `step` and the optimiser state carry on: Adam's moments and the dropout mask counter continue.
  };
}
