/**
 * The fuzz harness: one runner for every kind of input (bundle, share link, CSV, ZIP of CSVs),
 * each a module of its own. A kind prepares real inputs once, then makes each case's
 * mutated input from a generator seeded by (seed, case index), so any failing case is replayed
 * alone with `--seed S --case I`. A case fails ("uncaught") when feeding it throws anything
 * other than the kind's own clear rejection (see clear.ts), or when the kind's own checks after
 * it fail (e.g. a rejected bundle that wrote to IndexedDB).
 */
import { mulberry32 } from "@/lib/core/random";

/** A seeded source of chance for one case. */
export interface Rng {
  /** Float in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export function rngFor(seed: number, caseIndex: number): Rng {
  const next = mulberry32((Math.imul(seed, 0x9e3779b1) ^ Math.imul(caseIndex + 1, 0x85ebca6b)) >>> 0);
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, chance: (p) => next() < p, pick: (items) => items[int(items.length)] };
}

/** What one case fed: the mutation's label (for replaying a failure) and the input. */
export interface FuzzCase<I> {
  mutation: string;
  input: I;
}

/** A kind ready to run: makes cases, and feeds them to the code under test. */
export interface FuzzTarget<I> {
  next(rng: Rng): FuzzCase<I>;
  /**
   * Feeds one input. Resolves "accepted" or "rejected" (a clear rejection); throws on anything
   * else: an error that is not the code's own clear rejection, or a broken promise (a write).
   */
  feed(input: I): Promise<"accepted" | "rejected">;
}

export interface FuzzKind<I = unknown> {
  name: string;
  /** At most this many cases per run (a kind with one fixed, costly input: 1). */
  maxCases?: number;
  /** Builds the real inputs the cases mutate (once per run). */
  prepare(): Promise<FuzzTarget<I>>;
}

export interface FuzzFailure {
  caseIndex: number;
  mutation: string;
  error: string;
}

export interface FuzzReport {
  fuzz: string;
  cases: number;
  uncaught: number;
  /** Peak resident memory of the whole process so far (MB). */
  max_rss_mb: number;
  seed: number;
  accepted: number;
  rejected: number;
  /** Slowest case (ms) and its mutation. */
  slowest_ms: number;
  slowest: string;
  failures: FuzzFailure[];
}

/**
 * Peak memory allowed for a run (MB). A 1,000-case run of both kinds peaks at ~250 MB (tfjs, the
 * corpora, fake-indexeddb); one zip bomb inflated would take GBs (issue 17: 2 GB).
 */
export const MAX_RSS_MB = 1024;

export function maxRssMb(): number {
  // resourceUsage().maxRSS is in kilobytes.
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

/** Runs `cases` cases of `kind` (or only case `only`), counting accepted, rejected and uncaught. */
export async function runFuzz(
  kind: FuzzKind,
  opts: { cases: number; seed: number; only?: number },
): Promise<FuzzReport> {
  const target = await kind.prepare();
  const report: FuzzReport = {
    fuzz: kind.name,
    cases: 0,
    uncaught: 0,
    max_rss_mb: 0,
    seed: opts.seed,
    accepted: 0,
    rejected: 0,
    slowest_ms: 0,
    slowest: "",
    failures: [],
  };
  const cases = Math.min(opts.cases, kind.maxCases ?? Infinity);
  const indices = opts.only === undefined ? Array.from({ length: cases }, (_, i) => i) : [opts.only];
  for (const i of indices) {
    let c: FuzzCase<unknown> = { mutation: "(not made)", input: undefined };
    const t0 = performance.now();
    try {
      c = target.next(rngFor(opts.seed, i));
      report[await target.feed(c.input)]++;
    } catch (e) {
      report.uncaught++;
      const error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      if (report.failures.length < 20) report.failures.push({ caseIndex: i, mutation: c.mutation, error });
    }
    const ms = performance.now() - t0;
    if (ms > report.slowest_ms) {
      report.slowest_ms = Math.round(ms);
      report.slowest = c.mutation;
    }
    report.cases++;
  }
  report.max_rss_mb = maxRssMb();
  return report;
}
