/** The settings of a model trained with seed offset k of a run of several seeds: its own seed + k. */
import { DEFAULT_FOREST_PARAMS } from "@/lib/models/forest/params";
import type { ModelId } from "@/lib/run/types";
import type { TrainerConfigs } from "./trainers/types";

/** Model `id`'s settings with seed offset `offset` (0: unchanged). A forest without a seed starts from its default. */
export function seededConfig<Id extends ModelId>(
  id: Id,
  config: TrainerConfigs[Id],
  offset: number,
): TrainerConfigs[Id] {
  if (offset === 0) return config;
  const seed = (config as { seed?: number }).seed ?? (id === "forest" ? DEFAULT_FOREST_PARAMS.seed : 0);
  return { ...config, seed: seed + offset };
}
