import { isSupportedCountry } from "libphonenumber-js";
import { z } from "zod";
import { parseTrustedProxies } from "@/lib/http/ip";

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

// An empty value counts as unset, as it does for every other setting.
const positiveInt = (fallback: number) =>
  z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce
      .number({ error: "must be a positive integer" })
      .int("must be a positive integer")
      .positive("must be a positive integer")
      .default(fallback),
  );

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    // Set by Vercel on its builds and functions.
    VERCEL: optionalString,
    DATABASE_URL: optionalString.refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), {
      message: "must be a postgres:// or postgresql:// URL",
    }),
    DATA_DIR: z.string().trim().min(1).default(".data"),
    REDIS_URL: optionalString.refine((v) => v === undefined || /^rediss?:\/\//.test(v), {
      message: "must be a redis:// or rediss:// URL",
    }),
    KV_REST_API_URL: optionalString.refine((v) => v === undefined || /^https?:\/\//.test(v), {
      message: "must be an http(s) URL",
    }),
    KV_REST_API_TOKEN: optionalString,
    DEFAULT_PHONE_REGION: z
      .string()
      .trim()
      .toUpperCase()
      .default("US")
      .refine((v) => isSupportedCountry(v), { message: "must be a two-letter country code such as US" }),
    DEFAULT_COMPANY_NAME: z.string().trim().min(1).default("My company"),
    API_DAILY_LIMIT: positiveInt(1000),
    LIST_CACHE_TTL_SECONDS: positiveInt(300),
    DATABASE_POOL_SIZE: positiveInt(10),
    // Signs staff sessions and the tokens in rendered forms; required in production, elsewhere
    // generated into DATA_DIR when unset (lib/secret.ts).
    AUTH_SECRET: optionalString.refine((v) => v === undefined || v.length >= 32, {
      message: "must be at least 32 characters (openssl rand -base64 32)",
    }),
    // Optional sign-in with GitHub or Google, for people an admin has added (matched by email).
    AUTH_GITHUB_ID: optionalString,
    AUTH_GITHUB_SECRET: optionalString,
    AUTH_GOOGLE_ID: optionalString,
    AUTH_GOOGLE_SECRET: optionalString,
    SIGN_IN_ATTEMPTS_PER_15_MINUTES: positiveInt(10),
    // A session ends this many days after its sign-in, however often it is refreshed.
    SESSION_MAX_AGE_DAYS: positiveInt(7),
    // The proxies whose X-Forwarded-For entries are believed (lib/http/client-address.ts): a count
    // of hops, or a comma-separated list of addresses and CIDR ranges. Unset: none; the client's
    // address is the connection's.
    TRUSTED_PROXIES: optionalString.transform((v, ctx) => {
      if (v === undefined) return undefined;
      const parsed = parseTrustedProxies(v);
      if (parsed === null) {
        ctx.addIssue({
          code: "custom",
          message: "must be a number of proxies or a comma-separated list of addresses and CIDR ranges",
        });
        return z.NEVER;
      }
      return parsed;
    }),
    // Renamed: without a proxy in front no count of hops is right, so the default now trusts none.
    PROXY_HOPS: z
      .unknown()
      .optional()
      .refine((v) => v === undefined || v === "", {
        message: "was replaced by TRUSTED_PROXIES (a count of hops, or the proxies' addresses)",
      })
      .transform(() => undefined),
    INTAKE_MIN_FILL_SECONDS: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.coerce.number({ error: "must be a number of seconds" }).min(0, "must be zero or more").default(3),
    ),
    INTAKE_PER_IP_PER_HOUR: positiveInt(20),
    INTAKE_PER_FORM_PER_HOUR: positiveInt(1000),
    // Spam submissions are kept this long for staff to look through, then purged.
    SPAM_RETENTION_DAYS: positiveInt(30),
    // Cloudflare Turnstile on the intake forms, when both keys are set.
    TURNSTILE_SITE_KEY: optionalString,
    TURNSTILE_SECRET_KEY: optionalString,
    TURNSTILE_VERIFY_URL: z
      .string()
      .trim()
      .default("https://challenges.cloudflare.com/turnstile/v0/siteverify")
      .refine((v) => /^https?:\/\//.test(v), { message: "must be an http(s) URL" }),
    // Lets `next start` (NODE_ENV=production) run on the embedded database and in-process KV: one
    // instance, on a disk that persists.
    ALLOW_EMBEDDED_STORES: z
      .enum(["true", "false", ""], { error: "must be true or false" })
      .optional()
      .transform((v) => v === "true"),
    // Upstream mode: leads live in this Rotor account (lib/upstream), not in the database.
    ROTOR_API_KEY: optionalString,
    ROTOR_API_URL: z
      .string()
      .trim()
      .default("https://api.getrotor.com/open-api")
      .refine((v) => /^https?:\/\//.test(v), { message: "must be an http(s) URL" }),
    // The company whose leads live in Rotor (by slug); any other company keeps its own here.
    ROTOR_COMPANY: z.string().trim().min(1).default("default"),
    ROTOR_DAILY_QUOTA: positiveInt(1000),
    ROTOR_TIMEOUT_MS: positiveInt(10_000),
    // Vercel Cron sends it as a bearer token to /api/cron/outbox.
    CRON_SECRET: optionalString.refine((v) => v === undefined || v.length >= 16, {
      message: "must be at least 16 characters (openssl rand -base64 32)",
    }),
    // Photos attached to forms go to Vercel Blob with this token (lib/photos/storage.ts); unset, to
    // the database (DATABASE_URL), else to files under DATA_DIR.
    BLOB_READ_WRITE_TOKEN: optionalString,
    // Vercel Blob's API (the same setting its SDK reads).
    VERCEL_BLOB_API_URL: z
      .string()
      .trim()
      .default("https://vercel.com/api/blob")
      .refine((v) => /^https?:\/\//.test(v), { message: "must be an http(s) URL" }),
    // Where staff reach the portal (https://leads.example.com): alerts and emails link there. Unset,
    // Vercel's production address is used, else the address admins use (lib/company/profile.ts).
    PUBLIC_URL: optionalString.refine((v) => v === undefined || /^https?:\/\/[^/]+\/?$/.test(v), {
      message: "must be an origin such as https://leads.example.com",
    }),
    // Email for alerts and auto-replies: an SMTP server, or Resend's API (lib/alerts/mail.ts).
    SMTP_URL: optionalString.refine((v) => v === undefined || /^smtps?:\/\//.test(v), {
      message: "must be an smtp:// or smtps:// URL (smtp://user:pass@host:587)",
    }),
    MAIL_FROM: optionalString,
    RESEND_API_KEY: optionalString,
    RESEND_API_URL: z.string().trim().url().default("https://api.resend.com"),
    // Text messages through Twilio (lib/alerts/sms.ts).
    TWILIO_ACCOUNT_SID: optionalString,
    TWILIO_AUTH_TOKEN: optionalString,
    TWILIO_FROM: optionalString,
    TWILIO_API_URL: z.string().trim().url().default("https://api.twilio.com"),
    // Web push keys (lib/alerts/push.ts); unset, a pair is derived from the auth secret.
    VAPID_PUBLIC_KEY: optionalString,
    VAPID_PRIVATE_KEY: optionalString,
    // Webhook endpoints may be on these hosts although they resolve to a loopback or private address
    // (an internal receiver): comma-separated host names or literal addresses.
    WEBHOOK_ALLOWED_HOSTS: optionalString.transform((v) =>
      (v ?? "")
        .split(",")
        .map((h) =>
          h
            .trim()
            .toLowerCase()
            .replace(/^\[(.*)\]$/, "$1"),
        )
        .filter((h) => h !== ""),
    ),
    // Endpoints one company may register.
    WEBHOOK_ENDPOINTS_PER_COMPANY: positiveInt(10),
    // How often a long-running server delivers what the outbox holds (Vercel uses its cron job).
    OUTBOX_INTERVAL_SECONDS: positiveInt(15),
    // The first wait after a failed delivery; each later one doubles, up to an hour.
    OUTBOX_BACKOFF_SECONDS: z.preprocess(
      (v) => (v === "" ? undefined : v),
      z.coerce
        .number({ error: "must be a number of seconds" })
        .positive("must be more than zero")
        .default(30),
    ),
  })
  .superRefine((env, ctx) => {
    // On Vercel the disk is read-only and instances come and go: an embedded database would be
    // lost and an in-process KV would give each instance its own limits and cache.
    if (env.VERCEL) {
      if (!env.DATABASE_URL) {
        ctx.addIssue({
          code: "custom",
          path: ["DATABASE_URL"],
          message: "is required on Vercel (use Vercel Postgres or Neon)",
        });
      }
      if (!env.CRON_SECRET) {
        ctx.addIssue({
          code: "custom",
          path: ["CRON_SECRET"],
          message: "is required on Vercel: the outbox's cron job authenticates with it",
        });
      }
      if (!env.KV_REST_API_URL && !env.REDIS_URL) {
        ctx.addIssue({
          code: "custom",
          path: ["KV_REST_API_URL"],
          message: "or REDIS_URL is required on Vercel (connect a KV store)",
        });
      }
    }
    // In production, off Vercel too, the embedded stores lose data (an ephemeral disk, several
    // instances each with their own KV) unless the operator says this is one instance on a disk
    // that persists.
    if (env.NODE_ENV === "production" && !env.VERCEL && !env.ALLOW_EMBEDDED_STORES) {
      if (!env.DATABASE_URL) {
        ctx.addIssue({
          code: "custom",
          path: ["DATABASE_URL"],
          message:
            "is required in production: the embedded database is lost with its disk. For one instance on a disk that persists, set ALLOW_EMBEDDED_STORES=true",
        });
      }
      if (!env.KV_REST_API_URL && !env.REDIS_URL) {
        ctx.addIssue({
          code: "custom",
          path: ["REDIS_URL"],
          message:
            "or KV_REST_API_URL is required in production: an in-process KV is not shared between instances. For one instance, set ALLOW_EMBEDDED_STORES=true",
        });
      }
    }
    // A copy of a generated secret (a backup of .data, or of the database) would forge sessions; in
    // production the operator keeps it.
    if (env.NODE_ENV === "production" && !env.AUTH_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["AUTH_SECRET"],
        message: "is required in production (openssl rand -base64 32)",
      });
    }
    if (Boolean(env.TURNSTILE_SITE_KEY) !== Boolean(env.TURNSTILE_SECRET_KEY)) {
      ctx.addIssue({
        code: "custom",
        path: [env.TURNSTILE_SITE_KEY ? "TURNSTILE_SECRET_KEY" : "TURNSTILE_SITE_KEY"],
        message: "TURNSTILE_SITE_KEY and TURNSTILE_SECRET_KEY must be set together",
      });
    }
    for (const [id, secret] of [
      ["AUTH_GITHUB_ID", "AUTH_GITHUB_SECRET"],
      ["AUTH_GOOGLE_ID", "AUTH_GOOGLE_SECRET"],
    ] as const) {
      if (Boolean(env[id]) !== Boolean(env[secret])) {
        ctx.addIssue({
          code: "custom",
          path: [env[id] ? secret : id],
          message: `${id} and ${secret} must be set together`,
        });
      }
    }
    if ((env.SMTP_URL || env.RESEND_API_KEY) && !env.MAIL_FROM) {
      ctx.addIssue({
        code: "custom",
        path: ["MAIL_FROM"],
        message: "is required to send email (Leads <leads@example.com>)",
      });
    }
    const twilio = [env.TWILIO_ACCOUNT_SID, env.TWILIO_AUTH_TOKEN, env.TWILIO_FROM];
    if (twilio.some(Boolean) && !twilio.every(Boolean)) {
      ctx.addIssue({
        code: "custom",
        path: [["TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_FROM"][twilio.findIndex((v) => !v)]!],
        message: "TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM must be set together",
      });
    }
    if (Boolean(env.VAPID_PUBLIC_KEY) !== Boolean(env.VAPID_PRIVATE_KEY)) {
      ctx.addIssue({
        code: "custom",
        path: [env.VAPID_PUBLIC_KEY ? "VAPID_PRIVATE_KEY" : "VAPID_PUBLIC_KEY"],
        message:
          "VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY must be set together (npx web-push generate-vapid-keys)",
      });
    }
    if (Boolean(env.KV_REST_API_URL) !== Boolean(env.KV_REST_API_TOKEN)) {
      ctx.addIssue({
        code: "custom",
        path: [env.KV_REST_API_URL ? "KV_REST_API_TOKEN" : "KV_REST_API_URL"],
        message: "KV_REST_API_URL and KV_REST_API_TOKEN must be set together",
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

export class SettingsError extends Error {
  override name = "SettingsError";
}

/** Validates a set of settings; the message names every bad setting. */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map(
    (issue) => `  ${issue.path.join(".") || "settings"}: ${issue.message}`,
  );
  throw new SettingsError(`Invalid settings:\n${lines.join("\n")}`);
}

let cached: Env | undefined;

/** The process's settings, read and validated once. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Makes the next env() read process.env again, for tests that change settings (tests/support/settings.ts). */
export function reloadEnv(): void {
  cached = undefined;
}
