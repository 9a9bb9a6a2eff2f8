import { CLASS_NAMES } from "@/lib/core/classes";
import type { NeuralPlan } from "../nn/plan";
import type { TfliteGraph } from "./graph";

/** Tensor names of the exported models' input and output. */
export const TFLITE_INPUT = "window";
export const TFLITE_OUTPUT = "probabilities";

/** The MyTradeMate guide's size limit for each .tflite file ("< 3 MB"), in the studio's binary units (formatBytes). */
export const TFLITE_GUIDE_LIMIT_BYTES = 3 * 1024 * 1024;

export interface TfliteExportOptions {
  /** Store weights as float16 with DEQUANTIZE ops (about half the bytes). Default false. */
  float16?: boolean;
}

/** Model.description: what the file computes, what goes in and what comes out. */
export function modelDescription(what: string, p: NeuralPlan, g: TfliteGraph): string {
  return (
    `TradeMate Studio ${what}. Input "${TFLITE_INPUT}" float32 [1, ${p.window}, ${p.features}]: normalised ` +
    `features (manifest order, (x - mean) / std). Output "${TFLITE_OUTPUT}" float32 [1, ${CLASS_NAMES.length}]: ` +
    `${CLASS_NAMES.join(", ")}. Weights ${g.float16 ? "float16 (DEQUANTIZE)" : "float32"}.`
  );
}
