/**
 * Fuzz kind "bundle": real model bundles, exported by the studio's own path (lib/run/export-run
 * over a stored run in fake-indexeddb: float32 with ONNX, float16 without), mutated and imported
 * with importBundle while the bundle's training data is stored, so an accepted bundle is
 * evaluated and stored as a run. A case passes when the import resolves, or rejects with a
 * BundleError whose message is clear (clear.ts); after any case that stored no run, every
 * IndexedDB table must hold what it held before.
 */
import * as tf from "@tensorflow/tfjs";
import { unzipSync } from "fflate";
import { deleteRun, getStudioDb } from "@/lib/db";
import { BundleError } from "@/lib/export/bundle/errors";
import { crc32 } from "@/lib/export/zip/crc32";
import { runBundle } from "@/lib/jobs/export/export-run";
import { importBundle } from "@/lib/jobs/export/import-bundle";
import { inProcessPredictors, storeRunFixture } from "@/test/stored-run";
import type { TestZipEntry } from "@/test/zip/write-zip";
import { writeZip } from "@/test/zip/write-zip";
import { deflatedZeros } from "@/test/zip/zero-bomb";
import { deflateSync } from "fflate";
import { isClearMessage } from "./clear";
import type { FuzzKind, Rng } from "./harness";
import { mutateBytes } from "./mutate-bytes";
import { mutateJson } from "./mutate-json";
import { mutateZip, type Bomb } from "./mutate-zip";

const RUN_ID = "fuzz-source-run";
const JSON_ENTRIES = ["transformer/model.json", "lstm/model.json", "golden.json", "forest/inputs.json"];
const BINARY_ENTRIES = ["forest/forest.bin", "transformer/weights.bin", "lstm/weights.bin"];

interface Corpus {
  zip: Uint8Array;
  entries: TestZipEntry[];
  json: Record<string, unknown>;
  files: Record<string, Uint8Array>;
}

/** Entries as buildBundle writes them (weights stored, the rest deflated), deflated once. */
function corpusOf(zip: Uint8Array): Corpus {
  const files = unzipSync(zip);
  const entries: TestZipEntry[] = Object.entries(files).map(([name, content]) =>
    name.endsWith("weights.bin")
      ? { name, content, method: 0 }
      : { name, deflated: { data: deflateSync(content), size: content.length, crc: crc32(content) } },
  );
  const json: Record<string, unknown> = {};
  for (const name of ["manifest.json", ...JSON_ENTRIES])
    if (files[name]) json[name] = JSON.parse(new TextDecoder().decode(files[name]));
  return { zip, entries, json, files };
}

/** The corpus's entries with `name`'s content replaced (deflated unless it is a stored weights.bin). */
function withEntry(c: Corpus, name: string, content: Uint8Array): Uint8Array {
  return writeZip(
    c.entries.map((e) => (e.name === name ? { name, content, method: name.endsWith("weights.bin") ? 0 : 8 } : e)),
  );
}

function nextCase(corpora: Corpus[], bomb: Bomb, rng: Rng): { mutation: string; input: Uint8Array } {
  const c = rng.pick(corpora);
  const roll = rng.next();
  if (roll < 0.2) {
    const m = mutateBytes(c.zip, rng);
    return { mutation: `zip ${m.label}`, input: m.bytes };
  }
  if (roll < 0.5) {
    const m = mutateZip(c.entries, rng, bomb);
    return { mutation: m.label, input: m.zip };
  }
  if (roll < 0.85) {
    const name = rng.chance(0.55) ? "manifest.json" : rng.pick(JSON_ENTRIES.filter((n) => n in c.json));
    const m = mutateJson(c.json[name], rng);
    return {
      mutation: `${name} ${m.path}`,
      input: withEntry(c, name, new TextEncoder().encode(JSON.stringify(m.value))),
    };
  }
  const name = rng.pick(BINARY_ENTRIES);
  const m = mutateBytes(c.files[name], rng);
  return { mutation: `${name} ${m.label}`, input: withEntry(c, name, m.bytes) };
}

async function tableCounts(): Promise<string> {
  const db = getStudioDb();
  const counts = await Promise.all(db.tables.map(async (t) => `${t.name}=${await t.count()}`));
  return counts.join(" ");
}

export const bundleFuzz: FuzzKind<Uint8Array> = {
  name: "bundle",
  async prepare() {
    await tf.setBackend("cpu");
    const { dataset, evaluation } = await storeRunFixture(RUN_ID);
    const corpora = [
      corpusOf(await runBundle(RUN_ID, dataset.id, evaluation, { float16: false, onnx: true })),
      corpusOf(await runBundle(RUN_ID, dataset.id, evaluation, { float16: true, onnx: false })),
    ];
    const bomb = await deflatedZeros(200 * 1024 * 1024);
    // The unmutated bundles import and store a run: so "a rejected bundle stored nothing" is a
    // real check, not one that holds because nothing is ever stored.
    for (const c of corpora) {
      const res = await importBundle(c.zip, inProcessPredictors, "fuzz.zip");
      if (!res.runId) throw new Error(`fuzz corpus: the unmutated bundle did not import (${res.message})`);
      await deleteRun(getStudioDb(), res.runId);
    }
    return {
      next: (rng) => nextCase(corpora, bomb, rng),
      async feed(zip) {
        const before = await tableCounts();
        let message: string;
        try {
          const res = await importBundle(zip, inProcessPredictors, "fuzz.zip");
          if (res.runId) {
            await deleteRun(getStudioDb(), res.runId);
            return "accepted";
          }
          if (res.reproduced) message = "";
          else if (!isClearMessage(res.message)) throw new Error(`unclear result: ${res.message}`);
          else message = res.message;
        } catch (e) {
          if (!(e instanceof BundleError)) throw e;
          if (!isClearMessage(e.message)) throw new Error(`unclear BundleError: ${e.message}`);
          message = e.message;
        }
        const after = await tableCounts();
        if (after !== before) throw new Error(`a rejected bundle changed IndexedDB (${before} → ${after}): ${message}`);
        return message ? "rejected" : "accepted";
      },
    };
  },
};
