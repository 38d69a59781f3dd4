import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/** Every file of the client bundles the build produced (what browsers download). */
function clientFiles(dir = path.resolve(".next/static")): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory()
      ? clientFiles(full)
      : /\.(js|css|json|txt|map)$/.test(entry.name)
        ? [full]
        : [];
  });
}

// Names of server secrets and connection strings, and marks of modules that must stay on the server.
const FORBIDDEN: [string, RegExp][] = [
  [
    "a secret setting's name",
    /\b(AUTH_SECRET|DATABASE_URL|REDIS_URL|KV_REST_API_TOKEN|ROTOR_API_KEY|CRON_SECRET|TURNSTILE_SECRET_KEY|AUTH_GITHUB_SECRET|AUTH_GOOGLE_SECRET)\b/,
  ],
  ["a connection string", /\b(postgres(ql)?|rediss?):\/\/[^"'\s]+/],
  ["a private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ["an API key of this portal", /\blip_[A-Za-z0-9_-]{20,}/],
  ["a webhook secret", /\bwhsec_[A-Za-z0-9_-]{20,}/],
  [
    "the database layer (drizzle, pg, PGlite)",
    /DrizzleQueryError|pg-protocol|electric-sql|lead_upsert|pg_trgm/,
  ],
  ["password hashing (bcrypt)", /\$2[aby]\$\d\d\$|bcryptjs/],
  ["the server's Node modules", /require\(["']node:(crypto|fs|child_process)["']\)/],
];

describe("the built client bundles", () => {
  it("hold no secret and no server-only module", () => {
    const files = clientFiles();
    expect(files.length).toBeGreaterThan(5);
    const found: string[] = [];
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const [what, pattern] of FORBIDDEN) {
        const match = pattern.exec(text);
        if (match) found.push(`${path.relative(process.cwd(), file)}: ${what} (${match[0].slice(0, 40)})`);
      }
    }
    expect(found).toEqual([]);
  });
});
