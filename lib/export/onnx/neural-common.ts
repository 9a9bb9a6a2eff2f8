import type { ModelArtifactsData } from "@/lib/models/types";
import { artifactWeights, topologyLayers, type NamedWeight, type TopologyLayer } from "../tfjs-weights";

/** Graph input / output names of the exported neural models. */
export const NN_ONNX_INPUT = "window";
export const NN_ONNX_OUTPUT = "probabilities";

/** Weights and layers of artifacts, with lookups that fail with a clear message. */
export class ArtifactReader {
  readonly weights: Map<string, NamedWeight>;
  readonly layers: Map<string, TopologyLayer>;

  constructor(
    artifacts: ModelArtifactsData,
    readonly what: string,
  ) {
    this.weights = artifactWeights(artifacts);
    this.layers = topologyLayers(artifacts.modelTopology);
  }

  weight(name: string, shape?: number[]): NamedWeight {
    const w = this.weights.get(name);
    if (!w) throw new Error(`${this.what}: weight ${name} is missing`);
    if (shape && (w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i]))) {
      throw new Error(`${this.what}: weight ${name} has shape [${w.shape}], expected [${shape}]`);
    }
    return w;
  }

  layer(name: string, className?: string): TopologyLayer {
    const l = this.layers.get(name);
    if (!l) throw new Error(`${this.what}: layer ${name} is missing`);
    if (className && l.class_name !== className)
      throw new Error(`${this.what}: layer ${name} is ${l.class_name}, expected ${className}`);
    return l;
  }

  /** Input [window, features] from the InputLayer "window". */
  inputShape(): { window: number; features: number } {
    const cfg = this.layer("window").config;
    const shape = (cfg.batch_input_shape ?? cfg.batchInputShape) as (number | null)[] | undefined;
    if (!shape || shape.length !== 3 || typeof shape[1] !== "number" || typeof shape[2] !== "number")
      throw new Error(`${this.what}: input layer has no [window, features] shape`);
    return { window: shape[1], features: shape[2] };
  }

  /** Target shape of the "patch" Reshape: [steps, width]. */
  patchShape(): [number, number] {
    const t = this.layer("patch", "Reshape").config.target_shape as number[] | undefined;
    if (!t || t.length !== 2) throw new Error(`${this.what}: patch layer has no 2-D target shape`);
    return [t[0], t[1]];
  }

  num(layerName: string, key: string): number {
    const v = this.layer(layerName).config[key];
    if (typeof v !== "number") throw new Error(`${this.what}: ${layerName}.${key} is not a number`);
    return v;
  }

  str(layerName: string, key: string): string {
    const v = this.layer(layerName).config[key];
    if (typeof v !== "string") throw new Error(`${this.what}: ${layerName}.${key} is not a string`);
    return v;
  }
}
