/**
 * Each model's settings as data, in one table the Train page draws its forms from: defaults,
 * form fields (ranges, choices, labels) and validation. No tfjs import here.
 */
import { configFields, defaultConfig, validateConfig, type LstmConfig, type TransformerConfig } from "./config";
import { DEFAULT_FOREST_CONFIG, FOREST_FIELDS, validateForestConfig, type ForestConfig } from "./forest/params";
import type { ParamField } from "./params";

export interface ModelSettings<C> {
  /** Fresh defaults. */
  defaults(): C;
  /** The settings form, in display order. */
  fields: readonly ParamField[];
  /**
   * Repairs untrusted settings, with one line per value changed.
   * @param window time steps per sample window of the dataset trained on
   */
  validate(input: unknown, window: number): { config: C; issues: string[] };
}

export const MODEL_SETTINGS: {
  transformer: ModelSettings<TransformerConfig>;
  lstm: ModelSettings<LstmConfig>;
  forest: ModelSettings<ForestConfig>;
} = {
  transformer: {
    defaults: () => defaultConfig("transformer"),
    fields: configFields("transformer"),
    validate: (input, window) => validateConfig("transformer", input, window),
  },
  lstm: {
    defaults: () => defaultConfig("lstm"),
    fields: configFields("lstm"),
    validate: (input, window) => validateConfig("lstm", input, window),
  },
  forest: {
    defaults: () => ({ ...DEFAULT_FOREST_CONFIG }),
    fields: FOREST_FIELDS,
    // The forest reads whole windows through its view: any window length is fine.
    validate: (input) => validateForestConfig(input),
  },
};
