/**
 * Post-build step of `npm run build` (after `next build`): Next's static export inlines scripts
 * whose text changes with every build, so their hashes can only be taken now. For every
 * out/**\/*.html it hashes the inline scripts and styles, puts the page's policy in a
 * <meta http-equiv="Content-Security-Policy"> (for static hosting), and writes every policy to
 * out/csp.json for scripts/serve.mjs to send as a header (which also carries frame-ancestors, a
 * directive browsers ignore in a meta tag).
 *
 * Usage: node scripts/csp-postbuild.mjs [out]
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CSP_MANIFEST, DEFAULT_POLICY_KEY, NO_INLINE, buildPolicy, inlineHashes, withMetaPolicy } from "./csp.mjs";

const root = path.resolve(process.argv[2] ?? "out");
/** @type {Record<string, string>} */
const policies = { [DEFAULT_POLICY_KEY]: buildPolicy(NO_INLINE, "header") };
let scripts = 0;
for (const rel of readdirSync(root, { recursive: true })) {
  if (!rel.endsWith(".html")) continue;
  const file = path.join(root, rel);
  const html = readFileSync(file, "utf8");
  const hashes = inlineHashes(html);
  scripts += hashes.scripts.length;
  writeFileSync(file, withMetaPolicy(html, buildPolicy(hashes, "meta")));
  policies[rel.split(path.sep).join("/")] = buildPolicy(hashes, "header");
}
const pages = Object.keys(policies).length - 1;
if (pages === 0) throw new Error(`no .html files under ${root}: run next build first`);
writeFileSync(path.join(root, CSP_MANIFEST), JSON.stringify(policies, null, 2) + "\n");
console.log(`CSP: ${pages} pages, ${scripts} inline scripts hashed; policies in ${path.join(root, CSP_MANIFEST)}`);
