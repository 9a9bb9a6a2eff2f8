import { BinanceError } from "./errors";
import { buildUrl, getJson, type RequestOptions } from "./http";

/** What the studio needs to know about one listed pair. */
export interface SymbolInfo {
  symbol: string;
  /** e.g. "TRADING", "BREAK" (delisted pairs keep history but get no new candles). */
  status: string;
  baseAsset: string;
  quoteAsset: string;
}

/** Request weight of /api/v3/exchangeInfo, with or without `symbol` (Binance spot docs: 20). */
export const EXCHANGE_INFO_WEIGHT = 20;

/**
 * GET /api/v3/exchangeInfo?symbol= for one pair. Throws BinanceError kind "invalid-symbol"
 * (message names the symbol) when the server does not list it.
 */
export async function fetchExchangeInfo(
  baseUrl: string,
  symbol: string,
  opts: RequestOptions = {},
): Promise<SymbolInfo> {
  const url = buildUrl(baseUrl, "/api/v3/exchangeInfo", { symbol });
  let body: unknown;
  try {
    body = await getJson(url, EXCHANGE_INFO_WEIGHT, opts);
  } catch (e) {
    if (e instanceof BinanceError && e.kind === "invalid-symbol") {
      throw new BinanceError(
        "invalid-symbol",
        `Unknown symbol "${symbol}": ${hostLabel(baseUrl)} does not list this pair. Check the spelling (e.g. BTCUSDT).`,
        { status: e.status, code: e.code, url },
      );
    }
    throw e;
  }
  const symbols = (body as { symbols?: unknown } | null)?.symbols;
  if (!Array.isArray(symbols))
    throw new BinanceError(
      "bad-response",
      "The exchangeInfo answer has no symbol list; is the base URL a Binance-compatible API?",
      { url },
    );
  const found = symbols.find((s) => (s as { symbol?: unknown })?.symbol === symbol) as Partial<SymbolInfo> | undefined;
  if (!found)
    throw new BinanceError(
      "invalid-symbol",
      `Unknown symbol "${symbol}": ${hostLabel(baseUrl)} does not list this pair. Check the spelling (e.g. BTCUSDT).`,
      { url },
    );
  return {
    symbol,
    status: String(found.status ?? "UNKNOWN"),
    baseAsset: String(found.baseAsset ?? ""),
    quoteAsset: String(found.quoteAsset ?? ""),
  };
}

/** Resolves when `symbol` is listed (any status); throws the "invalid-symbol" BinanceError otherwise. */
export async function checkSymbol(baseUrl: string, symbol: string, opts: RequestOptions = {}): Promise<SymbolInfo> {
  return fetchExchangeInfo(baseUrl, symbol, opts);
}

function hostLabel(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}
