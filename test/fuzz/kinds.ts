/**
 * The fuzz kinds by name, loaded on demand. A new kind is a module exporting a FuzzKind
 * (see harness.ts) and one line here.
 */
import type { FuzzKind } from "./harness";

export const FUZZ_KINDS: Record<string, () => Promise<FuzzKind>> = {
  bundle: async () => (await import("./bundle")).bundleFuzz as FuzzKind,
  share: async () => (await import("./share")).shareFuzz as FuzzKind,
  csv: async () => (await import("./csv")).csvFuzz as FuzzKind,
  zip: async () => (await import("./zip")).zipFuzz as FuzzKind,
  /** One case (issue 17's 600 MB CSV in a 0.58 MB ZIP); too slow for the small run in npm test. */
  "zip-600mb-csv": async () => (await import("./zip")).zip600MbCsvFuzz as FuzzKind,
};

/** Kinds the small run inside `npm test` covers. */
export const SMALL_RUN_KINDS = ["bundle", "share", "csv", "zip"];
