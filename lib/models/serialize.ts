/**
 * Weight (de)serialisation: tfjs models to plain ArrayBuffer artifacts (model.json topology +
 * weights) through a custom IOHandler, and tensor lists to/from one ArrayBuffer.
 * Float16 packing is the bundle exporter's job; these are float32.
 */
import * as tf from "@tensorflow/tfjs";
import "./layers"; // registers the custom layers so saved topologies load
import "./lstm-layer";
import type { ModelArtifactsData, SerializedWeights } from "./types";

function toArrayBuffer(data: tf.io.WeightData | undefined): ArrayBuffer {
  if (data == null) return new ArrayBuffer(0);
  return Array.isArray(data) ? tf.io.concatenateArrayBuffers(data) : data;
}

/** Serialises a LayersModel (topology + float32 weights) without touching any storage. */
export async function modelToArtifacts(model: tf.LayersModel): Promise<ModelArtifactsData> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
    }),
  );
  if (!saved) throw new Error("model.save produced no artifacts");
  return {
    modelTopology: saved.modelTopology as object,
    weightSpecs: saved.weightSpecs ?? [],
    weightData: toArrayBuffer(saved.weightData),
    format: saved.format,
    generatedBy: saved.generatedBy,
    convertedBy: saved.convertedBy,
  };
}

/** Rebuilds a LayersModel from artifacts made by modelToArtifacts (custom layers included). */
export async function modelFromArtifacts(artifacts: ModelArtifactsData): Promise<tf.LayersModel> {
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: artifacts.modelTopology as tf.io.ModelArtifacts["modelTopology"],
      weightSpecs: artifacts.weightSpecs,
      weightData: artifacts.weightData,
    }),
  );
}

/** model.json content (tfjs layers-model format) for artifacts whose weights sit in `weightsPath`. */
export function modelJson(artifacts: ModelArtifactsData, weightsPath = "weights.bin"): object {
  return {
    format: artifacts.format ?? "layers-model",
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy ?? null,
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [weightsPath], weights: artifacts.weightSpecs }],
  };
}

/** Encodes tensors in order (names are their indices, since Adam's state repeats names). */
export async function encodeTensors(tensors: tf.Tensor[]): Promise<SerializedWeights> {
  const { data, specs } = await tf.io.encodeWeights(tensors.map((tensor, i) => ({ name: `t${i}`, tensor })));
  return { data: toArrayBuffer(data), specs };
}

/** Decodes tensors encoded by encodeTensors, in order. The caller owns (disposes) them. */
export function decodeTensors(blob: SerializedWeights): tf.Tensor[] {
  const map = tf.io.decodeWeights(blob.data, blob.specs);
  return blob.specs.map((s) => map[s.name]);
}
