import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetPostgres, startServer, stop, tsx } from "../bench/server";
import { signInOverHttp } from "../support/sign-in-http";

// Production on real parts: .ci/run runs this file with DATABASE_URL and REDIS_URL set.
const real = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);

describe.runIf(real)("production: next build, npm run db:migrate, next start on PostgreSQL and Redis", () => {
  // A database of its own beside the tests' one, emptied each run.
  // (Collected, not run, without the settings: nothing here may need them until beforeAll.)
  const database = real
    ? Object.assign(new URL(process.env.DATABASE_URL!), { pathname: "/lead_portal_smoke" }).href
    : "";
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: database,
    REDIS_URL: process.env.REDIS_URL,
    AUTH_SECRET: "the smoke test's signing secret, 32 characters or more",
  };
  delete env.ALLOW_EMBEDDED_STORES;
  delete env.DATA_DIR;
  const PORT = 3127;
  const base = `http://127.0.0.1:${PORT}`;
  let server: ChildProcess;
  let key: string;
  const admin = { email: "smoke-admin@example.com", password: "smoke admin passphrase" };

  beforeAll(async () => {
    if (!existsSync(".next/BUILD_ID")) {
      execFileSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { stdio: "inherit" });
    }
    expect(await resetPostgres(database)).toBe(true);
    execFileSync("npm", ["run", "db:migrate"], { env, stdio: ["ignore", "ignore", "inherit"] });
    const run = (script: string, args: string[]) => tsx([script, ...args], env);
    key = run("scripts/apikey.ts", ["create", "--name", "smoke", "--scopes", "leads:read,leads:write"])
      .split("\n")
      .pop()!;
    run("scripts/user.ts", [
      "create",
      "--email",
      admin.email,
      "--password",
      admin.password,
      "--role",
      "admin",
    ]);
    server = await startServer(env, PORT);
  });

  afterAll(async () => {
    if (server) await stop(server);
  });

  it("serves the API, the form and the admin", async () => {
    const headers = { "x-api-key": key, "content-type": "application/json" };
    const created = await fetch(`${base}/open-api/leads`, {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "Smoke Test", phone: "(612) 555-0142", tags: ["smoke"] }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    expect((await fetch(`${base}/open-api/leads/${id}`, { headers })).status).toBe(200);

    const form = await fetch(`${base}/f/contact`);
    expect(form.status).toBe(200);
    expect(form.headers.get("strict-transport-security")).toMatch(/^max-age=/);
    const submitted = await fetch(`${base}/api/intake/contact`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Smoke Visitor", phone: "+16125550143" }),
    });
    expect(submitted.status).toBe(201);

    const cookie = await signInOverHttp(base, admin.email, admin.password);
    expect(cookie).toBeTruthy();
    const list = await fetch(`${base}/api/admin/leads?search=smoke`, { headers: { cookie: cookie! } });
    expect(list.status).toBe(200);
    const names = ((await list.json()) as { data: { name: string }[] }).data.map((l) => l.name).sort();
    expect(names).toEqual(["Smoke Test", "Smoke Visitor"]);
    const page = await fetch(`${base}/admin/leads`, { headers: { cookie: cookie! } });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("'nonce-");
  });

  it("refuses to start in production on the embedded stores, naming the settings", async () => {
    const bare: NodeJS.ProcessEnv = { ...env, DATA_DIR: ".data-smoke-refused" };
    delete bare.DATABASE_URL;
    delete bare.REDIS_URL;
    const child = spawn(
      process.execPath,
      ["node_modules/next/dist/bin/next", "start", "-H", "127.0.0.1", "-p", String(PORT + 1)],
      { env: bare, stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
    expect(code).toBe(1);
    expect(output).toContain("DATABASE_URL: is required in production");
    expect(output).toContain("ALLOW_EMBEDDED_STORES=true");
    expect(existsSync(".data-smoke-refused")).toBe(false);
  });
});
