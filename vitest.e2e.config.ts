import { defineConfig } from "vitest/config";

// Browser tests: real Chromium (Debian's, through playwright-core) against the built app.
export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    include: ["tests/e2e/**/*.test.ts"],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
  },
});
