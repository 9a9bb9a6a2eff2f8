/** Every model the studio trains, by id: the one table a run (or a fold, or a retrain) loops over. */
import type { ModelId } from "@/lib/run/types";
import { forestTrainer } from "./forest";
import { neuralTrainer } from "./neural";
import type { ModelTrainer } from "./types";

export const TRAINERS: { readonly [Id in ModelId]: ModelTrainer<Id> } = {
  transformer: neuralTrainer("transformer"),
  lstm: neuralTrainer("lstm"),
  forest: forestTrainer,
};

export type {
  CheckpointStore,
  ForestRunConfig,
  ModelTrainer,
  StoredModel,
  TfjsTrainWorker,
  TrainContext,
  TrainedModel,
  TrainerConfigs,
  TrainerProgress,
  TrainHooks,
  TrainWorkers,
} from "./types";
export { datasetContext, permutationRequest } from "./context";
