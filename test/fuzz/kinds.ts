/**
 * The fuzz kinds by name, loaded on demand. A new kind is a module exporting a FuzzKind
 * (see harness.ts) and one line here.
 */
import type { FuzzKind } from "./harness";

export const FUZZ_KINDS: Record<string, () => Promise<FuzzKind>> = {
  bundle: async () => (await import("./bundle")).bundleFuzz as FuzzKind,
  share: async () => (await import("./share")).shareFuzz as FuzzKind,
};
