import type { NextConfig } from "next";

// Static export: the studio is plain files served by any static server. scripts/serve.mjs adds
// the COOP/COEP headers that SharedArrayBuffer and the threaded wasm backend need, and the
// Content-Security-Policy that `npm run build`'s post-build step (scripts/csp-postbuild.mjs)
// derives from the exported pages (Next's `headers()` does not apply to an export).
const config: NextConfig = {
  output: "export",
  images: { unoptimized: true },
  trailingSlash: true,
  reactStrictMode: true,
  // `npm test` type-checks the whole project once (npm run typecheck); the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
};

export default config;
