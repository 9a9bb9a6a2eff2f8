import { beforeAll, describe, expect, it, vi } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { strFromU8, strToU8, unzipSync } from "fflate";
import { writeZip, type TestZipEntry } from "@/test/zip/write-zip";
import { deflatedZeros } from "@/test/zip/zero-bomb";
import { crc32 } from "../zip/crc32";
import { buildBundle } from "./build";
import { readBundle, readBundleFile, type ReadBundleResult } from "./read";
import { bundleFixture } from "@/test/bundle";

const MB = 1024 * 1024;

/**
 * Issue 17 items 2, 3 and 5: a bundle is refused by its declared sizes before anything is
 * inflated, only the entries the reader needs are inflated (and never past their declared size),
 * and each refusal names the entry and the limit or the field.
 */
describe("bundle reader limits and messages", () => {
  let files: Record<string, Uint8Array>;
  const entries = (patch: Record<string, Partial<TestZipEntry> | Uint8Array | null> = {}): TestZipEntry[] => {
    const out: TestZipEntry[] = [];
    for (const [name, content] of Object.entries(files)) {
      const p = patch[name];
      if (p === null) continue;
      const base: TestZipEntry = { name, content, method: name.endsWith(".bin") ? 0 : 8 };
      out.push(p instanceof Uint8Array ? { ...base, content: p } : { ...base, ...p });
    }
    return out;
  };
  const error = (r: ReadBundleResult) => {
    if (r.ok) throw new Error("accepted");
    expect(r.cause).toBe("refused");
    return r.error;
  };
  const json = (name: string) => JSON.parse(strFromU8(files[name]));

  beforeAll(async () => {
    await tf.setBackend("cpu");
    files = unzipSync(buildBundle((await bundleFixture()).input));
  });

  it("reads the unpatched entries (the baseline of every case below)", () => {
    expect(readBundle(writeZip(entries())).ok).toBe(true);
  });

  it("refuses the issue's ZIP (a valid bundle plus four 500 MB zero-filled entries, ~2 MB) from its directory, at once", async () => {
    const zeros = await deflatedZeros(500 * MB);
    const zip = writeZip([...entries(), ...[0, 1, 2, 3].map((i) => ({ name: `padding-${i}.bin`, deflated: zeros }))]);
    expect(zip.length).toBeLessThan(2.5 * MB);
    const before = process.memoryUsage();
    const t0 = performance.now();
    const r = readBundle(zip);
    const ms = performance.now() - t0;
    expect(error(r)).toBe(
      'This file is too large to be a model bundle: "padding-0.bin" is too large: it declares 500.0 MB inflated, the limit per entry is 128.0 MB.',
    );
    // fflate's unzipSync took 8.7 s and 2 GB on this input (issue 17).
    expect(ms).toBeLessThan(200);
    expect(process.memoryUsage().arrayBuffers - before.arrayBuffers).toBeLessThan(16 * MB);
  });

  it("refuses an entry whose header says small but whose data inflates huge, after one step", async () => {
    const zeros = await deflatedZeros(500 * MB);
    for (const name of ["manifest.json", "golden.json", "forest/forest.bin"]) {
      const zip = writeZip(entries({ [name]: { deflated: zeros, declaredSize: 1000 } }));
      const before = process.memoryUsage().arrayBuffers;
      const t0 = performance.now();
      expect(error(readBundle(zip))).toBe(
        `The bundle is damaged: "${name}" inflates to more than the 1000 B its header declares.`,
      );
      expect(performance.now() - t0).toBeLessThan(500);
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * MB);
    }
  });

  it("inflates only the entries it reads: unknown and hostile names are never inflated", () => {
    // Not deflate data at all: inflating any of these would fail.
    const junk = { data: Uint8Array.of(0xff, 0xff, 0xff, 0xff), size: 100, crc: 0 };
    const hostile = ["../../manifest.json", "/etc/passwd", "forest/\u0000forest.bin", "x".repeat(60_000), "notes.txt"];
    const r = readBundle(writeZip([...entries(), ...hostile.map((name) => ({ name, deflated: junk }))]));
    expect(r.ok).toBe(true);
    // ... but listed files are required to exist, and duplicates are refused.
    expect(error(readBundle(writeZip(entries({ "onnx/forest.onnx": null, "forest/schema.json": null }))))).toBe(
      "The bundle is damaged: forest/schema.json is missing.",
    );
    const twice = writeZip([...entries(), { name: "golden.json", content: strToU8("{}") }]);
    expect(error(readBundle(twice))).toBe(
      'The bundle is damaged: the ZIP holds two entries named "golden.json" (which one is meant?).',
    );
  });

  it("refuses manifest paths that climb out of the ZIP or are absolute", () => {
    for (const bad of ["../golden.json", "/golden.json", "forest//forest.bin", "./golden.json"]) {
      const m = json("manifest.json");
      m.golden.path = bad;
      expect(error(readBundle(writeZip(entries({ "manifest.json": strToU8(JSON.stringify(m)) }))))).toMatch(
        /manifest.json is invalid: golden.path: string has characters outside the allowed set/,
      );
    }
  });

  it("says an entry over the limit is too large (not missing), naming it and the limit", () => {
    expect(error(readBundle(writeZip(entries({ "golden.json": { declaredSize: 200 * MB } }))))).toBe(
      'This file is too large to be a model bundle: "golden.json" is too large: it declares 200.0 MB inflated, the limit per entry is 128.0 MB.',
    );
    expect(error(readBundle(writeZip(entries({ "golden.json": { declaredSize: 40 * MB } }))))).toBe(
      "The bundle is not one this studio reads: golden.json is too large (40.0 MB; the limit for a JSON entry is 32.0 MB).",
    );
  });

  it("checks file.size before reading a byte", async () => {
    const arrayBuffer = vi.fn();
    const r = await readBundleFile({ size: 300 * MB, arrayBuffer } as unknown as Blob);
    expect(error(r)).toBe("This file is too large to be a model bundle (300.0 MB; the limit is 256.0 MB).");
    expect(arrayBuffer).not.toHaveBeenCalled();
    expect((await readBundleFile(new Blob([writeZip(entries()) as BlobPart]))).ok).toBe(true);
  });

  it("names the model.json field when weight specs are not what the studio writes", () => {
    const withSpec = (patch: (w: Record<string, unknown>) => void) => {
      const mj = json("transformer/model.json");
      patch(mj.weightsManifest[0].weights[1]);
      return error(readBundle(writeZip(entries({ "transformer/model.json": strToU8(JSON.stringify(mj)) }))));
    };
    const field = "The bundle is damaged: transformer/model.json is invalid: weightsManifest[0].weights[1]";
    expect(withSpec((w) => (w.shape = "8"))).toBe(`${field}.shape: expected an array.`);
    expect(withSpec((w) => (w.shape = [-8]))).toBe(`${field}.shape[0]: number out of range [0, 2147483647].`);
    expect(withSpec((w) => (w.shape = [2.5]))).toBe(`${field}.shape[0]: expected an integer.`);
    expect(withSpec((w) => (w.dtype = "int32"))).toBe(`${field}.dtype: expected one of float32.`);
    expect(withSpec((w) => (w.quantization = { dtype: "uint8" }))).toBe(
      `${field}.quantization.dtype: expected one of float16.`,
    );
    expect(withSpec((w) => (w.shape = [9]))).toMatch(
      /^The bundle is damaged: transformer: weights data too short \(transformer\/weights.bin holds \d+ bytes; the 23 weights in transformer\/model.json need \d+\)\.$/,
    );
    const longer = new Uint8Array(files["transformer/weights.bin"].length + 4);
    longer.set(files["transformer/weights.bin"]);
    expect(error(readBundle(writeZip(entries({ "transformer/weights.bin": longer }))))).toMatch(
      /^The bundle is damaged: transformer: weights data too long \(transformer\/weights.bin holds \d+ bytes/,
    );
  });

  it("refuses a stored entry whose bytes changed (CRC-32), naming it", () => {
    const flipped = files["lstm/weights.bin"].slice();
    flipped[100] ^= 0x10;
    const crc = crc32(files["lstm/weights.bin"]);
    const zip = writeZip(entries({ "lstm/weights.bin": { content: flipped, crc } }));
    expect(error(readBundle(zip))).toBe('The bundle is damaged: "lstm/weights.bin" is damaged (checksum mismatch).');
  });

  it("refuses a forest whose class count is not the bundle's, from its header", () => {
    const bin = files["forest/forest.bin"].slice();
    expect(bin[6]).toBe(4);
    bin[6] = 15;
    expect(error(readBundle(writeZip(entries({ "forest/forest.bin": bin }))))).toBe(
      "The bundle is damaged: forest/forest.bin: the forest has 15 classes, expected 4.",
    );
  });
});
