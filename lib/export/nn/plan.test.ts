import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { buildModel } from "@/lib/models/build";
import { defaultConfig } from "@/lib/models/config";
import { modelToArtifacts } from "@/lib/models/serialize";
import type { ModelArtifactsData } from "@/lib/models/types";
import { lstmToOnnx } from "../onnx/lstm";
import { transformerToOnnx } from "../onnx/transformer";
import { lstmToTflite } from "../tflite/lstm";
import { transformerToTflite } from "../tflite/transformer";
import { lstmPlan, transformerPlan } from "./plan";

type Layer = { class_name: string; name: string; config: Record<string, unknown>; inbound_nodes: unknown[] };

/** The artifacts with their topology's layer list edited by `edit`. */
function withLayers(a: ModelArtifactsData, edit: (layers: Layer[]) => void): ModelArtifactsData {
  const topology = structuredClone(a.modelTopology) as { config: { layers: Layer[] } };
  edit(topology.config.layers);
  return { ...a, modelTopology: topology };
}

const inbound = (...names: string[]) => [names.map((n) => [n, 0, 0, {}])];

describe("model → plan (shared by the ONNX and TFLite exporters)", () => {
  let transformer: ModelArtifactsData;
  let lstm: ModelArtifactsData;
  beforeAll(async () => {
    await tf.setBackend("cpu");
    const t = buildModel(
      "transformer",
      { ...defaultConfig("transformer"), dModel: 8, heads: 2, blocks: 2, ff: 8 },
      120,
      42,
    );
    const l = buildModel("lstm", { ...defaultConfig("lstm"), units: 8, layers: 2 }, 120, 42);
    transformer = await modelToArtifacts(t);
    lstm = await modelToArtifacts(l);
  });

  it("reads the studio's Transformer and LSTM with their shapes", () => {
    const t = transformerPlan(transformer);
    expect([t.window, t.features, t.tokens, t.tokenWidth, t.dModel, t.blocks.length]).toEqual([120, 42, 15, 336, 8, 2]);
    expect(t.blocks[1].attention.heads).toBe(2);
    expect(t.head.activation).toBe("softmax");
    const l = lstmPlan(lstm);
    expect([l.steps, l.stepWidth, l.layers.length]).toEqual([30, 168, 2]);
    expect(l.layers.map((x) => x.returnSequences)).toEqual([true, false]);
    expect(l.layers[0].gateActivation).toBe("sigmoid");
  });

  it("refuses a layer it does not know instead of leaving it out of the file", () => {
    const extra = withLayers(transformer, (layers) =>
      layers.push({ class_name: "BatchNormalization", name: "bn", config: {}, inbound_nodes: inbound("head") }),
    );
    for (const write of [transformerToOnnx, transformerToTflite])
      expect(() => write(extra)).toThrow(/layer bn \(BatchNormalization\) is not supported/);
  });

  it("refuses a model wired differently (a block whose feed-forward skips its norm)", () => {
    const rewired = withLayers(transformer, (layers) => {
      layers.find((l) => l.name === "b1_ff1")!.inbound_nodes = inbound("b1_add1");
    });
    expect(() => transformerPlan(rewired)).toThrow(/layer b1_ff1 takes \[b1_add1\], the exporter expects \[b1_ln2\]/);
  });

  it("refuses a model whose output is not the head", () => {
    const other = structuredClone(transformer.modelTopology) as { config: { output_layers: unknown[] } };
    other.config.output_layers = [["ln_f", 0, 0]];
    expect(() => transformerPlan({ ...transformer, modelTopology: other })).toThrow(
      /the exporter expects window → head/,
    );
  });

  it("refuses a stateful LSTM", () => {
    const stateful = withLayers(lstm, (layers) => {
      layers.find((l) => l.name === "lstm_1")!.config.stateful = true;
    });
    expect(() => lstmPlan(stateful)).toThrow(/lstm_1.stateful is not supported/);
  });

  it("a plain tfjs LSTM with hard-sigmoid gates: ONNX writes it, TFLite refuses it by name", () => {
    const plain = withLayers(lstm, (layers) => {
      const l = layers.find((x) => x.name === "lstm_0")!;
      l.class_name = "LSTM";
      l.config = { ...l.config, recurrent_activation: "hard_sigmoid", activation: "tanh" };
    });
    expect(lstmPlan(plain).layers[0].gateActivation).toBe("hard_sigmoid");
    expect(lstmToOnnx(plain).length).toBeGreaterThan(0);
    expect(() => lstmToTflite(plain)).toThrow(/lstm_0 uses hard_sigmoid gates/);
  });
});
