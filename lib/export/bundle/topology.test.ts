import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { importBundle } from "@/lib/jobs/export/import-bundle";
import { inProcessPredictors } from "@/test/stored-run";
import { buildBundle } from "./build";
import { BundleError } from "./errors";
import { readBundle } from "./read";
import { bundleFixture } from "@/test/bundle";

/** Inputs the fuzz suite found crashing TensorFlow.js with JavaScript errors (seeds 1-3). */
describe("model.json topology check", () => {
  let files: Record<string, Uint8Array>;
  type Topology = { config: { layers: Record<string, unknown>[] } & Record<string, unknown> } & Record<string, unknown>;
  const withTopology = (id: string, patch: (t: Topology) => void) => {
    const mj = JSON.parse(strFromU8(files[`${id}/model.json`]));
    patch(mj.modelTopology);
    return zipSync({ ...files, [`${id}/model.json`]: strToU8(JSON.stringify(mj)) });
  };
  const error = (zip: Uint8Array) => {
    const r = readBundle(zip);
    return r.ok ? "accepted" : r.error;
  };

  beforeAll(async () => {
    await tf.setBackend("cpu");
    files = unzipSync(buildBundle((await bundleFixture()).input));
  });

  it("refuses a graph tfjs would trip over, naming the field", () => {
    const prefix = "The bundle is damaged: lstm/model.json is invalid: modelTopology.config";
    // Fuzz seed 1 case 77: "Object is not iterable".
    expect(error(withTopology("lstm", (t) => (t.config.layers = {} as never)))).toBe(
      `${prefix}.layers: expected a list of 1 to 10000 layers.`,
    );
    // Seed 1 case 922 and seed 3 case 626: "undefined is not iterable".
    expect(error(withTopology("lstm", (t) => (t.config = null as never)))).toBe(
      "The bundle is damaged: lstm/model.json is invalid: modelTopology.config: expected an object.",
    );
    // Seed 2 case 429: "Cannot read properties of undefined (reading 'outputTensors')".
    expect(error(withTopology("lstm", (t) => ((t.config.input_layers as unknown[][])[0][1] = 5)))).toBe(
      `${prefix}.input_layers[0][1]: expected a node index of layer "window".`,
    );
    expect(error(withTopology("lstm", (t) => (t.config.layers[2].inbound_nodes = [[["nowhere", 0, 0, {}]]])))).toBe(
      `${prefix}.layers[2].inbound_nodes[0][0][0]: names no layer listed before it.`,
    );
    expect(error(withTopology("lstm", (t) => (t.config.output_layers = [["window", 0, 1]])))).toBe(
      `${prefix}.output_layers[0][2]: expected tensor index 0.`,
    );
    expect(error(withTopology("transformer", (t) => (t.config.layers[3].name = t.config.layers[2].name)))).toMatch(
      /layers\[3\]\.name: a second layer named "proj"\.$/,
    );
  });

  it("refuses layers that name each other as inputs (tfjs's deferred-node loop would never end)", () => {
    const zip = withTopology("lstm", (t) => {
      const [, a, b] = t.config.layers;
      a.inbound_nodes = [[[b.name, 0, 0, {}]]];
    });
    expect(error(zip)).toMatch(/layers\[1\]\.inbound_nodes\[0\]\[0\]\[0\]: names no layer listed before it\.$/);
  });

  it("words an error from inside tfjs for the user, naming the file", async () => {
    const refusal = async (patch: (t: Topology) => void) => {
      const zip = withTopology("lstm", patch);
      expect(error(zip)).toBe("accepted"); // layer configs are left to tfjs
      const e = await importBundle(zip, inProcessPredictors).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(BundleError);
      return (e as Error).message;
    };
    const prefix = "The bundle's lstm model cannot be run here (lstm/model.json): ";
    // tfjs answers this one with a TypeError from inside ("... is not iterable" and the like).
    expect(await refusal((t) => ((t.config.layers[0].config as Record<string, unknown>).batch_input_shape = 5))).toBe(
      `${prefix}TensorFlow.js cannot build or run the model it describes`,
    );
    // ... and this one in its own words, but with "[object Object]" in them.
    const units = await refusal((t) => {
      const head = t.config.layers.find((l) => l.name === "head")!;
      (head.config as Record<string, unknown>).units = { not: "a number" };
    });
    expect(units).toBe(`${prefix}Expected units to be a positive integer, but got an object.`);
  });
});
