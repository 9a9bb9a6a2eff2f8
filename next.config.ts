import type { NextConfig } from "next";

// Static export: the studio is plain files served by any static server (scripts/serve.mjs adds
// the COOP/COEP headers that SharedArrayBuffer and the threaded wasm backend need).
const config: NextConfig = {
  output: "export",
  images: { unoptimized: true },
  trailingSlash: true,
  reactStrictMode: true,
  // `npm test` type-checks the whole project once (npm run typecheck); the build need not repeat it.
  typescript: { ignoreBuildErrors: true },
};

export default config;
