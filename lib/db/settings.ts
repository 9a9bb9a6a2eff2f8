/** Settings: base URLs and API keys for optional keyed sources. Stored only on this device. */
import * as v from "valibot";
import type { StudioDb } from "./schema";

export interface StudioSettings {
  /** Binance REST base URL (or a compatible mirror / the loopback mock in tests). */
  binanceBaseUrl: string;
  /** Binance USD-M futures base URL (funding rate). */
  binanceFuturesBaseUrl: string;
  /** Glassnode-compatible base URL (keyed on-chain source; the mock in tests). */
  glassnodeBaseUrl: string;
  /** LunarCrush-compatible base URL (keyed social-sentiment source; the mock in tests). */
  lunarCrushBaseUrl: string;
  /**
   * API keys of optional keyed sources, by KEYED_SOURCES name ("glassnode", "lunarcrush").
   * Kept only in this browser: never exported, shared, logged or sent anywhere but their source.
   */
  apiKeys: Record<string, string>;
  /** Whether the studio has asked the browser for persistent storage (asked once, at the first store). */
  persistAsked: boolean;
}

export const DEFAULT_SETTINGS: StudioSettings = {
  // Same default as lib/sources/binance DEFAULT_BINANCE_BASE_URL (BINANCE_BASE_URLS lists the others).
  binanceBaseUrl: "https://api.binance.com",
  binanceFuturesBaseUrl: "https://fapi.binance.com",
  glassnodeBaseUrl: "https://api.glassnode.com",
  lunarCrushBaseUrl: "https://lunarcrush.com",
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
    glassnodeBaseUrl: url(DEFAULT_SETTINGS.glassnodeBaseUrl),
    lunarCrushBaseUrl: url(DEFAULT_SETTINGS.lunarCrushBaseUrl),
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

/** The keyed sources: the settings name of each one's key and the alternative source it feeds. */
export const KEYED_SOURCES = [
  { key: "glassnode", source: "onchain", label: "On-chain (Glassnode)" },
  { key: "lunarcrush", source: "sentiment", label: "Social sentiment (LunarCrush)" },
] as const;

/** The keys of the keyed sources by alternative source (absent until the user enters one). */
export function keyedSourceKeys(s: StudioSettings): { onchain?: string; sentiment?: string } {
  const out: { onchain?: string; sentiment?: string } = {};
  for (const k of KEYED_SOURCES) {
    const key = s.apiKeys[k.key]?.trim();
    if (key) out[k.source] = key;
  }
  return out;
}

/** Stores (or, with an empty key, forgets) the key of one keyed source. */
export async function setApiKey(db: StudioDb, name: string, key: string): Promise<StudioSettings> {
  return db.transaction("rw", db.settings, async () => {
    const { [name]: _old, ...rest } = (await loadSettings(db)).apiKeys;
    const trimmed = key.trim();
    return saveSettings(db, { apiKeys: trimmed ? { ...rest, [name]: trimmed } : rest });
  });
}
