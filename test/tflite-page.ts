/**
 * Page side of the TFLite interpreter harness (test/tflite-interpreter.ts): TFLite compiled
 * to wasm (@tensorflow/tfjs-tflite), its wasm files served by the harness's own loopback server.
 * Exposes `window.tfliteRun(modelUrl, inputUrl, cases)`: loads the model, runs each case (one
 * input of the model's own input shape) and returns the shapes and the concatenated outputs.
 */
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import * as tflite from "@tensorflow/tfjs-tflite";

export interface TfliteRunResult {
  inputShape: number[];
  inputDtype: string;
  outputShape: number[];
  outputs: number[];
}

declare global {
  interface Window {
    tfliteRun: (modelUrl: string, inputUrl: string, cases: number) => Promise<TfliteRunResult>;
  }
}

tflite.setWasmPath("/tflite-wasm/");

window.tfliteRun = async (modelUrl, inputUrl, cases) => {
  await tf.setBackend("cpu");
  const model = await tflite.loadTFLiteModel(await (await fetch(modelUrl)).arrayBuffer(), { numThreads: 1 });
  const input = model.inputs[0];
  const shape = (input.shape ?? []).map(Number);
  const x = new Float32Array(await (await fetch(inputUrl)).arrayBuffer());
  const per = x.length / cases;
  const outputs: number[] = [];
  let outputShape: number[] = [];
  for (let i = 0; i < cases; i++) {
    const y = tf.tidy(
      () => model.predict(tf.tensor(x.subarray(i * per, (i + 1) * per), shape, "float32")) as tf.Tensor,
    );
    outputShape = y.shape;
    outputs.push(...(y.dataSync() as Float32Array));
    y.dispose();
  }
  return { inputShape: shape, inputDtype: String(input.dtype), outputShape, outputs };
};
