/**
 * `npm run fuzz [-- KIND... --cases N --seed S --case I]`: runs each kind (default: all in
 * kinds.ts, 1,000 cases, seed 17) and prints one JSON line per kind,
 * {"fuzz", "cases", "uncaught", "max_rss_mb", ...}; failures go to stderr with the case index
 * and mutation to replay them. Exits 1 when any case was uncaught or memory passed the bound.
 */
import "fake-indexeddb/auto";
import { MAX_RSS_MB, runFuzz } from "./harness";
import { FUZZ_KINDS } from "./kinds";

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const valued = new Set(["--cases", "--seed", "--case"]);
  const kinds = process.argv.slice(2).filter((a, i, all) => !a.startsWith("--") && !valued.has(all[i - 1]));
  const names = kinds.length ? kinds : Object.keys(FUZZ_KINDS);
  const cases = Number(arg("cases") ?? 1000);
  const seed = Number(arg("seed") ?? 17);
  const only = arg("case") === undefined ? undefined : Number(arg("case"));
  let failed = false;
  for (const name of names) {
    const load = FUZZ_KINDS[name];
    if (!load) throw new Error(`unknown fuzz kind "${name}" (known: ${Object.keys(FUZZ_KINDS).join(", ")})`);
    const { failures, ...report } = await runFuzz(await load(), { cases, seed, only });
    console.log(JSON.stringify(report));
    for (const f of failures) console.error(`${name} case ${f.caseIndex} (${f.mutation}): ${f.error}`);
    if (report.uncaught > 0 || report.max_rss_mb > MAX_RSS_MB) failed = true;
  }
  process.exit(failed ? 1 : 0);
}

void main();
