import { deflateSync, inflateSync } from "fflate";
import { fnv1a32 } from "../hash";
import { fromBase64Url, toBase64Url } from "./base64url";
import { roundDeep } from "./compact";
import { run as runCheck } from "./schema-kit";
import { sharedRunSchema } from "./schema";
import { SHARE_LIMITS, SHARE_VERSION, type SharedRun } from "./types";

/**
 * Share-link codec. Link payload: `v1.` + base64url( checksum32(json) ‖ rawDeflate(json) ), where
 * json is the whitelisted, rounded run. The URL fragment is `#run=<payload>` (fragments never
 * reach a server).
 */

export const FRAGMENT_KEY = "run";
/** Significant digits kept for non-integer numbers: a chart or a 4-decimal metric needs no more. */
export const SHARE_DIGITS = 4;

/** "unexpected": the decoder itself failed on the link, a bug in the studio (the fuzz suite counts these). */
export type ShareErrorKind =
  | "empty"
  | "not-a-run-link"
  | "too-large"
  | "wrong-version"
  | "encoding"
  | "truncated"
  | "tampered"
  | "invalid"
  | "unexpected";

export type DecodeResult = { ok: true; run: SharedRun } | { ok: false; kind: ShareErrorKind; error: string };

const ERRORS: Record<ShareErrorKind, string> = {
  empty: "The link carries no run.",
  "not-a-run-link": "This is not a TradeMate Studio run link.",
  "too-large": "The link is too large to be a TradeMate Studio run.",
  "wrong-version": "The link was made by a different version of TradeMate Studio.",
  encoding: "The link is damaged (characters outside the link alphabet).",
  truncated: "The link is incomplete: it was probably cut off when copied.",
  tampered: "The link is damaged or was altered (checksum mismatch).",
  invalid: "The link's content is not a valid run.",
  unexpected: "The link could not be read (an error in TradeMate Studio, not in the link).",
};

function fail(kind: ShareErrorKind, detail?: string): DecodeResult {
  return { ok: false, kind, error: detail ? `${ERRORS[kind]} (${detail})` : ERRORS[kind] };
}

/**
 * The run reduced to whitelisted fields and rounded to SHARE_DIGITS (4) significant digits: exactly what a link
 * carries and what `decodeSharedRun` returns. Throws when `run` does not satisfy the schema (a
 * programming error on the sender's side, reported with the field path).
 */
export function toShareable(run: SharedRun): SharedRun {
  const stripped = runCheck(sharedRunSchema, run, "strip");
  if (!stripped.ok) throw new Error(`Cannot share this run: ${stripped.error}`);
  const rounded = runCheck(sharedRunSchema, roundDeep(stripped.value, SHARE_DIGITS), "strip");
  if (!rounded.ok) throw new Error(`Cannot share this run after rounding: ${rounded.error}`);
  return rounded.value;
}

/** Encodes a run into the link payload `v1.<base64url>` (without "#run="). */
export function encodeSharedRun(run: SharedRun): string {
  const json = new TextEncoder().encode(JSON.stringify(toShareable(run)));
  const packed = deflateSync(json, { level: 9, mem: 8 });
  const bytes = new Uint8Array(4 + packed.length);
  new DataView(bytes.buffer).setUint32(0, fnv1a32(json), false);
  bytes.set(packed, 4);
  return `v${SHARE_VERSION}.${toBase64Url(bytes)}`;
}

/** The URL fragment for a run: `#run=v1.<payload>`. */
export function shareFragment(run: SharedRun): string {
  return `#${FRAGMENT_KEY}=${encodeSharedRun(run)}`;
}

/** Full share URL: `base` (page URL, any existing fragment replaced) + fragment. */
export function shareUrl(base: string, run: SharedRun): string {
  const hash = base.indexOf("#");
  return (hash >= 0 ? base.slice(0, hash) : base) + shareFragment(run);
}

/** Extracts the payload from a full URL, a fragment ("#run=..."), "run=..." or the bare payload. */
function extractPayload(input: string): string | null {
  let s = input.trim();
  const hash = s.indexOf("#");
  if (hash >= 0) s = s.slice(hash + 1);
  // The fragment may hold other parameters: "a=1&run=v1.xxx".
  if (s.includes("=")) {
    const part = s.split("&").find((p) => p.startsWith(`${FRAGMENT_KEY}=`));
    if (!part) return null;
    s = part.slice(FRAGMENT_KEY.length + 1);
  }
  return s;
}

/**
 * Decodes a link (full URL, fragment or payload) into a validated run. Never throws: any problem
 * becomes `{ok: false, kind, error}` with a message fit for the user. Checks, in order: size
 * (before decoding anything), version prefix, alphabet, inflated size cap, checksum, JSON, schema
 * (unknown fields rejected).
 */
export function decodeSharedRun(input: string): DecodeResult {
  try {
    if (typeof input !== "string" || input.trim() === "") return fail("empty");
    if (input.length > SHARE_LIMITS.maxLinkChars + 4096) return fail("too-large", `${input.length} characters`);
    const payload = extractPayload(input);
    if (payload === null || payload === "") return fail(payload === "" ? "empty" : "not-a-run-link");
    if (payload.length > SHARE_LIMITS.maxLinkChars) return fail("too-large", `${payload.length} characters`);
    const m = /^v(\d{1,6})\.(.*)$/s.exec(payload);
    if (!m) return fail("not-a-run-link");
    if (Number(m[1]) !== SHARE_VERSION)
      return fail("wrong-version", `link version ${m[1]}, this app reads version ${SHARE_VERSION}`);
    const bytes = fromBase64Url(m[2]);
    if (!bytes) return fail("encoding");
    if (bytes.length < 6) return fail("truncated");
    const expected = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, false);
    const json = inflateCapped(bytes.subarray(4));
    if (json === "too-large") return fail("too-large", "content expands beyond the limit");
    if (json === "corrupt") return fail("truncated");
    if (fnv1a32(json) !== expected) return fail("tampered");
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(json));
    } catch {
      return fail("tampered", "content is not JSON");
    }
    if (parsed && typeof parsed === "object" && "v" in parsed && (parsed as { v: unknown }).v !== SHARE_VERSION) {
      return fail("wrong-version");
    }
    const checked = runCheck(sharedRunSchema, parsed, "reject");
    return checked.ok ? { ok: true, run: checked.value } : fail("invalid", checked.error);
  } catch (e) {
    // Last resort: nothing escapes, whatever the input; a kind of its own so tests can tell.
    return fail("unexpected", e instanceof Error ? e.name : "error");
  }
}

/**
 * Inflates into a fixed buffer one byte larger than the cap: fflate stops writing at the end of a
 * user-supplied buffer, so memory stays bounded and a full buffer means "too large".
 */
function inflateCapped(data: Uint8Array): Uint8Array | "too-large" | "corrupt" {
  const cap = SHARE_LIMITS.maxInflatedBytes;
  const out = new Uint8Array(cap + 1);
  let result: Uint8Array;
  try {
    result = inflateSync(data, { out });
  } catch {
    return "corrupt";
  }
  if (result.length > cap) return "too-large";
  return result;
}
