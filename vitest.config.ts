import { defineConfig } from "vitest/config";
import path from "node:path";

export default defineConfig({
  resolve: { alias: { "@": path.resolve(__dirname) } },
  test: {
    include: [
      "lib/**/*.test.ts",
      "test/**/*.test.ts",
      "workers/**/*.test.ts",
      "e2e/mock/**/*.test.ts",
      "bench/**/*.test.ts",
      "scripts/**/*.test.ts",
      "test/**/*.test.ts",
    ],
    environment: "node",
    testTimeout: 60_000,
    pool: "forks",
  },
});
