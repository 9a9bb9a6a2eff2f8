/** Settings: base URLs and API keys for optional keyed sources. Stored only on this device. */
import * as v from "valibot";
import type { StudioDb } from "./schema";

export interface StudioSettings {
  /** Binance REST base URL (or a compatible mirror / the loopback mock in tests). */
  binanceBaseUrl: string;
  /** Binance USD-M futures base URL (funding rate). */
  binanceFuturesBaseUrl: string;
  /** API keys of optional keyed sources, by source name. Never exported or shared. */
  apiKeys: Record<string, string>;
  /** Whether the studio has asked the browser for persistent storage (asked once, at the first store). */
  persistAsked: boolean;
}

export const DEFAULT_SETTINGS: StudioSettings = {
  // Same default as lib/sources/binance DEFAULT_BINANCE_BASE_URL (BINANCE_BASE_URLS lists the others).
  binanceBaseUrl: "https://api.binance.com",
  binanceFuturesBaseUrl: "https://fapi.binance.com",
  apiKeys: {},
  persistAsked: false,
};

const KEY = "studio";

/** A base URL as stored: a missing, empty or non-text value falls back to the default. */
const url = (fallback: string) => v.fallback(v.pipe(v.string(), v.nonEmpty()), fallback);

/**
 * The stored settings, field by field: a malformed field falls back to its default, an API key
 * that is not text is dropped, the others are kept (one bad field never loses the rest).
 */
const settingsSchema = v.fallback(
  v.object({
    binanceBaseUrl: url(DEFAULT_SETTINGS.binanceBaseUrl),
    binanceFuturesBaseUrl: url(DEFAULT_SETTINGS.binanceFuturesBaseUrl),
    apiKeys: v.fallback(
      v.pipe(
        v.record(v.string(), v.unknown()),
        v.transform((keys) =>
          Object.fromEntries(Object.entries(keys).filter((e): e is [string, string] => typeof e[1] === "string")),
        ),
      ),
      () => ({}),
    ),
    persistAsked: v.fallback(v.boolean(), false),
  }),
  () => ({ ...DEFAULT_SETTINGS, apiKeys: {} }),
);

/** Reads settings; missing or malformed fields fall back to DEFAULT_SETTINGS. */
export async function loadSettings(db: StudioDb): Promise<StudioSettings> {
  return v.parse(settingsSchema, (await db.settings.get(KEY))?.value ?? {});
}

/** Merges `patch` into the stored settings and returns the result. */
export async function saveSettings(db: StudioDb, patch: Partial<StudioSettings>): Promise<StudioSettings> {
  return db.transaction("rw", db.settings, async () => {
    const next = { ...(await loadSettings(db)), ...patch };
    await db.settings.put({ key: KEY, value: next });
    return next;
  });
}
