/**
 * What a share link carries: a read-only projection of one run's summary (project.ts). Only
 * these fields ever leave the page: no API keys, no candles, no feature matrix, no weights.
 * Numbers are rounded to 4 significant digits (the verdict excepted: it is carried as the page
 * computed it); curves and equity are down-sampled; text keeps to the safe character set. The
 * types come from the schemas (schema.ts).
 */
import type * as v from "valibot";
import type { sharedRunSchema, sharedRunV1Schema } from "./schema";

/** Version of the link format and of its content (1: fnv-1a checksum, no verdict; 2: length + CRC-32, verdict). */
export const SHARE_VERSION = 2 as const;

export type SharedRun = v.InferOutput<typeof sharedRunSchema>;
/** What a version-1 link carried (opened, then completed to a SharedRun). */
export type SharedRunV1 = v.InferOutput<typeof sharedRunV1Schema>;
export type SharedConfig = SharedRun["config"];
export type SharedResult = SharedRun["results"][number];
export type SharedMetrics = SharedResult["metrics"];
export type SharedCurve = NonNullable<SharedResult["curve"]>;
export type SharedBacktest = NonNullable<SharedRun["backtest"]>;
export type SharedEnsemble = SharedRun["ensemble"];
export type SharedImportance = SharedRun["importances"][number];
export type SharedVerdict = SharedRun["verdict"][number];

export const SHARE_LIMITS = {
  /** Max characters of the payload after "#run=" (rejected before any decoding). */
  maxLinkChars: 16_384,
  /** Max bytes after inflating (JSON text). */
  maxInflatedBytes: 131_072,
  maxCurvePoints: 60,
  maxEquityPoints: 200,
  maxImportances: 50,
  maxResults: 16,
  maxModels: 8,
  maxParams: 40,
} as const;
