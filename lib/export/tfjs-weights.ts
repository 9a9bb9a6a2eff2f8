import type { io } from "@tensorflow/tfjs";
import type { ModelArtifactsData } from "@/lib/models/types";
import { float32ToHalf, halfToFloat32 } from "./float16";

/**
 * Reading and re-packing the weights of tfjs artifacts without loading TensorFlow.js: the layout
 * is tf.io.encodeWeights' (weights concatenated in spec order, little-endian). Supports float32
 * weights and float16 quantisation (`quantization: {dtype: "float16"}`, 2 bytes per value), which
 * tf.io.decodeWeights dequantises on load.
 */

/** A decoded weight: name (e.g. "b0_mha/qkv_kernel"), shape and float32 values. */
export interface NamedWeight {
  name: string;
  shape: number[];
  values: Float32Array;
}

function count(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Bytes the weights take without quantisation (what float32 storage needs). */
export function unquantizedBytes(specs: readonly io.WeightsManifestEntry[]): number {
  return specs.reduce((n, spec) => n + storedBytes({ ...spec, quantization: undefined }), 0);
}

/** Bytes one spec occupies in weightData. */
function storedBytes(spec: io.WeightsManifestEntry): number {
  const n = count(spec.shape);
  const q = spec.quantization?.dtype;
  if (q === "float16" || q === "uint16") return 2 * n;
  if (q === "uint8") return n;
  if (spec.dtype === "float32" || spec.dtype === "int32") return 4 * n;
  if (spec.dtype === "bool") return n;
  throw new Error(`weight ${spec.name}: unsupported dtype ${spec.dtype}`);
}

/**
 * Decodes every float32 weight (dequantising float16 / uint8 / uint16) into a name → weight map.
 * Throws a clear error when the data is shorter than the specs say.
 */
export function decodeArtifactWeights(
  specs: readonly io.WeightsManifestEntry[],
  data: ArrayBuffer,
): Map<string, NamedWeight> {
  const out = new Map<string, NamedWeight>();
  let offset = 0;
  for (const spec of specs) {
    const bytes = storedBytes(spec);
    if (offset + bytes > data.byteLength)
      throw new Error(
        `weights data too short: ${spec.name} needs bytes ${offset}..${offset + bytes}, data has ${data.byteLength}`,
      );
    const n = count(spec.shape);
    const slice = data.slice(offset, offset + bytes);
    offset += bytes;
    if (spec.dtype !== "float32") continue;
    const q = spec.quantization;
    let values: Float32Array;
    if (!q) values = new Float32Array(slice);
    else if (q.dtype === "float16") values = halfToFloat32(new Uint16Array(slice));
    else {
      const raw = q.dtype === "uint8" ? new Uint8Array(slice) : new Uint16Array(slice);
      values = Float32Array.from(raw, (v) => v * (q.scale ?? 1) + (q.min ?? 0));
    }
    if (values.length !== n) throw new Error(`weight ${spec.name}: expected ${n} values`);
    out.set(spec.name, { name: spec.name, shape: [...spec.shape], values });
  }
  if (offset !== data.byteLength)
    throw new Error(`weights data has ${data.byteLength - offset} unexpected trailing bytes`);
  return out;
}

/** Weights of `artifacts` by name. */
export function artifactWeights(artifacts: ModelArtifactsData): Map<string, NamedWeight> {
  return decodeArtifactWeights(artifacts.weightSpecs, artifacts.weightData);
}

/**
 * The same artifacts with every float32 weight stored as float16 (half the bytes); the specs get
 * `quantization: {dtype: "float16"}` so tf.loadLayersModel dequantises on load. Relative error
 * per weight ≤ 2^-11 (~4.9e-4) within float16's range (|w| ≤ 65504).
 */
export function toFloat16Artifacts(artifacts: ModelArtifactsData): ModelArtifactsData {
  const weights = decodeArtifactWeights(artifacts.weightSpecs, artifacts.weightData);
  const parts: Uint8Array[] = [];
  const specs: io.WeightsManifestEntry[] = [];
  let offset = 0;
  for (const spec of artifacts.weightSpecs) {
    const bytes = storedBytes(spec);
    const w = weights.get(spec.name);
    if (spec.dtype === "float32" && w) {
      const half = float32ToHalf(w.values);
      parts.push(new Uint8Array(half.buffer));
      specs.push({ name: spec.name, shape: [...spec.shape], dtype: "float32", quantization: { dtype: "float16" } });
    } else {
      parts.push(new Uint8Array(artifacts.weightData, offset, bytes));
      specs.push({ ...spec });
    }
    offset += bytes;
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const data = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  return { ...artifacts, weightSpecs: specs, weightData: data.buffer };
}

/** A Keras-style layer entry of a functional model topology. */
export interface TopologyLayer {
  class_name: string;
  name: string;
  config: Record<string, unknown>;
  /** Keras inbound_nodes: per application, [[layerName, nodeIndex, tensorIndex, kwargs], ...]. */
  inbound: unknown;
}

/** Layers of a tfjs functional-model topology, by name (throws when the shape is not a functional model). */
export function topologyLayers(topology: object): Map<string, TopologyLayer> {
  const t = topology as { config?: { layers?: unknown } };
  const layers = t.config?.layers;
  if (!Array.isArray(layers)) throw new Error("model topology has no layer list");
  const out = new Map<string, TopologyLayer>();
  for (const l of layers as { class_name?: unknown; name?: unknown; config?: unknown; inbound_nodes?: unknown }[]) {
    const config = (l.config ?? {}) as Record<string, unknown>;
    const name = typeof l.name === "string" ? l.name : String(config.name ?? "");
    out.set(name, { class_name: String(l.class_name), name, config, inbound: l.inbound_nodes ?? [] });
  }
  return out;
}
