/**
 * Runs the CSV and ZIP fuzz kinds at full size and prints one JSON line per kind,
 * {"fuzz":"csv"|"zip","cases":N,"uncaught":0,"max_rss_mb":M,...}, then issue 17's 600 MB CSV in
 * a small ZIP as kind "zip-600mb-csv" (one case); uncaught cases go to stderr with their index
 * and mutation. Exits 1 when any case was uncaught.
 *
 *   npx tsx test/fuzz/files-run.ts [csv|zip|zip-600mb-csv ...] [--cases 1000] [--seed 17]
 */
import { fuzzCsv } from "./csv";
import { fuzzZip, fuzzZip600MbCsv } from "./zip";
import type { FileFuzzFailure, FileFuzzReport } from "./files-harness";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const KINDS: Record<
  string,
  (cases: number, seed: number, onFailure: (f: FileFuzzFailure) => void) => Promise<FileFuzzReport>
> = {
  csv: fuzzCsv,
  zip: fuzzZip,
  "zip-600mb-csv": (_cases, _seed, onFailure) => fuzzZip600MbCsv(onFailure),
};

async function main(): Promise<void> {
  const valued = new Set(["--cases", "--seed"]);
  const named = process.argv.slice(2).filter((a, i, all) => !a.startsWith("--") && !valued.has(all[i - 1]));
  const cases = Number(arg("cases") ?? 1000);
  const seed = Number(arg("seed") ?? 17);
  let failed = false;
  for (const name of named.length ? named : Object.keys(KINDS)) {
    const run = KINDS[name];
    if (!run) throw new Error(`unknown kind "${name}" (known: ${Object.keys(KINDS).join(", ")})`);
    const report = await run(cases, seed, (f) =>
      console.error(`${name} case ${f.caseIndex} (${f.mutation}): ${f.error}`),
    );
    console.log(JSON.stringify(report));
    if (report.uncaught > 0) failed = true;
  }
  process.exit(failed ? 1 : 0);
}

void main();
