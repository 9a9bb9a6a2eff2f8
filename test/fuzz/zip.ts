/**
 * Fuzz kind "zip": real-shaped Binance dump archives (one to three monthly CSV entries, deflated
 * or stored, with or without data descriptors; see files-fixtures.ts) mutated at the byte level
 * (bit flips, truncation, splices), in their header fields (sizes that lie or are huge, methods,
 * flags, name lengths, offsets, entry counts, in local and central headers and the end record),
 * in their entry names (../, absolute, NUL, very long, duplicates, other pairs and intervals),
 * or swapped for small archives that inflate to 40 MB (zeros, one endless line, blank lines),
 * imported through the collect API and checked by files-harness.ts.
 */
import { Zip, ZipDeflate, ZipPassThrough, strToU8, zipSync } from "fflate";
import { csvCase } from "./csv";
import { concat } from "./mutate-bytes";
import { candleCsv, dumpName, HOUR_MS, repeatedCsvZip, type FixtureLayout } from "./files-fixtures";
import { fileFuzzKind, type FileCase } from "./files-harness";
import type { Rng } from "./harness";

const LAYOUTS: FixtureLayout[] = ["binance", "binance-header", "binance-us", "ohlcv-iso"];
const SYMBOLS = ["BTCUSDT", "BTCUSDT", "BTCUSDT", "ETHUSDT"];
const INTERVALS = ["1h", "1h", "1h", "4h"];
const HOSTILE = [
  (n: string) => `../${n}`,
  (n: string) => `../../../../${n}`,
  (n: string) => `/${n}`,
  (n: string) => `C:\\data\\${n}`,
  (n: string) => `${n}\u0000.csv`,
  (n: string) => `a\u0000/${n}`,
  (n: string) => `${"d/".repeat(20_000)}${n}`,
  (n: string) => `${"x".repeat(3000)}${n}`,
  (n: string) => n.toUpperCase(),
  (n: string) => `${n}/`,
  (n: string) => `\u202e${n}`,
  (n: string) => `__MACOSX/${n}`,
  () => "__proto__.csv",
];
const SIZES = [0, 1, 29, 1000, 2 ** 16, 2 ** 31 - 1, 2 ** 32 - 1, 40 * 1024 * 1024];

/** Small archives that inflate to 40 MB, made once per run (see repeatedCsvZip). */
interface Bombs {
  zeros: Uint8Array;
  endlessLine: Uint8Array;
  blankLines: Uint8Array;
}

async function makeBombs(): Promise<Bombs> {
  const size = 40 * 1024 * 1024;
  const name = "BTCUSDT-1h-2023-03.csv";
  return {
    zeros: await repeatedCsvZip(name, new Uint8Array(1 << 16), size),
    endlessLine: await repeatedCsvZip(name, new Uint8Array(1 << 16).fill(0x39), size),
    blankLines: await repeatedCsvZip(name, new Uint8Array(1 << 16).fill(0x0a), size),
  };
}

interface Entry {
  name: string;
  data: Uint8Array;
}

/** A ZIP of `entries`: fflate's zipSync (sizes in headers), or its streaming Zip (data descriptors). */
function writeZip(entries: Entry[], rng: Rng): Uint8Array {
  if (rng.chance(0.5) && new Set(entries.map((e) => e.name)).size === entries.length) {
    const files: Record<string, Uint8Array> = {};
    for (const e of entries) files[e.name] = e.data;
    return zipSync(files, { level: rng.pick([0, 6]) });
  }
  const parts: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    parts.push(chunk);
  });
  for (const e of entries) {
    const file = rng.chance(0.2) ? new ZipPassThrough(e.name) : new ZipDeflate(e.name, { level: 6 });
    zip.add(file);
    file.push(e.data, true);
  }
  zip.end();
  return concat(...parts);
}

/** Offsets of each 4-byte little-endian signature `sig` in `bytes`. */
function find(bytes: Uint8Array, sig: number): number[] {
  const at: number[] = [];
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let p = 0; p + 4 <= bytes.length; p++) if (dv.getUint32(p, true) === sig) at.push(p);
  return at;
}

/** A header field (local, data descriptor, central or end record) set to a value that lies. */
function patchField(zip: Uint8Array, rng: Rng): [Uint8Array, string] {
  const out = zip.slice();
  const dv = new DataView(out.buffer);
  const kinds: { sig: number; name: string; fields: [number, number][] }[] = [
    {
      sig: 0x04034b50,
      name: "local",
      fields: [
        [6, 2],
        [8, 2],
        [14, 4],
        [18, 4],
        [22, 4],
        [26, 2],
        [28, 2],
      ],
    },
    {
      sig: 0x08074b50,
      name: "descriptor",
      fields: [
        [4, 4],
        [8, 4],
        [12, 4],
      ],
    },
    {
      sig: 0x02014b50,
      name: "central",
      fields: [
        [8, 2],
        [10, 2],
        [20, 4],
        [24, 4],
        [28, 2],
        [30, 2],
        [42, 4],
      ],
    },
    {
      sig: 0x06054b50,
      name: "end",
      fields: [
        [8, 2],
        [10, 2],
        [12, 4],
        [16, 4],
        [20, 2],
      ],
    },
  ] as const;
  // Local headers twice as often: streaming readers trust them (their sizes decide where the next entry starts).
  const kind = rng.pick([kinds[0], ...kinds]);
  const starts = find(out, kind.sig);
  if (!starts.length) return [out, `no ${kind.name} header to patch`];
  const p = rng.pick(starts);
  // The size fields twice as often as the others (a size that lies is the classic attack).
  const sizeFields = kind.fields.filter(([, w]) => w === 4);
  const [off, width] = rng.pick([...kind.fields, ...sizeFields]);
  if (p + off + width > out.length) return [out, `${kind.name} header cut short`];
  const old = width === 2 ? dv.getUint16(p + off, true) : dv.getUint32(p + off, true);
  const value = rng.chance(0.5) ? rng.pick(SIZES) : Math.max(0, old + rng.int(21) - 10);
  if (width === 2) dv.setUint16(p + off, value & 0xffff, true);
  else dv.setUint32(p + off, value >>> 0, true);
  return [out, `${kind.name}+${off} ${old} -> ${value >>> 0}`];
}

function mutateBytes(zip: Uint8Array, rng: Rng): [Uint8Array, string] {
  const how = rng.int(3);
  if (how === 0) {
    const out = zip.slice();
    const n = 1 + rng.int(8);
    for (let k = 0; k < n; k++) out[rng.int(out.length)] ^= 1 << rng.int(8);
    return [out, `${n} bit flip(s)`];
  }
  if (how === 1) {
    const keep = rng.chance(0.5) ? rng.int(zip.length) : zip.length - 1 - rng.int(Math.min(zip.length, 200));
    return [zip.slice(0, Math.max(0, keep)), `truncated to ${keep}`];
  }
  const at = rng.int(zip.length);
  const len = 1 + rng.int(64);
  const out = rng.chance(0.5)
    ? concat(zip.subarray(0, at), zip.subarray(at + len))
    : concat(zip.subarray(0, at + len), zip.subarray(at, at + len), zip.subarray(at + len));
  return [out, `${len} bytes cut or doubled at ${at}`];
}

/** One ZIP case: a dump archive under a name, with one mutation (sometimes none). */
function zipCase(rng: Rng, bombs: Bombs): FileCase {
  const symbol = rng.pick(SYMBOLS);
  const interval = rng.pick(INTERVALS);
  const months = 1 + rng.int(3);
  const entries: Entry[] = [];
  for (let m = 0; m < months; m++) {
    const s = rng.chance(0.15) ? rng.pick(SYMBOLS) : symbol;
    const iv = rng.chance(0.15) ? rng.pick(INTERVALS) : interval;
    const stepMs = iv === "4h" ? 4 * HOUR_MS : HOUR_MS;
    const rows = 1 + rng.int(200);
    const text = candleCsv(rows, rng.pick(LAYOUTS), { start: Date.UTC(2023, m, 1), stepMs, seed: rng.int(1000) });
    entries.push({ name: dumpName(s, iv, m + 1), data: strToU8(text) });
  }
  if (rng.chance(0.2))
    entries.push({ name: rng.pick(["README.txt", "BTCUSDT-1h-2023-01.csv.CHECKSUM", "dir/"]), data: strToU8("x") });
  const zipName = rng.pick([
    dumpName(symbol, interval, 1, "zip"),
    `${symbol}-${interval}-2023.zip`,
    "klines.zip",
    "download (1).zip",
  ]);
  const labels = [`${entries.map((e) => e.name).join("+")} in ${zipName}`];
  const how = rng.int(12);
  let zip: Uint8Array;
  if (how === 0) {
    const e = rng.pick(entries);
    const rename = rng.pick(HOSTILE);
    e.name = rename(e.name);
    labels.push(`hostile name ${JSON.stringify(e.name.slice(0, 40))}`);
    zip = writeZip(entries, rng);
  } else if (how === 1) {
    entries.push({ ...rng.pick(entries) });
    labels.push("an entry twice");
    zip = writeZip(entries, rng);
  } else if (how === 2) {
    const which = rng.pick(["zeros", "endlessLine", "blankLines"] as const);
    labels.push(`40 MB of ${which}`);
    zip = bombs[which];
  } else if (how === 3) {
    // A mutated CSV case inside the archive.
    const inner = csvCase(rng);
    entries[rng.int(entries.length)].data = inner.files[0].data;
    labels.push(`entry mutated: ${inner.mutation}`);
    zip = writeZip(entries, rng);
  } else if (how <= 8) {
    const [out, label] = patchField(writeZip(entries, rng), rng);
    labels.push(label);
    zip = out;
  } else if (how <= 10) {
    const [out, label] = mutateBytes(writeZip(entries, rng), rng);
    labels.push(label);
    zip = out;
  } else {
    zip = writeZip(entries, rng);
  }
  const form = rng.chance(0.2) ? rng.pick(["BTCUSDT", "ETHUSDT"]) : undefined;
  if (form) labels.push(`form symbol ${form}`);
  return { mutation: labels.join("; "), files: [{ name: zipName, data: zip }], symbol: form };
}

/** Fuzz kind "zip" (run by `npm run fuzz`). */
export const zipFuzz = fileFuzzKind("zip", async () => {
  const bombs = await makeBombs();
  return (rng) => zipCase(rng, bombs);
});

/**
 * Issue 17 item 4's input at full size, through the same checks: a small ZIP holding a 600 MB
 * CSV (one real-shaped row repeated) must be refused by archive and entry name, in bounded memory.
 */
export const zip600MbCsvFuzz = fileFuzzKind(
  "zip-600mb-csv",
  async () => {
    const row = strToU8(candleCsv(1, "binance"));
    const block = new Uint8Array(row.length * 8000).map((_, i) => row[i % row.length]);
    const data = await repeatedCsvZip("BTCUSDT-1h-2023-01.csv", block, 600e6);
    const bomb: FileCase = {
      mutation: "600 MB CSV in a small ZIP",
      files: [{ name: "BTCUSDT-1h-2023-01.zip", data }],
    };
    return () => bomb;
  },
  { maxCases: 1 },
);
