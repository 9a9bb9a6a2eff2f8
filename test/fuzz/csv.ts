/**
 * Fuzz kind "csv": real-shaped candle CSVs (Binance dump rows without header, the API capture
 * with header, µs times, OHLCV with ISO dates; see files-fixtures.ts) under Binance dump names or
 * none, mutated at the byte, line and cell level (bit flips, truncation, splices, junk cells,
 * other time units, huge lines, binary junk, UTF-16, other line ends, hostile names), imported
 * through the collect API and checked by files-harness.ts.
 */
import { candleCsv, HOUR_MS, type FixtureLayout } from "./files-fixtures";
import { fileFuzzKind, type FileCase } from "./files-harness";
import type { Rng } from "./harness";
import { concat } from "./mutate-bytes";

const LAYOUTS: FixtureLayout[] = ["binance", "binance-header", "binance-us", "ohlcv-iso"];
const NAMES = [
  "BTCUSDT-1h-2023-03.csv",
  "ETHUSDT-1h-2023-03-05.csv",
  "BTCUSDT-4h-2023-03.csv",
  "SOLUSDT-15m-2023-03.csv",
  "export.csv",
  "candles.txt",
];
const HOSTILE_NAMES = [
  "../../BTCUSDT-1h-2023-03.csv",
  "/etc/BTCUSDT-1h-2023-03.csv",
  "C:\\Users\\x\\BTCUSDT-1h-2023-03.csv",
  "BTCUSDT-1h-2023-03\u0000.csv",
  `${"x".repeat(3000)}.csv`,
  "\u202eBTCUSDT-1h-2023-03.csv",
  "__proto__",
];
const JUNK_CELLS = [
  "",
  " ",
  "NaN",
  "Infinity",
  "-Infinity",
  "-1",
  "-0",
  "1e309",
  "1e-320",
  "0x1A",
  "abc",
  "9".repeat(40),
  "9".repeat(3000),
  "1".padEnd(2000, ".5"),
  "\u0000",
  "١٢٣",
  '"',
  '""',
  '"1,2"',
  "null",
  "undefined",
  "[object Object]",
  "2023-02-30",
  "2023-13-01 00:00:00",
  "0",
  "99999999999999999999",
];

const enc = new TextEncoder();

function utf16(text: string, littleEndian: boolean, bom: boolean): Uint8Array {
  const out = new Uint8Array((text.length + (bom ? 1 : 0)) * 2);
  const dv = new DataView(out.buffer);
  let at = 0;
  if (bom) dv.setUint16((at += 2) - 2, 0xfeff, littleEndian);
  for (let i = 0; i < text.length; i++, at += 2) dv.setUint16(at, text.charCodeAt(i), littleEndian);
  return out;
}

/** A text mutation at the line or cell level, and its label. */
function mutateText(text: string, rng: Rng): [string, string] {
  const lines = text.split("\n");
  const li = rng.int(lines.length);
  const how = rng.int(11);
  if (how === 0) {
    const cells = lines[li].split(",");
    const ci = rng.int(cells.length);
    const junk = rng.pick(JUNK_CELLS);
    cells[ci] = junk;
    lines[li] = cells.join(",");
    return [lines.join("\n"), `line ${li + 1} cell ${ci} = ${JSON.stringify(junk).slice(0, 30)}`];
  }
  if (how === 1) {
    // Other time units or dates: ×1000 (µs as ms), ×1e6 (ns), ÷1000 (s), off by 1 ms, far off.
    const f = rng.pick(["*1000", "*1e6", "/1000", "+1", "-1", "*100", "+1e13"] as const);
    const out = lines.map((line) =>
      line.replace(/^(\d{10,})(?=,)/, (t) => {
        const v = Number(t);
        const r =
          f === "*1000"
            ? v * 1000
            : f === "*1e6"
              ? v * 1e6
              : f === "/1000"
                ? v / 1000
                : f === "+1"
                  ? v + 1
                  : f === "-1"
                    ? v - 1
                    : f === "*100"
                      ? v * 100
                      : v + 1e13;
        return BigInt(Math.round(r)).toString();
      }),
    );
    return [out.join("\n"), `times ${f}`];
  }
  if (how === 2) {
    const n = 1 + rng.int(5);
    const out = lines.slice();
    for (let k = 0; k < n; k++) {
      const a = rng.int(out.length);
      const op = rng.int(3);
      if (op === 0) out.splice(a, 1);
      else if (op === 1) out.splice(a, 0, out[rng.int(out.length)] ?? "");
      else [out[a], out[(a + 1) % out.length]] = [out[(a + 1) % out.length], out[a]];
    }
    return [out.join("\n"), `${n} line(s) deleted/duplicated/swapped`];
  }
  if (how === 3) {
    const len = rng.pick([4097, 5000, 70_000, 300_000]);
    const filler = rng.chance(0.5) ? "9" : "1,";
    lines.splice(li, 0, filler.repeat(Math.ceil(len / filler.length)).slice(0, len));
    return [lines.join("\n"), `a ${len}-character line at ${li + 1}`];
  }
  if (how === 4) {
    const sep = rng.pick([";", "\t", "|", " "]);
    return [text.replace(/,/g, sep), `separator ${JSON.stringify(sep)}`];
  }
  if (how === 5) {
    const drop = 1 + rng.int(8);
    const out = lines.map((l) => (rng.chance(0.7) ? l.split(",").slice(0, -drop).join(",") : l));
    return [out.join("\n"), `last ${drop} column(s) dropped`];
  }
  if (how === 6) {
    const out = lines.map((l) => (l ? `${l},${rng.int(1000)}` : l));
    return [out.join("\n"), "a column added"];
  }
  if (how === 7) {
    const eol = rng.pick(["\r\n", "\r", "\n\n", "\u2028"]);
    return [lines.join(eol), `line ends ${JSON.stringify(eol)}`];
  }
  if (how === 8) {
    const head = lines[0].split(",");
    head[rng.int(head.length)] = rng.pick(["", "Open time", "open", "timestamp", "Öffnen", "time,time"]);
    lines[0] = head.join(",");
    return [lines.join("\n"), "header cell renamed"];
  }
  if (how === 9) {
    return [rng.pick(["", "\n\n\n", " \n", lines[0], `${lines[0]}\n`, "\uFEFF"]), "empty or header only"];
  }
  // Intervals mixed: every other step doubled.
  const out = lines.map((line, i) => (i % 2 ? "" : line)).filter(Boolean);
  return [out.join("\n"), "every other row removed"];
}

/** A byte mutation, and its label. */
function mutateBytes(bytes: Uint8Array, rng: Rng): [Uint8Array, string] {
  const how = rng.int(6);
  if (how === 0) {
    const out = bytes.slice();
    const n = 1 + rng.int(8);
    for (let k = 0; k < n && out.length; k++) out[rng.int(out.length)] ^= 1 << rng.int(8);
    return [out, `${n} bit flip(s)`];
  }
  if (how === 1) return [bytes.slice(0, rng.int(bytes.length + 1)), "truncated"];
  if (how === 2) {
    const out = bytes.slice();
    const at = rng.int(out.length + 1);
    for (let i = at; i < Math.min(out.length, at + 1 + rng.int(64)); i++) out[i] = rng.int(256);
    return [out, "random bytes over a range"];
  }
  if (how === 3) {
    const junk = Uint8Array.from({ length: 1 + rng.int(5000) }, () => rng.int(256));
    return [rng.chance(0.5) ? junk : concat(bytes, junk), "binary junk"];
  }
  if (how === 4) {
    const text = new TextDecoder().decode(bytes);
    const le = rng.chance(0.5);
    const bom = rng.chance(0.5);
    return [utf16(text, le, bom), `UTF-16${le ? "LE" : "BE"}${bom ? " with BOM" : ""}`];
  }
  const out = bytes.slice();
  for (let k = 0; k < 1 + rng.int(20); k++) out[rng.int(out.length || 1)] = 0;
  return [out, "NUL bytes"];
}

/** One CSV case: a real-shaped file under a name, with one to three mutations (sometimes none). */
export function csvCase(rng: Rng): FileCase {
  const layout = rng.pick(LAYOUTS);
  const name = rng.chance(0.1) ? rng.pick(HOSTILE_NAMES) : rng.pick(NAMES);
  const stepMs = name.includes("-4h-") ? 4 * HOUR_MS : name.includes("-15m-") ? 900_000 : HOUR_MS;
  let text = candleCsv(1 + rng.int(300), layout, { seed: 1 + rng.int(1000), stepMs, start: Date.UTC(2023, 2, 1) });
  const labels = [`${layout} as ${JSON.stringify(name).slice(0, 40)}`];
  const n = rng.chance(0.1) ? 0 : 1 + rng.int(3);
  let bytes: Uint8Array | null = null;
  for (let k = 0; k < n; k++) {
    if (bytes === null && rng.chance(0.6)) {
      const [t, label] = mutateText(text, rng);
      text = t;
      labels.push(label);
    } else {
      const [b, label] = mutateBytes(bytes ?? enc.encode(text), rng);
      bytes = b;
      labels.push(label);
    }
  }
  const symbol = rng.chance(0.3) ? rng.pick(["BTCUSDT", "ethusdt", " ", "X"]) : undefined;
  if (symbol) labels.push(`form symbol ${JSON.stringify(symbol)}`);
  return { mutation: labels.join("; "), files: [{ name, data: bytes ?? enc.encode(text) }], symbol };
}

/** Fuzz kind "csv" (run by `npm run fuzz`). */
export const csvFuzz = fileFuzzKind("csv", async () => csvCase);
