import { inject } from "vitest";
import { embeddedDataDir, workerDatabaseUrl, workerRedisUrl } from "./stores";

// Before the test file loads anything that reads the settings: this process's stores
// (tests/support/stores.ts), which the app processes it starts inherit.
const { databaseUrl, redisUrl } = inject("testStores");
const worker = Number(process.env.VITEST_POOL_ID);
if (databaseUrl) process.env.DATABASE_URL = workerDatabaseUrl(databaseUrl, worker);
else process.env.DATA_DIR = embeddedDataDir();
if (redisUrl) process.env.REDIS_URL = workerRedisUrl(redisUrl, worker);
