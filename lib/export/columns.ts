/**
 * A table as named columns of equal length, written as CSV or as .npz (one .npy array per
 * column, same names), so both files of a download hold exactly the same values. Missing values:
 * NaN in float columns, `missing` in integer columns; both are empty cells in the CSV.
 */
import { npzByteLength, writeNpz, type NpzEntry } from "./npz";

export type TableColumn =
  | { name: string; kind: "text"; values: readonly string[] }
  /** UTC ms: CSV ISO 8601, npz datetime64[ms]. */
  | { name: string; kind: "time"; values: Float64Array }
  /** Whole numbers held as doubles (e.g. UTC ms): CSV integer, npz int64. */
  | { name: string; kind: "int64"; values: Float64Array }
  | { name: string; kind: "int"; values: Int8Array | Uint8Array | Int32Array; missing?: number }
  | { name: string; kind: "float"; values: Float32Array | Float64Array };

/** Rows of a table (every column's length); throws when columns differ in length or repeat a name. */
export function tableRows(columns: readonly TableColumn[]): number {
  const n = columns[0]?.values.length ?? 0;
  const names = new Set<string>();
  for (const c of columns) {
    if (c.values.length !== n) throw new Error(`column ${c.name} has ${c.values.length} rows, expected ${n}`);
    if (names.has(c.name)) throw new Error(`column ${c.name} appears twice`);
    names.add(c.name);
  }
  return n;
}

const quoted = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

function cell(c: TableColumn, i: number): string {
  switch (c.kind) {
    case "text":
      return quoted(c.values[i]);
    case "time":
      return new Date(c.values[i]).toISOString();
    case "int64":
      return String(c.values[i]);
    case "int":
      return c.values[i] === c.missing ? "" : String(c.values[i]);
    case "float": {
      const v = c.values[i];
      // The exact value as a double, float32 columns too (e.g. 0.2871234118938446, not 0.287123412):
      // figures recomputed from the text then equal the studio's to the last bit, with no rounding
      // to know about (a 9-digit float32 print moved a backtest's total return by 3e-11).
      return Number.isFinite(v) ? String(v) : "";
    }
  }
}

/**
 * The table as CSV: a header of column names, then one line per row. Every number reads back as
 * exactly the value held (shortest round-trip text). Yields rowsPerChunk lines at a time (the
 * header first).
 */
export function* tableCsvChunks(columns: readonly TableColumn[], rowsPerChunk = 2000): Generator<string> {
  const n = tableRows(columns);
  yield columns.map((c) => quoted(c.name)).join(",") + "\n";
  for (let start = 0; start < n; start += rowsPerChunk) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(n, start + rowsPerChunk); i++)
      lines.push(columns.map((c) => cell(c, i)).join(","));
    yield lines.join("\n") + "\n";
  }
}

/** The whole CSV as one string. */
export function tableCsv(columns: readonly TableColumn[]): string {
  return Array.from(tableCsvChunks(columns)).join("");
}

const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

function int64Bytes(values: Float64Array): Uint8Array {
  const out = new BigInt64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = BigInt(Math.round(values[i]));
  return bytesOf(out);
}

/** Fixed-width NumPy unicode ("<U n"): UTF-32LE code points, zero-padded (np.load needs no pickle). */
function unicodeEntry(name: string, values: readonly string[]): NpzEntry {
  const points = values.map((s) => Array.from(s, (ch) => ch.codePointAt(0)!));
  let width = 1;
  for (const p of points) width = Math.max(width, p.length);
  return {
    name,
    descr: `<U${width}`,
    shape: [values.length],
    dataBytes: values.length * width * 4,
    *data() {
      const out = new Uint32Array(values.length * width);
      points.forEach((p, i) => out.set(p, i * width));
      yield bytesOf(out);
    },
  };
}

function npzEntry(c: TableColumn): NpzEntry {
  const n = c.values.length;
  const plain = (descr: string, bytes: () => Uint8Array, itemBytes: number): NpzEntry => ({
    name: c.name,
    descr,
    shape: [n],
    dataBytes: n * itemBytes,
    *data() {
      yield bytes();
    },
  });
  switch (c.kind) {
    case "text":
      return unicodeEntry(c.name, c.values);
    case "time":
      return plain("<M8[ms]", () => int64Bytes(c.values), 8);
    case "int64":
      return plain("<i8", () => int64Bytes(c.values), 8);
    case "int": {
      const v = c.values;
      const descr = v instanceof Int8Array ? "|i1" : v instanceof Uint8Array ? "|u1" : "<i4";
      return plain(descr, () => bytesOf(v), v.BYTES_PER_ELEMENT);
    }
    case "float": {
      const v = c.values;
      return plain(v instanceof Float32Array ? "<f4" : "<f8", () => bytesOf(v), v.BYTES_PER_ELEMENT);
    }
  }
}

/** The table as a streamed .npz: one 1-D array per column, named like the CSV's header. */
export function tableNpz(columns: readonly TableColumn[]): { bytes: number; chunks: AsyncIterable<Uint8Array> } {
  tableRows(columns);
  const entries = columns.map(npzEntry);
  return { bytes: npzByteLength(entries), chunks: writeNpz(entries) };
}

/** The whole .npz in one buffer (tables of a run's samples are a few MB at most). */
export async function tableNpzBytes(columns: readonly TableColumn[]): Promise<Uint8Array> {
  const { bytes, chunks } = tableNpz(columns);
  const out = new Uint8Array(bytes);
  let at = 0;
  for await (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  if (at !== bytes) throw new Error(`npz size ${at} differs from the declared ${bytes}`);
  return out;
}
