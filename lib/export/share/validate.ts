import { parseWith } from "@/lib/core/schema";
import { sharedRunSchema } from "./schema";
import type { SharedRun } from "./types";

/**
 * Validates an already-parsed value as a SharedRun (strict: unknown fields rejected) and returns a
 * fresh copy, or the path and problem of the first error. Use when a run comes from anywhere
 * untrusted other than a link (a pasted JSON, a saved file).
 */
export function validateSharedRun(value: unknown): { ok: true; run: SharedRun } | { ok: false; error: string } {
  const r = parseWith(sharedRunSchema, value);
  return r.ok ? { ok: true, run: r.value } : { ok: false, error: r.error };
}
