/**
 * The studio's static server (`npm run serve`, `npm start`, the e2e suite). Besides the files it
 * sends COOP/COEP, so the page is cross-origin isolated (SharedArrayBuffer, threaded wasm), and
 * the Content-Security-Policy the build wrote for each page (scripts/csp-postbuild.mjs).
 *
 * Usage: node scripts/serve.mjs [root=out] [port=3000]   (port 0 picks a free one; it is printed)
 */
import { createServer } from "node:http";
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { CSP_MANIFEST, DEFAULT_POLICY_KEY } from "./csp.mjs";
import { createStaticHandler } from "./static-files.mjs";

/** Headers of every response, beside its Content-Security-Policy. */
export const SECURITY_HEADERS = {
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Embedder-Policy": "require-corp",
  "Cross-Origin-Resource-Policy": "same-origin",
  // Scripts and styles run only when served with their own type (CONTENT_TYPES in static-files.mjs).
  "X-Content-Type-Options": "nosniff",
  // Requests to the exchange (or a mirror) learn nothing of the studio's pages.
  "Referrer-Policy": "no-referrer",
};

/**
 * Reads the policies the build wrote (root/csp.json).
 * @param {string} root the exported studio
 * @returns {Record<string, string>} page path under root ("data/index.html") → policy; "*" → the rest
 * @throws {Error} naming the file and the fix when it is missing or malformed
 */
export function readPolicies(root) {
  const file = path.join(root, CSP_MANIFEST);
  let policies;
  try {
    policies = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(
      `${file} could not be read (${err.message}): run \`npm run build\`, whose post-build step (scripts/csp-postbuild.mjs) writes it`,
    );
  }
  if (typeof policies?.[DEFAULT_POLICY_KEY] !== "string")
    throw new Error(`${file} has no "${DEFAULT_POLICY_KEY}" policy: run \`npm run build\` again`);
  return policies;
}

/**
 * The studio's HTTP server, not yet listening.
 * @param {{ root: string, policies: Record<string, string> }} options policies from readPolicies
 * @returns {import("node:http").Server}
 */
export function createStudioServer({ root, policies }) {
  const rootDir = path.resolve(root);
  const policyOf = (file) => {
    const rel = file ? path.relative(rootDir, file).split(path.sep).join("/") : DEFAULT_POLICY_KEY;
    return Object.hasOwn(policies, rel) ? policies[rel] : policies[DEFAULT_POLICY_KEY];
  };
  return createServer(
    createStaticHandler({
      root: rootDir,
      headersFor: (file) => ({ ...SECURITY_HEADERS, "Content-Security-Policy": policyOf(file) }),
    }),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const root = path.resolve(process.argv[2] ?? "out");
  const port = Number(process.argv[3] ?? process.env.PORT ?? 3000);
  let policies;
  try {
    policies = readPolicies(root);
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
  const server = createStudioServer({ root, policies });
  server.listen(port, "127.0.0.1", () => console.log(`TradeMate Studio on http://localhost:${server.address().port}`));
}
