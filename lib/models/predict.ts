/** Batched inference over windows gathered from the device-resident matrix. */
import * as tf from "@tensorflow/tfjs";
import { NUM_CLASSES } from "../core/classes";
import type { WindowSource } from "../core/dataset";
import { gatherWindows, toDeviceSource, type DeviceSource } from "./batches";

function isDevice(src: DeviceSource | WindowSource): src is DeviceSource {
  return (src as DeviceSource).dispose !== undefined;
}

/**
 * Class probabilities for the windows ending at `ends`.
 * @returns Float32Array of length ends.length * 4, row-major (row i = window ends[i]).
 */
export async function predictProba(
  model: tf.LayersModel,
  source: DeviceSource | WindowSource,
  ends: ArrayLike<number>,
  batchSize = 512,
): Promise<Float32Array> {
  const src = isDevice(source) ? source : toDeviceSource(source);
  const out = new Float32Array(ends.length * NUM_CLASSES);
  try {
    for (let from = 0; from < ends.length; from += batchSize) {
      const to = Math.min(ends.length, from + batchSize);
      const probs = tf.tidy(
        () => model.predict(gatherWindows(src, ends, from, to), { batchSize: to - from }) as tf.Tensor,
      );
      out.set(await probs.data(), from * NUM_CLASSES);
      probs.dispose();
    }
  } finally {
    if (!isDevice(source)) src.dispose();
  }
  return out;
}
