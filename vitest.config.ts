import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { tsconfigPaths: true },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    // Files run side by side, each worker on stores of its own (tests/support/stores.ts). Much of
    // the suite waits on app processes it starts: one worker more than the cores (vitest's
    // default is one fewer).
    setupFiles: ["tests/support/worker-setup.ts"],
    maxWorkers: availableParallelism() + 1,
    // Tests never touch a developer's .data folder: the embedded database is a copy of the run's
    // (tests/support/worker-setup.ts), and with DATABASE_URL the signing secret stays in memory.
    // The tests' webhook receivers listen on loopback, which webhooks may reach only when the
    // operator allows it (tests/integration/webhook-addresses.test.ts shows the refusals).
    env: { DATA_DIR: "memory://", NODE_ENV: "test", WEBHOOK_ALLOWED_HOSTS: "127.0.0.1" },
    // next-auth imports "next/server" without the extension that Node's ESM loader needs; bundled
    // through Vite, as Next.js bundles it, the import resolves.
    server: { deps: { inline: ["next-auth"] } },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
