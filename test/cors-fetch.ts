/**
 * A fetch for Node tests that behaves like a page's cross-origin fetch in a browser (Fetch
 * standard, CORS): a request with a header that is not CORS-safelisted would be preceded by a
 * preflight (recorded in `preflights`); a response without Access-Control-Allow-Origin fails as
 * a network error; a response shows only the CORS-safelisted response headers and those its
 * Access-Control-Expose-Headers lists. Node's own fetch does none of this, so without it a test
 * cannot see what the studio sees in a browser.
 */

/** Response headers a page may always read (Fetch standard: CORS-safelisted response-header names). */
const SAFELISTED_RESPONSE = [
  "cache-control",
  "content-language",
  "content-length",
  "content-type",
  "expires",
  "last-modified",
  "pragma",
];

/** A byte a safelisted request header value may not hold (Fetch standard: CORS-unsafe request-header byte). */
const UNSAFE_BYTE = /[\x00-\x08\x0a-\x1f"():<>?@[\\\]{}\x7f]/;

/** True when a request header `name: value` needs no preflight (Fetch standard: CORS-safelisted request-header). */
export function isSafelistedRequestHeader(name: string, value: string): boolean {
  if (value.length > 128) return false;
  switch (name.toLowerCase()) {
    case "accept":
      return !UNSAFE_BYTE.test(value);
    case "accept-language":
    case "content-language":
      return /^[0-9A-Za-z *,\-.;=]*$/.test(value);
    case "content-type": {
      if (UNSAFE_BYTE.test(value)) return false;
      const essence = value.split(";")[0].trim().toLowerCase();
      return ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"].includes(essence);
    }
    default:
      return false;
  }
}

export interface CorsFetch {
  fetch: typeof fetch;
  /** One line per request that a browser would have preflighted, with the reason. */
  preflights: string[];
}

/** Wraps `inner` (default: Node's fetch) to behave as a page's cross-origin fetch does. */
export function corsFetch(inner: typeof fetch = globalThis.fetch.bind(globalThis)): CorsFetch {
  const preflights: string[] = [];
  const wrapped = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const method = (init?.method ?? "GET").toUpperCase();
    const headers = new Headers(init?.headers);
    const unsafe: string[] = [];
    if (!["GET", "HEAD", "POST"].includes(method)) unsafe.push(`method ${method}`);
    headers.forEach((value, name) => {
      if (!isSafelistedRequestHeader(name, value)) unsafe.push(`header ${name}: ${value}`);
    });
    if (unsafe.length > 0) preflights.push(`${String(input)}: ${unsafe.join(", ")}`);

    const res = await inner(input, init);
    if (!res.headers.has("access-control-allow-origin"))
      throw new TypeError("Failed to fetch (no Access-Control-Allow-Origin: the browser blocks the response)");
    const exposed = (res.headers.get("access-control-expose-headers") ?? "")
      .split(",")
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean);
    const visible = new Headers();
    res.headers.forEach((value, name) => {
      if (SAFELISTED_RESPONSE.includes(name) || exposed.includes(name) || exposed.includes("*"))
        visible.set(name, value);
    });
    return new Response(res.body, { status: res.status, statusText: res.statusText, headers: visible });
  }) as typeof fetch;
  return { fetch: wrapped, preflights };
}
