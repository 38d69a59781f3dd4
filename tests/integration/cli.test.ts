import { execFile } from "node:child_process";
import { format, promisify } from "node:util";
import { describe, expect, it, vi } from "vitest";
import * as adminLeadsRoute from "@/app/api/admin/leads/route";
import * as intakeRoute from "@/app/api/intake/[slug]/route";
import { type Command, execute } from "@/scripts/command";
import { apikeyCommand } from "@/scripts/commands/apikey";
import { formCommand as formScript } from "@/scripts/commands/form";
import { userCommand as userScript } from "@/scripts/commands/user";
import { client } from "../support/fixtures";
import { changeSettings, type Settings } from "../support/settings";
import { spawnApp } from "../support/spawn-app";
import { call, ORIGIN, signIn } from "../support/staff";
import { embeddedDataDir } from "../support/stores";

const run = promisify(execFile);

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A command run in this process, on this process's database, with what it printed and its exit
 * code, as `npm run` gives them: what the commands do needs no process of their own (the last
 * describe block below runs them as processes).
 */
async function inProcess(command: Command, args: string[], settings: Settings = {}): Promise<Outcome> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const log = vi
    .spyOn(console, "log")
    .mockImplementation((...line) => void stdout.push(`${format(...line)}\n`));
  const error = vi
    .spyOn(console, "error")
    .mockImplementation((...line) => void stderr.push(`${format(...line)}\n`));
  const restoreSettings = changeSettings(settings);
  try {
    const code = await execute(command, args);
    return { code, stdout: stdout.join(""), stderr: stderr.join("") };
  } finally {
    restoreSettings();
    log.mockRestore();
    error.mockRestore();
  }
}

const apikey = (...args: string[]) => inProcess(apikeyCommand, args);
const formCommand = (...args: string[]) => inProcess(formScript, args);
const userCommand = (...args: string[]) => inProcess(userScript, args);

describe("npm run apikey", () => {
  const company = `cli-${Date.now().toString(36)}`;

  it("creates a key, printed alone on the last line, that the app accepts; lists and revokes it", async () => {
    const created = await apikey(
      "create",
      "--name",
      "website",
      "--scopes",
      "leads:read,leads:write",
      "--daily-limit",
      "250",
      "--company",
      company,
    );
    expect(created.code).toBe(0);
    const lines = created.stdout.trim().split("\n");
    const key = lines.at(-1)!;
    expect(key).toMatch(/^lip_[A-Za-z0-9_-]{43}$/);
    const id = /Created key ([0-9a-f-]{36})/.exec(created.stdout)![1]!;

    const listed = await apikey("list");
    const row = listed.stdout.split("\n").find((line) => line.startsWith(id))!;
    expect(row).toContain(key.slice(0, 12));
    expect(row).not.toContain(key);
    expect(row).toContain(company);
    expect(row).toContain("limit 250/day");
    expect(row).toContain("active");

    const ok = await client(key).authTest();
    expect(ok.status).toBe(200);
    expect(ok.body.scopes).toEqual(["leads:read", "leads:write"]);

    expect((await apikey("revoke", id)).stdout).toContain(`Revoked ${id}`);
    expect((await apikey("list")).stdout.split("\n").find((l) => l.startsWith(id))).toContain("revoked");
    const refused = await client(key).authTest();
    expect(refused.status).toBe(401);
    expect(refused.body.error_code).toBe("INVALID_API_KEY");
  });

  it("without --company and --daily-limit, makes a key of the default company with API_DAILY_LIMIT", async () => {
    const created = await inProcess(apikeyCommand, ["create", "--name", "zapier", "--scopes", "leads:read"], {
      API_DAILY_LIMIT: "777",
    });
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toContain("for company default");
    const id = /Created key ([0-9a-f-]{36})/.exec(created.stdout)![1]!;
    const row = (await apikey("list")).stdout.split("\n").find((line) => line.startsWith(id))!;
    expect(row).toContain("  default  leads:read  limit 777/day  active");
  });

  it("refuses bad arguments with a message and the usage, writing nothing", async () => {
    const noScopes = await apikey("create", "--name", "x");
    expect(noScopes.code).toBe(2);
    expect(noScopes.stderr).toContain("--scopes must list one or more of leads:read, leads:write");
    const badScope = await apikey("create", "--name", "x", "--scopes", "leads:admin");
    expect(badScope.code).toBe(2);
    const badLimit = await apikey("create", "--name", "x", "--scopes", "leads:read", "--daily-limit", "0");
    expect(badLimit.stderr).toContain("--daily-limit must be a positive integer");
    const unknown = await apikey("revoke", "00000000-0000-4000-8000-000000000000");
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("No active key");
    expect((await apikey("list")).stdout).not.toContain(" x ");
  });
});

describe("npm run user", () => {
  const email = `owner-${Date.now().toString(36)}@example.com`;

  it("creates a user who can then sign in to the admin; lists and removes them", async () => {
    const created = await userCommand(
      "create",
      "--email",
      email,
      "--password",
      "a long passphrase",
      "--role",
      "member",
    );
    expect(created.code, created.stderr).toBe(0);
    const id = /\(([0-9a-f-]{36})\)/.exec(created.stdout)![1]!;
    expect((await userCommand("list")).stdout).toContain(`${id}  ${email}  member`);

    expect((await signIn(email, "the wrong passphrase")).cookie).not.toContain("authjs.session-token");
    const { cookie } = await signIn(email, "a long passphrase");
    expect(cookie).toContain("authjs.session-token");
    const list = await call(adminLeadsRoute, "/api/admin/leads", { cookie });
    expect(list.status).toBe(200);

    expect((await userCommand("remove", id)).stdout).toContain(`Removed ${id}`);
    expect((await userCommand("list")).stdout).not.toContain(email);
  });

  it("refuses a short password, an unknown role and a taken address, with the usage", async () => {
    const bad = await userCommand(
      "create",
      "--email",
      "x@example.com",
      "--password",
      "short",
      "--role",
      "owner",
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--password: Must be at least 10 characters");
    expect(bad.stderr).toContain("--role: Must be admin or member");
    await userCommand(
      "create",
      "--email",
      "taken@example.com",
      "--password",
      "long enough here",
      "--role",
      "admin",
    );
    const again = await userCommand(
      "create",
      "--email",
      "Taken@example.com",
      "--password",
      "long enough here",
      "--role",
      "admin",
    );
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("A user with this email already exists");
  });
});

describe("npm run form", () => {
  const slug = `quote-${Date.now().toString(36)}`;

  it("creates a form whose allowed origins the intake then honours, and changes it", async () => {
    const created = await formCommand(
      "create",
      slug,
      "--title",
      "Get a quote",
      "--origins",
      "https://shop.example",
      "--tags",
      "website,quote",
    );
    expect(created.code).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({
      slug,
      title: "Get a quote",
      allowedOrigins: ["https://shop.example"],
      defaultTags: ["website", "quote"],
      settings: { oneOf: ["phone", "email"] },
    });
    expect((await formCommand("list")).stdout).toContain(
      `${slug}  Get a quote  origins: https://shop.example`,
    );

    const post = (origin: string) =>
      intakeRoute.POST(
        new Request(`${ORIGIN}/api/intake/${slug}`, {
          method: "POST",
          headers: { "content-type": "application/json", origin },
          body: JSON.stringify({ name: "Ann", email: `ann.${origin.length}@example.com` }),
        }),
        { params: Promise.resolve({ slug }) },
      );
    const allowed = await post("https://shop.example");
    expect(allowed.status).toBe(201);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    expect((await post("https://other.example")).status).toBe(403);

    const changed = await formCommand(
      "set",
      slug,
      "--origins",
      "",
      "--redirect",
      "https://shop.example/thanks",
    );
    expect(JSON.parse(changed.stdout)).toMatchObject({
      allowedOrigins: [],
      redirectUrl: "https://shop.example/thanks",
    });
  });

  it("refuses what is not an origin, a bad redirect and an unknown form, with the usage", async () => {
    const path = await formCommand("set", "contact", "--origins", "https://shop.example/page");
    expect(path.code).toBe(2);
    expect(path.stderr).toContain("must be an origin such as https://www.example.com");
    expect((await formCommand("set", "contact", "--redirect", "/thanks")).stderr).toContain(
      "--redirect must be an absolute http(s) URL",
    );
    expect((await formCommand("show", "no-such-form")).code).toBe(2);
    expect(JSON.parse((await formCommand("show", "contact")).stdout).allowedOrigins).toEqual([]);
  });
});

describe("the commands as processes of their own", () => {
  // Against DATABASE_URL when set, else against an embedded database in a folder of its own
  // (PGlite allows one process at a time).
  const dataDir = embeddedDataDir();
  const env = { ...process.env, DATA_DIR: dataDir };

  async function command(script: string, args: string[]): Promise<Outcome> {
    try {
      const { stdout } = await run(process.execPath, ["--import", "tsx", script, ...args], { env });
      return { code: 0, stdout, stderr: "" };
    } catch (error) {
      const e = error as Outcome;
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  }

  it("print the key for the app process, take turns with it on the embedded database, and exit 2 on a usage error", async () => {
    const created = await command("scripts/apikey.ts", ["create", "--name", "app", "--scopes", "leads:read"]);
    expect(created.code, created.stderr).toBe(0);
    const key = created.stdout.trim().split("\n").at(-1)!;
    expect(key).toMatch(/^lip_[A-Za-z0-9_-]{43}$/);

    const app = await spawnApp(env);
    try {
      const ok = await fetch(`${app.base}/open-api/auth/test`, { headers: { "x-api-key": key } });
      expect(ok.status).toBe(200);
      const listed = await command("scripts/apikey.ts", ["list"]);
      if (process.env.DATABASE_URL) {
        // PostgreSQL serves both processes.
        expect(listed.code, listed.stderr).toBe(0);
        expect(listed.stdout).toContain(key.slice(0, 12));
      } else {
        // Two processes writing one PGlite folder would corrupt it: the second is refused.
        expect(listed.code).toBe(1);
        expect(listed.stderr).toContain(
          `The embedded database in ${dataDir} is open in process ${app.child.pid}`,
        );
      }
    } finally {
      await app.stop();
    }

    const usage = await command("scripts/user.ts", ["create", "--email", "x@example.com"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("Usage:\n  npm run user -- create");
  });
});
