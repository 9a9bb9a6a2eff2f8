import { parse, type DefaultTreeAdapterMap } from "parse5";
import { describe, expect, it } from "vitest";
import { NO_INLINE, buildPolicy, inlineHashes, sha256Source, withMetaPolicy } from "./csp.mjs";

type Element = DefaultTreeAdapterMap["element"];

/** The CSP3 specification's own example: `<script>alert('Hello, world.');</script>`. */
const SPEC_EXAMPLE = ["alert('Hello, world.');", "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"];

const PAGE = [
  '<!DOCTYPE html><html lang="en"><head><meta charSet="utf-8"/>',
  '<script src="/_next/static/chunks/main.js" async=""></script>',
  "<script>alert('Hello, world.');</script>",
  "<script></script>",
  "<style>body{margin:0}</style>",
  "</head><body>",
  '<div style="font-family:system-ui,&quot;Segoe UI&quot;;height:100vh">',
  '<h1 style="display:inline-block">404</h1><p style="display:inline-block">x</p></div>',
  // Script text is raw: "&amp;" stays as written, "</div>" inside a string does not end it.
  '<script>if (a &amp;&amp; b) f("</div>")</script>',
  "</body></html>",
].join("");

describe("inlineHashes", () => {
  it("hashes inline scripts as the browser does (the CSP spec's example), skipping src and empty ones", () => {
    expect(sha256Source(SPEC_EXAMPLE[0])).toBe(SPEC_EXAMPLE[1]);
    expect(inlineHashes(PAGE).scripts).toEqual([SPEC_EXAMPLE[1], sha256Source('if (a &amp;&amp; b) f("</div>")')]);
  });

  it("hashes <style> text and each distinct style attribute with its entities decoded", () => {
    const { styles, styleAttributes } = inlineHashes(PAGE);
    expect(styles).toEqual([sha256Source("body{margin:0}")]);
    expect(styleAttributes).toEqual([
      sha256Source('font-family:system-ui,"Segoe UI";height:100vh'),
      sha256Source("display:inline-block"),
    ]);
  });

  it("finds nothing to hash in a page of external scripts only", () => {
    expect(inlineHashes('<html><head><script src="/a.js"></script></head><body><p>x</p></body></html>')).toEqual(
      NO_INLINE,
    );
  });
});

describe("buildPolicy", () => {
  const hashes = inlineHashes(PAGE);
  const header = buildPolicy(hashes, "header");
  const meta = buildPolicy(hashes, "meta");
  const directives = (policy: string) =>
    Object.fromEntries(policy.split("; ").map((d) => [d.split(" ")[0], d.split(" ").slice(1)]));

  it("allows scripts from the studio, wasm compilation and the page's hashes: never inline code or eval", () => {
    expect(directives(header)["script-src"]).toEqual(["'self'", "'wasm-unsafe-eval'", ...hashes.scripts]);
    for (const policy of [header, meta, buildPolicy(NO_INLINE, "header")]) {
      expect(policy).not.toContain("'unsafe-inline'");
      expect(policy).not.toMatch(/(^|\s)'unsafe-eval'/);
    }
  });

  it("lets style attributes through by hash only where a page has some", () => {
    expect(directives(header)["style-src"]).toEqual([
      "'self'",
      ...hashes.styles,
      "'unsafe-hashes'",
      ...hashes.styleAttributes,
    ]);
    expect(directives(buildPolicy(NO_INLINE, "header"))["style-src"]).toEqual(["'self'"]);
  });

  it("locks down objects, base, forms and framing; frame-ancestors only in the header (a meta tag ignores it)", () => {
    const d = directives(header);
    expect([d["default-src"], d["object-src"], d["base-uri"], d["form-action"], d["frame-ancestors"]]).toEqual([
      ["'self'"],
      ["'none'"],
      ["'self'"],
      ["'self'"],
      ["'none'"],
    ]);
    expect(d["connect-src"]).toEqual(["'self'", "https:", "http://127.0.0.1:*", "http://localhost:*"]);
    expect(directives(meta)["frame-ancestors"]).toBeUndefined();
    expect(meta).toBe(header.replace("; frame-ancestors 'none'", ""));
  });
});

describe("withMetaPolicy", () => {
  /** [tag name, content attribute] of each node in the <head>. */
  const headNodes = (html: string) => {
    const htmlEl = parse(html).childNodes.find((n) => n.nodeName === "html") as Element;
    const head = htmlEl.childNodes.find((n) => n.nodeName === "head") as Element;
    return head.childNodes.map((n) => [
      n.nodeName,
      "attrs" in n ? n.attrs.find((a) => a.name === "content")?.value : "",
    ]);
  };

  it("puts the policy right after <meta charset>, before every script, and leaves the rest as it was", () => {
    const policy = buildPolicy(inlineHashes(PAGE), "meta");
    const out = withMetaPolicy(PAGE, policy);
    expect(headNodes(out).slice(0, 3)).toEqual([
      ["meta", undefined],
      ["meta", policy],
      ["script", undefined],
    ]);
    expect(out.replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*"\/>/, "")).toBe(PAGE);
    expect(inlineHashes(out)).toEqual(inlineHashes(PAGE));
  });

  it("replaces the tag of an earlier run instead of adding a second, and escapes the attribute", () => {
    const once = withMetaPolicy(PAGE, "default-src 'self'");
    const twice = withMetaPolicy(once, `script-src 'self' "quoted" & more`);
    expect(twice.match(/http-equiv/g)).toHaveLength(1);
    expect(headNodes(twice)[1]).toEqual(["meta", `script-src 'self' "quoted" & more`]);
  });

  it("goes first in a <head> without <meta charset>, and refuses a page without <head>", () => {
    const out = withMetaPolicy("<html><head><script>x()</script></head></html>", "default-src 'self'");
    expect(out).toBe(
      `<html><head><meta http-equiv="Content-Security-Policy" content="default-src 'self'"/><script>x()</script></head></html>`,
    );
    expect(() => withMetaPolicy("<p>no head</p>", "default-src 'self'")).toThrow(/no <head> tag/);
  });
});
