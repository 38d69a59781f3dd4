import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    // Tests never touch a developer's .data folder: without DATABASE_URL each process gets a fresh
    // in-memory PGlite.
    // The tests' webhook receivers listen on loopback, which webhooks may reach only when the
    // operator allows it (tests/integration/webhook-addresses.test.ts shows the refusals).
    env: { DATA_DIR: "memory://", NODE_ENV: "test", WEBHOOK_ALLOWED_HOSTS: "127.0.0.1" },
    // Integration files share one database; running them one at a time keeps counts exact.
    fileParallelism: false,
    // next-auth imports "next/server" without the extension that Node's ESM loader needs; bundled
    // through Vite, as Next.js bundles it, the import resolves.
    server: { deps: { inline: ["next-auth"] } },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
