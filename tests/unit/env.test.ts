import { describe, expect, it } from "vitest";
import { parseEnv, SettingsError } from "@/lib/env";

/** The thrown message, failing the test when parseEnv does not throw. */
function failure(source: Record<string, string | undefined>): string {
  try {
    parseEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as Error).message;
  }
  throw new Error(`parseEnv accepted ${JSON.stringify(source)}`);
}

const SECRET = "a signing secret of at least 32 characters";

describe("parseEnv", () => {
  it("gives every default with no settings", () => {
    expect(parseEnv({})).toEqual({
      NODE_ENV: "development",
      DATA_DIR: ".data",
      DEFAULT_PHONE_REGION: "US",
      DEFAULT_COMPANY_NAME: "My company",
      API_DAILY_LIMIT: 1000,
      LIST_CACHE_TTL_SECONDS: 300,
      DATABASE_POOL_SIZE: 10,
      SIGN_IN_ATTEMPTS_PER_15_MINUTES: 10,
      SESSION_MAX_AGE_DAYS: 7,
      WEBHOOK_ALLOWED_HOSTS: [],
      WEBHOOK_ENDPOINTS_PER_COMPANY: 10,
      INTAKE_MIN_FILL_SECONDS: 3,
      INTAKE_PER_IP_PER_HOUR: 20,
      INTAKE_PER_FORM_PER_HOUR: 1000,
      SPAM_RETENTION_DAYS: 30,
      TURNSTILE_VERIFY_URL: "https://challenges.cloudflare.com/turnstile/v0/siteverify",
      TWILIO_API_URL: "https://api.twilio.com",
      VERCEL_BLOB_API_URL: "https://vercel.com/api/blob",
      ALLOW_EMBEDDED_STORES: false,
      ROTOR_API_URL: "https://api.getrotor.com/open-api",
      ROTOR_COMPANY: "default",
      ROTOR_DAILY_QUOTA: 1000,
      ROTOR_TIMEOUT_MS: 10_000,
      OUTBOX_INTERVAL_SECONDS: 15,
      RESEND_API_URL: "https://api.resend.com",
      OUTBOX_BACKOFF_SECONDS: 30,
    });
  });

  it("leaves the optional URLs unset by default and treats empty ones as unset", () => {
    const env = parseEnv({ DATABASE_URL: "", REDIS_URL: "  ", KV_REST_API_URL: "", KV_REST_API_TOKEN: "" });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.REDIS_URL).toBeUndefined();
    expect(env.KV_REST_API_URL).toBeUndefined();
    expect(env.KV_REST_API_TOKEN).toBeUndefined();
  });

  it("accepts good values, trimmed, with numbers coerced and the region upper-cased", () => {
    const env = parseEnv({
      NODE_ENV: "production",
      AUTH_SECRET: SECRET,
      DATABASE_URL: " postgresql://u:p@db.example:5432/leads ",
      REDIS_URL: "rediss://cache.example:6380",
      KV_REST_API_URL: "https://kv.example",
      KV_REST_API_TOKEN: "token",
      DEFAULT_PHONE_REGION: " gb ",
      DEFAULT_COMPANY_NAME: "Acme Windows",
      API_DAILY_LIMIT: "250",
      LIST_CACHE_TTL_SECONDS: "60",
      DATABASE_POOL_SIZE: "3",
    });
    expect(env).toMatchObject({
      NODE_ENV: "production",
      DATABASE_URL: "postgresql://u:p@db.example:5432/leads",
      REDIS_URL: "rediss://cache.example:6380",
      KV_REST_API_URL: "https://kv.example",
      KV_REST_API_TOKEN: "token",
      DEFAULT_PHONE_REGION: "GB",
      DEFAULT_COMPANY_NAME: "Acme Windows",
      API_DAILY_LIMIT: 250,
      LIST_CACHE_TTL_SECONDS: 60,
      DATABASE_POOL_SIZE: 3,
    });
    expect(
      parseEnv({ DATABASE_URL: "postgres://localhost/x", REDIS_URL: "redis://localhost" }),
    ).toMatchObject({
      DATABASE_URL: "postgres://localhost/x",
      REDIS_URL: "redis://localhost",
    });
  });

  it("names DATABASE_URL when it is not a postgres URL", () => {
    for (const url of ["mysql://localhost/db", "localhost:5432", "https://db.example"]) {
      const message = failure({ DATABASE_URL: url });
      expect(message).toContain("DATABASE_URL");
      expect(message).toContain("postgres");
    }
  });

  it("names REDIS_URL when it is not a redis URL", () => {
    for (const url of ["http://cache.example", "127.0.0.1:6379"]) {
      const message = failure({ REDIS_URL: url });
      expect(message).toContain("REDIS_URL");
      expect(message).not.toContain("DATABASE_URL");
    }
  });

  it('names DEFAULT_PHONE_REGION for "XX"', () => {
    const message = failure({ DEFAULT_PHONE_REGION: "XX" });
    expect(message).toContain("DEFAULT_PHONE_REGION");
    expect(failure({ DEFAULT_PHONE_REGION: "USA" })).toContain("DEFAULT_PHONE_REGION");
  });

  it('names API_DAILY_LIMIT for "abc", "0", "-5" and "1.5"', () => {
    for (const value of ["abc", "0", "-5", "1.5"]) {
      const message = failure({ API_DAILY_LIMIT: value });
      expect(message).toContain("API_DAILY_LIMIT");
      expect(message).toContain("must be a positive integer");
    }
  });

  it("names the other numeric settings when they are bad", () => {
    expect(failure({ LIST_CACHE_TTL_SECONDS: "soon" })).toContain("LIST_CACHE_TTL_SECONDS");
    expect(failure({ DATABASE_POOL_SIZE: "0" })).toContain("DATABASE_POOL_SIZE");
  });

  it("names the missing half when KV_REST_API_URL or KV_REST_API_TOKEN is set alone", () => {
    const withoutToken = failure({ KV_REST_API_URL: "https://kv.example" });
    expect(withoutToken).toContain("KV_REST_API_TOKEN");
    expect(withoutToken).toContain("must be set together");

    const withoutUrl = failure({ KV_REST_API_TOKEN: "token" });
    expect(withoutUrl).toMatch(/KV_REST_API_URL: /);
    expect(withoutUrl).toContain("must be set together");
  });

  it("names KV_REST_API_URL when it is not an http(s) URL", () => {
    expect(failure({ KV_REST_API_URL: "redis://kv.example", KV_REST_API_TOKEN: "t" })).toMatch(
      /KV_REST_API_URL: must be an http\(s\) URL/,
    );
  });

  it("names every bad setting at once", () => {
    const message = failure({
      DATABASE_URL: "mysql://x",
      REDIS_URL: "http://x",
      DEFAULT_PHONE_REGION: "XX",
      API_DAILY_LIMIT: "0",
      NODE_ENV: "staging",
    });
    for (const name of ["DATABASE_URL", "REDIS_URL", "DEFAULT_PHONE_REGION", "API_DAILY_LIMIT", "NODE_ENV"]) {
      expect(message).toMatch(new RegExp(`^  ${name}: `, "m"));
    }
    expect(message.startsWith("Invalid settings:")).toBe(true);
  });

  it("does not echo a bad URL's secret in the message", () => {
    const message = failure({ DATABASE_URL: "mysql://admin:hunter2@db.example/leads" });
    expect(message).not.toContain("hunter2");
  });

  it("on Vercel, refuses the embedded database and the in-process KV, naming the settings to add", () => {
    const message = failure({ VERCEL: "1" });
    expect(message).toMatch(/^ {2}DATABASE_URL: is required on Vercel/m);
    expect(message).toMatch(/^ {2}KV_REST_API_URL: or REDIS_URL is required on Vercel/m);
    expect(message).toMatch(/^ {2}CRON_SECRET: is required on Vercel/m);
    expect(() =>
      parseEnv({
        VERCEL: "1",
        DATABASE_URL: "postgres://db.example/leads",
        REDIS_URL: "redis://kv.example",
        CRON_SECRET: "a cron secret of some length",
      }),
    ).not.toThrow();
  });

  it("in production, refuses the embedded stores unless told this is one instance on a lasting disk", () => {
    const message = failure({ NODE_ENV: "production" });
    expect(message).toMatch(/^ {2}DATABASE_URL: is required in production: the embedded database is lost/m);
    expect(message).toMatch(/ALLOW_EMBEDDED_STORES=true/);
    expect(message).toMatch(/^ {2}REDIS_URL: or KV_REST_API_URL is required in production/m);
    expect(() =>
      parseEnv({ NODE_ENV: "production", AUTH_SECRET: SECRET, ALLOW_EMBEDDED_STORES: "true" }),
    ).not.toThrow();
    expect(() =>
      parseEnv({
        NODE_ENV: "production",
        AUTH_SECRET: SECRET,
        DATABASE_URL: "postgres://db.example/leads",
        REDIS_URL: "redis://kv",
      }),
    ).not.toThrow();
    expect(failure({ ALLOW_EMBEDDED_STORES: "yes" })).toMatch(/ALLOW_EMBEDDED_STORES: must be true or false/);
  });

  it("in production, wants the signing secret from the environment", () => {
    expect(failure({ NODE_ENV: "production", ALLOW_EMBEDDED_STORES: "true" })).toMatch(
      /^ {2}AUTH_SECRET: is required in production/m,
    );
    expect(failure({ NODE_ENV: "production", ALLOW_EMBEDDED_STORES: "true", AUTH_SECRET: " " })).toMatch(
      /^ {2}AUTH_SECRET: is required in production/m,
    );
    // Elsewhere it may be unset (lib/secret.ts generates one into DATA_DIR), an empty value too.
    expect(parseEnv({ NODE_ENV: "development" }).AUTH_SECRET).toBeUndefined();
    expect(parseEnv({ NODE_ENV: "test", AUTH_SECRET: "" }).AUTH_SECRET).toBeUndefined();
    expect(
      parseEnv({ NODE_ENV: "production", ALLOW_EMBEDDED_STORES: "true", AUTH_SECRET: ` ${SECRET} ` })
        .AUTH_SECRET,
    ).toBe(SECRET);
  });

  it("reads the trusted proxies as a count or as addresses and ranges, and refuses anything else", () => {
    expect(parseEnv({ TRUSTED_PROXIES: "2" }).TRUSTED_PROXIES).toEqual({ hops: 2 });
    const ranges = parseEnv({ TRUSTED_PROXIES: "10.0.0.0/8, 127.0.0.1, ::1, fd00::/8" }).TRUSTED_PROXIES;
    expect(ranges && "ranges" in ranges && ranges.ranges.map((r) => r.prefix)).toEqual([8, 32, 128, 8]);
    for (const bad of ["0", "10.0.0.0/33", "proxy.example", "10.0.0.1,", "1.2.3.4/8/8"]) {
      expect(failure({ TRUSTED_PROXIES: bad })).toMatch(/^ {2}TRUSTED_PROXIES: must be a number of proxies/m);
    }
    expect(failure({ PROXY_HOPS: "1" })).toMatch(/^ {2}PROXY_HOPS: was replaced by TRUSTED_PROXIES/m);
  });

  it("reads the webhook hosts allowed to be private, lower-cased and without brackets", () => {
    expect(
      parseEnv({ WEBHOOK_ALLOWED_HOSTS: " Receiver.Internal , [::1],127.0.0.1 " }).WEBHOOK_ALLOWED_HOSTS,
    ).toEqual(["receiver.internal", "::1", "127.0.0.1"]);
  });

  it("refuses a bad Rotor URL, a short cron secret and a backoff of zero", () => {
    const message = failure({
      ROTOR_API_URL: "ftp://rotor",
      CRON_SECRET: "short",
      OUTBOX_BACKOFF_SECONDS: "0",
    });
    expect(message).toMatch(/^ {2}ROTOR_API_URL: must be an http\(s\) URL/m);
    expect(message).toMatch(/^ {2}CRON_SECRET: must be at least 16 characters/m);
    expect(message).toMatch(/^ {2}OUTBOX_BACKOFF_SECONDS: must be more than zero/m);
  });

  it("an empty numeric setting counts as unset", () => {
    expect(parseEnv({ API_DAILY_LIMIT: "", LIST_CACHE_TTL_SECONDS: "" })).toMatchObject({
      API_DAILY_LIMIT: 1000,
      LIST_CACHE_TTL_SECONDS: 300,
    });
  });

  it("refuses a short AUTH_SECRET and a negative fill time", () => {
    const message = failure({ AUTH_SECRET: "short", INTAKE_MIN_FILL_SECONDS: "-1" });
    expect(message).toMatch(/^ {2}AUTH_SECRET: must be at least 32 characters/m);
    expect(message).toMatch(/^ {2}INTAKE_MIN_FILL_SECONDS: must be zero or more/m);
  });

  it("wants both halves of a GitHub or Google sign-in, or neither", () => {
    expect(() => parseEnv({ AUTH_GITHUB_ID: "id" })).toThrow(
      "AUTH_GITHUB_SECRET: AUTH_GITHUB_ID and AUTH_GITHUB_SECRET must be set together",
    );
    expect(() => parseEnv({ AUTH_GOOGLE_SECRET: "secret" })).toThrow(
      "AUTH_GOOGLE_ID: AUTH_GOOGLE_ID and AUTH_GOOGLE_SECRET must be set together",
    );
    expect(parseEnv({ AUTH_GITHUB_ID: "id", AUTH_GITHUB_SECRET: "s" }).AUTH_GITHUB_ID).toBe("id");
  });

  it("wants both Turnstile keys or neither", () => {
    expect(failure({ TURNSTILE_SITE_KEY: "site" })).toMatch(
      /^ {2}TURNSTILE_SECRET_KEY: TURNSTILE_SITE_KEY and TURNSTILE_SECRET_KEY must be set together/m,
    );
    expect(
      parseEnv({ TURNSTILE_SITE_KEY: "site", TURNSTILE_SECRET_KEY: "secret" }).TURNSTILE_VERIFY_URL,
    ).toBe("https://challenges.cloudflare.com/turnstile/v0/siteverify");
  });

  it("names what email, texts and push still need, and refuses a PUBLIC_URL that is not an origin", () => {
    expect(() => parseEnv({ SMTP_URL: "smtp://user:pass@mail.example.com:587" })).toThrow(
      /MAIL_FROM: is required/,
    );
    expect(() => parseEnv({ RESEND_API_KEY: "re_123" })).toThrow(/MAIL_FROM: is required/);
    expect(() => parseEnv({ SMTP_URL: "http://mail.example.com", MAIL_FROM: "a@b.c" })).toThrow(
      /SMTP_URL: must be/,
    );
    expect(() => parseEnv({ TWILIO_ACCOUNT_SID: "AC1", TWILIO_AUTH_TOKEN: "t" })).toThrow(
      /TWILIO_FROM: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM must be set together/,
    );
    expect(() => parseEnv({ VAPID_PUBLIC_KEY: "BPub" })).toThrow(/VAPID_PRIVATE_KEY: /);
    expect(() => parseEnv({ PUBLIC_URL: "https://leads.example.com/admin" })).toThrow(
      /PUBLIC_URL: must be an origin/,
    );
    const ok = parseEnv({
      SMTP_URL: "smtps://user:pass@mail.example.com:465",
      MAIL_FROM: "Leads <leads@example.com>",
      TWILIO_ACCOUNT_SID: "AC1",
      TWILIO_AUTH_TOKEN: "token",
      TWILIO_FROM: "+16125550100",
      PUBLIC_URL: "https://leads.example.com",
    });
    expect([ok.SMTP_URL, ok.TWILIO_FROM, ok.PUBLIC_URL]).toEqual([
      "smtps://user:pass@mail.example.com:465",
      "+16125550100",
      "https://leads.example.com",
    ]);
  });
});
