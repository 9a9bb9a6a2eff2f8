/** Settings: base URLs and API keys for optional keyed sources. Stored only on this device. */
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

/** Reads settings; missing or malformed fields fall back to DEFAULT_SETTINGS. */
export async function loadSettings(db: StudioDb): Promise<StudioSettings> {
  const raw = (await db.settings.get(KEY))?.value;
  const r = typeof raw === "object" && raw !== null ? (raw as Record<string, unknown>) : {};
  const s = (k: keyof StudioSettings) => (typeof r[k] === "string" && r[k] !== "" ? (r[k] as string) : undefined);
  const keys: Record<string, string> = {};
  if (typeof r.apiKeys === "object" && r.apiKeys !== null) {
    for (const [k, v] of Object.entries(r.apiKeys)) if (typeof v === "string") keys[k] = v;
  }
  return {
    binanceBaseUrl: s("binanceBaseUrl") ?? DEFAULT_SETTINGS.binanceBaseUrl,
    binanceFuturesBaseUrl: s("binanceFuturesBaseUrl") ?? DEFAULT_SETTINGS.binanceFuturesBaseUrl,
    apiKeys: keys,
    persistAsked: r.persistAsked === true,
  };
}

/** Merges `patch` into the stored settings and returns the result. */
export async function saveSettings(db: StudioDb, patch: Partial<StudioSettings>): Promise<StudioSettings> {
  return db.transaction("rw", db.settings, async () => {
    const next = { ...(await loadSettings(db)), ...patch };
    await db.settings.put({ key: KEY, value: next });
    return next;
  });
}
