/**
 * Fuzz kind "share": real share links (lib/export/share/fixture realisticRun, encoded by the
 * codec) mutated as text (characters changed, cut, spliced, wrapped in other URL forms), as
 * bytes under a valid alphabet (bit flips in the checksum or the deflate stream), and as JSON
 * under a valid checksum (wrong types at any field, oversized content), then opened with the
 * codec's public decodeSharedRun only. A case passes when it decodes, or fails as a result of a
 * known kind other than "unexpected" with a clear message (clear.ts). Opening a link writes
 * nothing anywhere (decoding is pure), so there is no storage to check.
 */
import { deflateSync, strToU8 } from "fflate";
import { decodeSharedRun, encodeSharedRun, type DecodeResult } from "@/lib/export/share/codec";
import { fromBase64Url, toBase64Url } from "@/lib/export/share/base64url";
import { realisticRun } from "@/test/shared-run";
import { fnv1a32 } from "@/lib/export/hash";
import { isClearMessage } from "./clear";
import type { FuzzKind, Rng } from "./harness";
import { flipBits, splice, truncate } from "./mutate-bytes";
import { mutateJson } from "./mutate-json";

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const ODD_CHARS = ["=", "+", "/", " ", "%", "#", "&", ".", "é", "\u0000", "\u202e", "😀", "\n"];
const WRAPPERS = ["", "#run=", "run=", "https://studio.example/share#run=", "#a=1&run=", "#run=&run=", "?run=", "#"];
const VERSIONS = ["v1.", "v2.", "v0.", "v01.", "v1", "V1.", "v999999.", "v1234567.", "", "v1.v1."];

/**
 * A link payload for JSON text with a valid checksum, as the codec writes it: "v1." +
 * base64url(fnv1a32 big-endian ‖ raw deflate). Checked against the codec in prepare().
 */
function packLink(json: string): string {
  const bytes = strToU8(json);
  const packed = deflateSync(bytes, { level: 9, mem: 8 });
  const out = new Uint8Array(4 + packed.length);
  new DataView(out.buffer).setUint32(0, fnv1a32(bytes), false);
  out.set(packed, 4);
  return `v1.${toBase64Url(out)}`;
}

function editChars(payload: string, rng: Rng): string {
  const chars = [...payload];
  const n = 1 + rng.int(4);
  for (let k = 0; k < n && chars.length; k++)
    chars[rng.int(chars.length)] = rng.chance(0.8) ? ALPHABET[rng.int(64)] : rng.pick(ODD_CHARS);
  return chars.join("");
}

function nextCase(links: string[], docs: unknown[], rng: Rng): { mutation: string; input: string } {
  const link = rng.pick(links);
  const body = link.slice(3);
  const roll = rng.next();
  if (roll < 0.2) return { mutation: "characters changed", input: editChars(link, rng) };
  if (roll < 0.3) return { mutation: "cut", input: link.slice(0, rng.int(link.length)) };
  if (roll < 0.4) {
    const bytes = new TextEncoder().encode(link);
    return { mutation: "text spliced", input: new TextDecoder().decode(splice(bytes, rng)) };
  }
  if (roll < 0.5) {
    const input = rng.pick(WRAPPERS) + rng.pick(VERSIONS) + (rng.chance(0.8) ? body : editChars(body, rng));
    return { mutation: "wrapper/version", input };
  }
  if (roll < 0.65) {
    const bytes = fromBase64Url(body)!;
    const m = rng.chance(0.7) ? flipBits(bytes, rng) : rng.chance(0.5) ? truncate(bytes, rng) : splice(bytes, rng);
    return { mutation: "payload bytes", input: `v1.${toBase64Url(m)}` };
  }
  if (roll < 0.9) {
    const m = mutateJson(rng.pick(docs), rng);
    return { mutation: `json ${m.path}`, input: packLink(JSON.stringify(m.value)) };
  }
  const sizes = [
    () => packLink(`${" ".repeat(500_000)}{}`),
    () => packLink(JSON.stringify({ ...(rng.pick(docs) as object), title: "x".repeat(200_000) })),
    () => `v1.${"A".repeat(16_384 + rng.int(10_000))}`,
    () => packLink("not json at all"),
    () => packLink("null"),
    () => packLink("[]"),
    () => packLink('"\\ud800"'),
    () => Array.from({ length: rng.int(300) }, () => String.fromCharCode(rng.int(0x3000))).join(""),
  ];
  return { mutation: "size/garbage", input: rng.pick(sizes)() };
}

function checkResult(r: DecodeResult): "accepted" | "rejected" {
  if (r.ok) return "accepted";
  if (r.kind === "unexpected") throw new Error(`the decoder failed: ${r.error}`);
  if (!isClearMessage(r.error)) throw new Error(`unclear message (${r.kind}): ${r.error}`);
  return "rejected";
}

export const shareFuzz: FuzzKind<string> = {
  name: "share",
  async prepare() {
    const links = [1, 2, 3, 4].map((seed) => encodeSharedRun(realisticRun(seed)));
    const docs = links.map((l) => {
      const r = decodeSharedRun(l);
      if (!r.ok) throw new Error(`fuzz corpus: a fixture link does not decode (${r.error})`);
      return r.run as unknown;
    });
    // The packer must still write what the codec reads, or the JSON cases test nothing.
    const repacked = decodeSharedRun(packLink(JSON.stringify(docs[0])));
    if (!repacked.ok)
      throw new Error(`fuzz: packLink no longer matches the share codec's format (${repacked.error}); update it`);
    return {
      next: (rng) => nextCase(links, docs, rng),
      feed: async (input) => checkResult(decodeSharedRun(input)),
    };
  },
};
