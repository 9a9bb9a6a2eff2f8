import type { ModelArtifactsData } from "@/lib/models/types";
import { artifactWeights, topologyLayers, type NamedWeight, type TopologyLayer } from "../tfjs-weights";

/**
 * Weights and layers of tfjs artifacts, with lookups that fail with a clear message, and a record
 * of which layers a reader consumed so that a layer nobody reads is reported (see `unread`)
 * instead of being silently left out of an exported file.
 */
export class ArtifactReader {
  readonly weights: Map<string, NamedWeight>;
  readonly layers: Map<string, TopologyLayer>;
  private readonly read = new Set<string>();
  private readonly topology: { config?: unknown };

  constructor(
    artifacts: ModelArtifactsData,
    readonly what: string,
  ) {
    this.weights = artifactWeights(artifacts);
    this.layers = topologyLayers(artifacts.modelTopology);
    this.topology = artifacts.modelTopology as { config?: unknown };
  }

  weight(name: string, shape?: number[]): NamedWeight {
    const w = this.weights.get(name);
    if (!w) throw new Error(`${this.what}: weight ${name} is missing`);
    if (shape && (w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i]))) {
      throw new Error(`${this.what}: weight ${name} has shape [${w.shape}], expected [${shape}]`);
    }
    return w;
  }

  /** The layer `name` (marked as read); `classNames` lists the classes accepted for it. */
  layer(name: string, ...classNames: string[]): TopologyLayer {
    const l = this.layers.get(name);
    if (!l) throw new Error(`${this.what}: layer ${name} is missing`);
    if (classNames.length > 0 && !classNames.includes(l.class_name))
      throw new Error(`${this.what}: layer ${name} is ${l.class_name}, expected ${classNames.join(" or ")}`);
    this.read.add(name);
    return l;
  }

  /** Names of the layers feeding `name` (its first inbound node), in order. */
  inputsOf(name: string): string[] {
    const nodes = this.layer(name).inbound as unknown;
    if (!Array.isArray(nodes) || nodes.length === 0) return [];
    if (nodes.length > 1) throw new Error(`${this.what}: layer ${name} is applied more than once (shared layers)`);
    const node = nodes[0] as unknown[];
    return node.map((entry) => String((entry as unknown[])[0]));
  }

  /**
   * Asserts that layer `name` takes exactly `inputs` (any order when `unordered`), so a model
   * wired differently from what the exporter writes (post-norm blocks, a skipped residual) fails
   * here rather than producing a file that computes something else.
   */
  expectInputs(name: string, inputs: string[], unordered = false): void {
    const got = this.inputsOf(name);
    const same = unordered
      ? got.length === inputs.length && [...got].sort().join() === [...inputs].sort().join()
      : got.join() === inputs.join();
    if (!same) throw new Error(`${this.what}: layer ${name} takes [${got}], the exporter expects [${inputs}]`);
  }

  /** Asserts that the model's only input is the layer "window" and its only output is `name`. */
  expectModelOutput(name: string): void {
    const cfg = this.topology.config as { input_layers?: unknown[][]; output_layers?: unknown[][] } | undefined;
    const names = (list: unknown[][] | undefined) => (list ?? []).map((e) => String(e[0])).join();
    if (names(cfg?.input_layers) !== "window" || names(cfg?.output_layers) !== name)
      throw new Error(
        `${this.what}: the model maps [${names(cfg?.input_layers)}] to [${names(cfg?.output_layers)}], the exporter expects window → ${name}`,
      );
  }

  /** Input [window, features] from the InputLayer "window". */
  inputShape(): { window: number; features: number } {
    const cfg = this.layer("window", "InputLayer").config;
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

  /** Layers present in the topology that nothing read: "name (ClassName)". */
  unread(): string[] {
    return [...this.layers.values()].filter((l) => !this.read.has(l.name)).map((l) => `${l.name} (${l.class_name})`);
  }
}
