/**
 * Peak memory of importing one large candle file (issue 17 item 4: a real 159 MB CSV took
 * 0.8 GB). Not a test: a measurement to run by hand, in two steps so that generating the file
 * does not count:
 *
 *   npx tsx test/fuzz/files-memory.ts write /tmp/big.csv 1500000 [zip]
 *   node --expose-gc --import tsx test/fuzz/files-memory.ts measure /tmp/big.csv
 *
 * `measure` prints one JSON line: the file's size, the rows read, the peak resident memory
 * before the import (the file's bytes are loaded by then) and during it (getrusage's maxRSS).
 */
import { closeSync, openSync, readFileSync, writeSync, writeFileSync, statSync } from "node:fs";
import path from "node:path";
import { importCandleFiles } from "../../lib/sources/files";
import { BINANCE_HEADER, klineRows, zipOf } from "./files-fixtures";

const MB = 1024 * 1024;
const maxRssMb = () => process.resourceUsage().maxRSS / 1024;

function write(file: string, rows: number, zip: boolean): void {
  // A 1m series: 1.5M rows is ~2.9 years, the size of the real file that took 0.8 GB.
  const gen = klineRows(rows, "binance", { stepMs: 60_000, start: Date.UTC(2021, 0, 1) });
  if (zip) {
    const lines = [BINANCE_HEADER];
    for (const r of gen) lines.push(r);
    writeFileSync(file, zipOf({ [path.basename(file).replace(/\.zip$/i, ".csv")]: lines.join("\n") + "\n" }));
  } else {
    const fd = openSync(file, "w");
    let buf: string[] = [];
    for (const r of gen) {
      buf.push(r);
      if (buf.length === 10_000) {
        writeSync(fd, buf.join("\n") + "\n");
        buf = [];
      }
    }
    if (buf.length) writeSync(fd, buf.join("\n") + "\n");
    closeSync(fd);
  }
  console.log(JSON.stringify({ wrote: file, rows, mb: +(statSync(file).size / MB).toFixed(1) }));
}

function measure(file: string): void {
  const data: Uint8Array = readFileSync(file); // a Buffer is a Uint8Array: no second copy
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = maxRssMb();
  const t0 = Date.now();
  const r = importCandleFiles([{ name: path.basename(file), data }]);
  const seconds = (Date.now() - t0) / 1000;
  const peak = maxRssMb();
  console.log(
    JSON.stringify({
      file: path.basename(file),
      file_mb: +(data.length / MB).toFixed(1),
      rows: r.rowsRead,
      rss_before_mb: Math.round(before),
      peak_rss_mb: Math.round(peak),
      import_added_mb: Math.round(peak - before),
      seconds,
      gc_exposed: Boolean(gc),
    }),
  );
}

const [mode, file, arg, arg2] = process.argv.slice(2);
if (mode === "write") write(file, Number(arg ?? 1_500_000), arg2 === "zip");
else if (mode === "measure") measure(file);
else {
  console.error("usage: files-memory.ts write FILE ROWS [zip] | measure FILE");
  process.exit(2);
}
