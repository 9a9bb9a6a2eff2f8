/**
 * The studio's Content-Security-Policy (issue 17, item 14): what a page may load and run, and the
 * hashes that let Next's inline scripts through without 'unsafe-inline'. Pure functions over
 * HTML text; scripts/csp-postbuild.mjs applies them to the exported pages and scripts/serve.mjs
 * sends the result as a header.
 */
import { createHash } from "node:crypto";
import { parse } from "parse5";

/**
 * Where the studio may connect: itself, plus the Binance REST base URL the user picks in the
 * collection form. That URL is user-settable to "any Binance-compatible mirror"
 * (lib/sources/binance/validate.ts accepts https://, or http:// for a local mirror), as are the
 * futures and Fear & Greed base URLs (lib/sources/binance/alt.ts), so a fixed host list would
 * break a setting the form accepts with nothing but "Could not reach …". Hence any https origin,
 * and plain http only on loopback (the local-mirror case; the e2e mock is http://127.0.0.1:…).
 * What guards the page is script-src (nothing runs that the build did not emit); connect-src
 * only narrows where already-running code may talk.
 */
export const CONNECT_SOURCES = ["'self'", "https:", "http://127.0.0.1:*", "http://localhost:*"];

/** The policy before any per-page hash: every directive, its sources in order. */
export const BASE_DIRECTIVES = {
  "default-src": ["'self'"],
  // 'wasm-unsafe-eval': WebAssembly.instantiate of tfjs-wasm's binaries (page and train worker);
  // it allows compiling wasm only, not eval() or new Function().
  "script-src": ["'self'", "'wasm-unsafe-eval'"],
  "style-src": ["'self'"],
  "img-src": ["'self'", "data:", "blob:"],
  "font-src": ["'self'"],
  "connect-src": CONNECT_SOURCES,
  // Every worker is a bundled script under /_next/ ('self'). tfjs-wasm's threaded build would
  // start its pthreads from a blob: URL, but the app turns threads off in the production build
  // (lib/models/backend.ts: the minified glue breaks them), so blob: stays out; add it here if
  // threads come back.
  "worker-src": ["'self'"],
  "object-src": ["'none'"],
  "base-uri": ["'self'"],
  "form-action": ["'self'"],
  "frame-ancestors": ["'none'"],
};

/**
 * The file, in the export's root, that maps each page (its path under the root, "/"-separated,
 * e.g. "data/index.html") to its header policy; DEFAULT_POLICY_KEY holds the policy of every
 * other response (scripts, workers, wasm, data). Written by csp-postbuild.mjs, read by serve.mjs.
 */
export const CSP_MANIFEST = "csp.json";
export const DEFAULT_POLICY_KEY = "*";

/** Directives a <meta> policy cannot carry (CSP3 §3.3): the server header sends them. */
const HEADER_ONLY = new Set(["frame-ancestors", "report-uri", "sandbox"]);

/**
 * A CSP hash source for inline text, as the browser computes it (SHA-256 of the UTF-8 bytes).
 * @param {string} text element text or attribute value, after HTML parsing
 * @returns {string} e.g. "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
 */
export function sha256Source(text) {
  return `'sha256-${createHash("sha256").update(text, "utf8").digest("base64")}'`;
}

/**
 * @typedef {{ scripts: string[], styles: string[], styleAttributes: string[] }} InlineHashes
 * Hash sources (see sha256Source), each list de-duplicated in document order.
 */

/**
 * Hashes everything inline in a page that a policy without 'unsafe-inline' would block: the text
 * of each <script> without src, of each <style>, and each style="" attribute the HTML carries
 * (Next's 404 page has some; styles React sets later go through the CSSOM, which CSP allows).
 * Parsed with parse5 (the HTML standard's tokenizer), so the text and decoded attribute values
 * are exactly what the browser hashes.
 * @param {string} html a whole document
 * @returns {InlineHashes}
 */
export function inlineHashes(html) {
  const found = { scripts: new Set(), styles: new Set(), styleAttributes: new Set() };
  visit(parse(html), (node) => {
    const style = node.attrs?.find((a) => a.name === "style");
    if (style && style.value !== "") found.styleAttributes.add(sha256Source(style.value));
    const text = (node.childNodes ?? []).map((c) => (c.nodeName === "#text" ? c.value : "")).join("");
    // An inline script with empty text never runs (HTML "prepare the script element"), so needs no hash.
    if (node.nodeName === "script" && !node.attrs.some((a) => a.name === "src") && text !== "")
      found.scripts.add(sha256Source(text));
    if (node.nodeName === "style" && text !== "") found.styles.add(sha256Source(text));
  });
  return { scripts: [...found.scripts], styles: [...found.styles], styleAttributes: [...found.styleAttributes] };
}

/** Calls `fn` on every node of a parse5 tree, template contents included. */
function visit(node, fn) {
  fn(node);
  for (const child of node.childNodes ?? []) visit(child, fn);
  if (node.content) visit(node.content, fn);
}

/** No inline code at all: the policy of non-HTML responses (scripts, workers, wasm, data). */
export const NO_INLINE = { scripts: [], styles: [], styleAttributes: [] };

/**
 * The policy text for a page with these inline hashes.
 * @param {InlineHashes} hashes from inlineHashes (NO_INLINE for non-HTML responses)
 * @param {"header" | "meta"} delivery "meta" leaves out what a <meta> policy ignores (frame-ancestors)
 * @returns {string} e.g. "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-…'; …"
 */
export function buildPolicy(hashes, delivery) {
  const directives = { ...BASE_DIRECTIVES };
  directives["script-src"] = [...directives["script-src"], ...hashes.scripts];
  // 'unsafe-hashes' lets hashes match style="" attributes; still no 'unsafe-inline'.
  const attributes = hashes.styleAttributes.length ? ["'unsafe-hashes'", ...hashes.styleAttributes] : [];
  directives["style-src"] = [...directives["style-src"], ...hashes.styles, ...attributes];
  return Object.entries(directives)
    .filter(([name]) => delivery === "header" || !HEADER_ONLY.has(name))
    .map(([name, sources]) => `${name} ${sources.join(" ")}`)
    .join("; ");
}

/**
 * Puts `<meta http-equiv="Content-Security-Policy">` at the top of <head> (after <meta charset>,
 * which must stay within the first 1024 bytes), so it governs every script after it (a meta
 * policy applies only to what follows it), replacing one already there (running the post-build
 * step twice leaves one tag).
 * @param {string} html a whole document with a <head>
 * @param {string} policy from buildPolicy(…, "meta")
 * @returns {string} the document with the tag
 */
export function withMetaPolicy(html, policy) {
  const doc = parse(html, { sourceCodeLocationInfo: true });
  const htmlEl = doc.childNodes.find((n) => n.nodeName === "html");
  const head = htmlEl?.childNodes.find((n) => n.nodeName === "head");
  const headStart = head?.sourceCodeLocation?.startTag;
  if (!headStart) throw new Error("the page has no <head> tag to hold its Content-Security-Policy");
  const old = head.childNodes.find(
    (n) =>
      n.nodeName === "meta" &&
      n.attrs.some((a) => a.name === "http-equiv" && a.value.toLowerCase() === "content-security-policy"),
  );
  const tag = `<meta http-equiv="Content-Security-Policy" content="${policy.replace(/&/g, "&amp;").replace(/"/g, "&quot;")}"/>`;
  const first = head.childNodes.find((n) => n.nodeName !== "#text" && n.nodeName !== "#comment");
  const charset = first?.nodeName === "meta" && first.attrs.some((a) => a.name === "charset") ? first : null;
  let at = charset?.sourceCodeLocation?.endOffset ?? headStart.endOffset;
  let out = html;
  if (old?.sourceCodeLocation) {
    const { startOffset, endOffset } = old.sourceCodeLocation;
    out = out.slice(0, startOffset) + out.slice(endOffset);
    if (startOffset < at) at -= endOffset - startOffset;
  }
  return out.slice(0, at) + tag + out.slice(at);
}
