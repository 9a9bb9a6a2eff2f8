import { deflateSync, inflateSync } from "fflate";
import { parseWith } from "@/lib/core/schema";
import type { RunSummary } from "@/lib/run/types";
import { completeLegacySummary } from "@/lib/run/verdict";
import { fnv1a32 } from "../hash";
import { crc32 } from "../zip/crc32";
import { fromBase64Url, toBase64Url } from "./base64url";
import { projectRun } from "./project";
import { sharedRunSchema, sharedRunV1Schema } from "./schema";
import { SHARE_LIMITS, SHARE_VERSION, type SharedRun } from "./types";

/**
 * Share-link codec. The URL fragment is `#run=<payload>` (fragments never reach a server).
 *
 * Version 2 (written now): `v2.` + base64url( header ‖ rawDeflate(json) ) with an 8-byte header,
 * big-endian: deflated length (u16), CRC-32 of the deflated bytes (u32), and the low 16 bits of
 * the CRC-32 of those 6 bytes. Read before anything is inflated, the header tells a link cut off
 * when copied (fewer bytes than it declares) from one with characters changed (a checksum that
 * disagrees, extra bytes, a header that fails its own check): with version 1's checksum over the
 * inflated text, most altered links failed to inflate and were reported as cut off (issue 17
 * item 14).
 *
 * Version 1 (still opened): `v1.` + base64url( fnv1a32(json) ‖ rawDeflate(json) ).
 */

export const FRAGMENT_KEY = "run";
export { SHARE_DIGITS } from "./project";

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
  tampered: "The link is damaged or was altered: some of its characters changed (checksum mismatch).",
  invalid: "The link's content is not a valid run.",
  unexpected: "The link could not be read (an error in TradeMate Studio, not in the link).",
};

function fail(kind: ShareErrorKind, detail?: string): DecodeResult {
  return { ok: false, kind, error: detail ? `${ERRORS[kind]} (${detail})` : ERRORS[kind] };
}

const HEADER_BYTES = 8;

/**
 * What a link carries for `summary`: its projection (project.ts), checked against the link
 * schema: exactly what `decodeSharedRun` returns. Throws when the projection falls outside the
 * schema (a programming error on the sender's side, reported with the field path).
 */
export function toShareable(summary: RunSummary): SharedRun {
  const checked = parseWith(sharedRunSchema, projectRun(summary));
  if (!checked.ok) throw new Error(`Cannot share this run: ${checked.error}`);
  return checked.value;
}

/** The 8-byte version-2 header for deflated bytes `body`. */
function header(body: Uint8Array): Uint8Array {
  const h = new Uint8Array(HEADER_BYTES);
  const dv = new DataView(h.buffer);
  dv.setUint16(0, body.length, false);
  dv.setUint32(2, crc32(body), false);
  dv.setUint16(6, crc32(h.subarray(0, 6)) & 0xffff, false);
  return h;
}

/** Encodes a run's summary into the link payload `v2.<base64url>` (without "#run="). */
export function encodeSharedRun(summary: RunSummary): string {
  const json = new TextEncoder().encode(JSON.stringify(toShareable(summary)));
  const body = deflateSync(json, { level: 9, mem: 8 });
  // The payload limit keeps the body far below the u16 length field's 65,535 bytes.
  if (body.length > 0xffff) throw new Error("Cannot share this run: its summary is too large for a link.");
  const bytes = new Uint8Array(HEADER_BYTES + body.length);
  bytes.set(header(body), 0);
  bytes.set(body, HEADER_BYTES);
  return `v${SHARE_VERSION}.${toBase64Url(bytes)}`;
}

/** The URL fragment for a run: `#run=v2.<payload>`. */
export function shareFragment(summary: RunSummary): string {
  return `#${FRAGMENT_KEY}=${encodeSharedRun(summary)}`;
}

/** Full share URL: `base` (page URL, any existing fragment replaced) + fragment. */
export function shareUrl(base: string, summary: RunSummary): string {
  const hash = base.indexOf("#");
  return (hash >= 0 ? base.slice(0, hash) : base) + shareFragment(summary);
}

/** Extracts the payload from a full URL, a fragment ("#run=..."), "run=..." or the bare payload. */
function extractPayload(input: string): string | null {
  let s = input.trim();
  const hash = s.indexOf("#");
  if (hash >= 0) s = s.slice(hash + 1);
  // The fragment may hold other parameters: "a=1&run=v2.xxx".
  if (s.includes("=")) {
    const part = s.split("&").find((p) => p.startsWith(`${FRAGMENT_KEY}=`));
    if (!part) return null;
    s = part.slice(FRAGMENT_KEY.length + 1);
  }
  return s;
}

const ALPHABET = /^[A-Za-z0-9_-]*$/;

/**
 * Decodes a link (full URL, fragment or payload) into a validated run. Never throws: any problem
 * becomes `{ok: false, kind, error}` with a message fit for the user. Checks, in order: size
 * (before decoding anything), version prefix, alphabet, the version's framing (v2: declared
 * length, then checksums; v1: checksum after inflating), inflated size cap, JSON, schema (unknown
 * fields rejected). A version-1 run is completed to the current shape (its verdict computed from
 * its metrics, as the dashboard did then).
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
    const version = Number(m[1]);
    if (version !== 1 && version !== 2)
      return fail(
        "wrong-version",
        version > SHARE_VERSION
          ? `made by a newer version (link version ${version}; this app reads versions 1 and ${SHARE_VERSION}): open it with an up-to-date studio`
          : `link version ${version}, this app reads versions 1 and ${SHARE_VERSION}`,
      );
    if (!ALPHABET.test(m[2])) return fail("encoding");
    const json = version === 2 ? unframeV2(m[2]) : unframeV1(m[2]);
    if (!(json instanceof Uint8Array)) return json;
    let parsed: unknown;
    try {
      parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(json));
    } catch {
      return fail("tampered", "content is not JSON");
    }
    return readContent(parsed);
  } catch (e) {
    // Last resort: nothing escapes, whatever the input; a kind of its own so tests can tell.
    return fail("unexpected", e instanceof Error ? e.name : "error");
  }
}

/** Version 2: header checks, then the body inflated. The JSON bytes, or why not. */
function unframeV2(text: string): Uint8Array | DecodeResult {
  // A cut can leave a dangling character (length % 4 == 1) that holds no whole byte.
  const dangling = text.length % 4 === 1;
  const whole = dangling ? text.slice(0, -1) : text;
  const bytes = fromBase64Url(whole);
  if (!bytes) return fail("encoding");
  if (bytes.length < HEADER_BYTES) return fail("truncated");
  const head = bytes.subarray(0, HEADER_BYTES);
  const body = bytes.subarray(HEADER_BYTES);
  const dv = new DataView(head.buffer, head.byteOffset, HEADER_BYTES);
  if (dv.getUint16(6, false) !== (crc32(head.subarray(0, 6)) & 0xffff)) return fail("tampered", "header");
  const declared = dv.getUint16(0, false);
  if (body.length < declared) return fail("truncated", `${body.length} of ${declared} bytes`);
  // Extra bytes, a dangling character after a whole link, or pad bits an encoder never sets.
  if (body.length > declared || dangling || toBase64Url(bytes) !== whole) return fail("tampered", "length");
  if (crc32(body) !== dv.getUint32(2, false)) return fail("tampered");
  const json = inflateCapped(body);
  if (json === "too-large") return fail("too-large", "content expands beyond the limit");
  // The checksum matched, so these bytes are what was sent: not a link this studio made.
  if (json === "corrupt") return fail("invalid", "content does not inflate");
  return json;
}

/** Version 1: checksum of the inflated text. The JSON bytes, or why not. */
function unframeV1(text: string): Uint8Array | DecodeResult {
  const bytes = fromBase64Url(text);
  if (!bytes) return fail(text.length % 4 === 1 ? "truncated" : "encoding");
  if (bytes.length < 6) return fail("truncated");
  const expected = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, false);
  const json = inflateCapped(bytes.subarray(4));
  if (json === "too-large") return fail("too-large", "content expands beyond the limit");
  if (json === "corrupt") return fail("truncated");
  if (fnv1a32(json) !== expected) return fail("tampered");
  return json;
}

/** Parsed JSON → a current-version run (version-1 content completed), or why not. */
function readContent(parsed: unknown): DecodeResult {
  const version = typeof parsed === "object" && parsed !== null && "v" in parsed ? parsed.v : undefined;
  if (version === 1) {
    const old = parseWith(sharedRunV1Schema, parsed);
    if (!old.ok) return fail("invalid", old.error);
    const completed = parseWith(sharedRunSchema, { ...completeLegacySummary(old.value), v: SHARE_VERSION });
    return completed.ok
      ? { ok: true, run: completed.value }
      : fail("invalid", `made by an older version: ${completed.error}`);
  }
  if (version !== undefined && version !== SHARE_VERSION) return fail("wrong-version");
  const checked = parseWith(sharedRunSchema, parsed);
  return checked.ok ? { ok: true, run: checked.value } : fail("invalid", checked.error);
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
