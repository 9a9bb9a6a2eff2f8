/**
 * ZIP-level mutations over a list of entries (the test ZIP writer writes what no well-behaved
 * writer would): declared sizes that lie or are huge, zero bombs behind small headers, hostile
 * names (../, absolute, NUL, 60 KB long, backslashes, duplicates, a local header naming another
 * file), dropped entries; and raw patches of the central directory's fields.
 */
import { writeZip, type TestZipEntry } from "@/test/zip/write-zip";
import type { Rng } from "./harness";

/** Deflated zeros made once per run (see test/zip/zero-bomb.ts). */
export interface Bomb {
  data: Uint8Array;
  size: number;
  crc: number;
}

const HOSTILE_NAMES = [
  (n: string) => `../${n}`,
  (n: string) => `../../../../${n}`,
  (n: string) => `/${n}`,
  (n: string) => `C:\\${n.replace(/\//g, "\\")}`,
  (n: string) => `${n}\u0000.txt`,
  (n: string) => `${"d/".repeat(20_000)}${n}`,
  (n: string) => n.toUpperCase(),
  (n: string) => `${n}/`,
  (n: string) => `\u202e${n}`,
];

const SIZES = [0, 1, 1000, 2 ** 31 - 1, 2 ** 32 - 1, 129 * 1024 * 1024, 40 * 1024 * 1024];

/** A ZIP made from `entries` with one ZIP-level mutation, and its label. */
export function mutateZip(entries: readonly TestZipEntry[], rng: Rng, bomb: Bomb): { label: string; zip: Uint8Array } {
  const list = entries.map((e) => ({ ...e }));
  const i = rng.int(list.length);
  const e = list[i];
  const name = typeof e.name === "string" ? e.name : "?";
  const how = rng.int(8);
  let label: string;
  if (how === 0) {
    const size = rng.chance(0.5) ? rng.pick(SIZES) : Math.max(0, realSize(e) + rng.int(21) - 10);
    list[i] = { ...e, declaredSize: size };
    label = `declared size of ${name} = ${size}`;
  } else if (how === 1) {
    // A zero bomb behind a header that declares its real size, or a small lie.
    const declared = rng.chance(0.5) ? bomb.size : rng.pick([10, 1000, realSize(e)]);
    list[i] = { name: e.name, deflated: bomb, declaredSize: declared };
    label = `${name} replaced by ${bomb.size} zeros declared as ${declared}`;
  } else if (how === 2) {
    const rename = rng.pick(HOSTILE_NAMES);
    list[i] = { ...e, name: rename(name) };
    label = `${name} renamed hostile`;
  } else if (how === 3) {
    const dup = list[rng.int(list.length)];
    list.splice(rng.int(list.length + 1), 0, { ...dup, content: rng.chance(0.5) ? dup.content : new Uint8Array(3) });
    label = `duplicate ${typeof dup.name === "string" ? dup.name : "?"}`;
  } else if (how === 4) {
    list[i] = { ...e, localName: rng.chance(0.5) ? `${name}x` : list[(i + 1) % list.length].name };
    label = `local header of ${name} names another file`;
  } else if (how === 5) {
    list.splice(i, 1);
    label = `${name} dropped`;
  } else if (how === 6) {
    list[i] = { ...e, crc: rng.int(2 ** 32) };
    label = `CRC of ${name} changed`;
  } else {
    return { label: "central directory field patched", zip: patchCentral(writeZip(list), rng) };
  }
  return { label, zip: writeZip(list) };
}

const realSize = (e: TestZipEntry) => e.deflated?.size ?? e.content?.length ?? 0;

/** A random central-directory field (method, sizes, name/extra lengths, offset) set to a random value. */
function patchCentral(zip: Uint8Array, rng: Rng): Uint8Array {
  const dv = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const starts: number[] = [];
  for (let p = 0; p + 46 <= zip.length; p++) if (dv.getUint32(p, true) === 0x02014b50) starts.push(p);
  if (!starts.length) return zip;
  const p = rng.pick(starts);
  const field = rng.pick([
    [8, 2],
    [10, 2],
    [20, 4],
    [24, 4],
    [28, 2],
    [30, 2],
    [32, 2],
    [42, 4],
  ] as const);
  const value = rng.pick([0, 1, 0xffff, 0xffffffff, rng.int(2 ** 32)]);
  if (field[1] === 2) dv.setUint16(p + field[0], value & 0xffff, true);
  else dv.setUint32(p + field[0], value >>> 0, true);
  return zip;
}
