import fc from "fast-check";
import { NextRequest } from "next/server";
import { beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import * as authRoute from "@/app/api/auth/[...nextauth]/route";
import * as intake from "@/app/api/intake/[slug]/route";
import * as catchAll from "@/app/open-api/[[...path]]/route";
import * as authTestRoute from "@/app/open-api/auth/test/route";
import * as leadRoute from "@/app/open-api/leads/[id]/route";
import * as leadsRoute from "@/app/open-api/leads/route";
import { HONEYPOT_FIELD, TOKEN_FIELD } from "@/lib/forms/guard";
import { CONTACT_FORM } from "@/lib/forms/schema";
import { createForm } from "@/lib/forms/repository";
import { leadResponseSchema, listResponseSchema, upsertResponseSchema } from "@/lib/leads/schema";
import { BASE, newTenant } from "../support/fixtures";
import { newUser, ORIGIN } from "../support/staff";

/**
 * Property-based fuzzing of every public endpoint: FUZZ_RUNS generated bodies, header sets and
 * query strings each (1,000 unless set; .ci/run sets 10,000), through the real route handlers and
 * stores. Never a 5xx, and every answer in the contract's shapes.
 */
function fuzzRuns(value: string | undefined): number {
  if (value === undefined || value === "") return 1_000;
  const runs = Number(value);
  if (!Number.isSafeInteger(runs) || runs < 1)
    throw new Error(`FUZZ_RUNS must be a positive integer: ${value}`);
  return runs;
}
const RUNS = fuzzRuns(process.env.FUZZ_RUNS);
const SEED = 20261123;
// 10,000 runs of one property take 5 to 30 s here; a slower machine gets room, not a failure.
const FUZZ_TIMEOUT_MS = 300_000;

const errorBodySchema = z.strictObject({
  status: z.literal("error"),
  message: z.string().min(1),
  error_code: z.string().optional(),
  errors: z.array(z.strictObject({ field: z.string(), message: z.string().min(1) })).optional(),
});

/** Checks one answer of the API: below 500, JSON, and one of the contract's bodies. */
async function expectContract(response: Response, success: z.ZodType): Promise<void> {
  const text = await response.text();
  expect(response.status, text).toBeLessThan(500);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(response.headers.get("rotor-api-version")).toBe("1.1.0");
  const body: unknown = JSON.parse(text);
  const schema = response.status < 300 ? success : errorBodySchema;
  const parsed = schema.safeParse(body);
  expect(parsed.success, `${response.status} ${text.slice(0, 300)}`).toBe(true);
}

// Values of every JSON type, strings with what breaks naive code: NUL, lone surrogates, long runs.
const nasty = fc.oneof(
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.constantFrom(
    "",
    " ",
    "\u0000",
    "\uD800",
    "null",
    "0",
    "-1",
    "1e309",
    "NaN",
    "<script>",
    "'; drop table leads;--",
  ),
  fc.string({ minLength: 400, maxLength: 700 }),
);
const jsonValue = fc.oneof(
  nasty,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(nasty, { maxLength: 60 }),
  fc.dictionary(nasty, nasty, { maxKeys: 3 }),
);
const LEAD_KEYS = [
  "id",
  "name",
  "email",
  "phone",
  "address_street1",
  "address_city",
  "address_zip",
  "follow_up_date",
  "notes",
  "priority",
  "projected_value",
  "service_type",
  "source",
  "stage",
  "tags",
] as const;
const plausible = fc.oneof(
  fc.emailAddress(),
  fc.constantFrom(
    "+16125550100",
    "(612) 555-0100",
    "612.555.0100",
    "2026-05-01",
    "2026-05-01T15:00:00Z",
    "high",
  ),
  fc.uuid(),
);
const leadLike = fc.dictionary(fc.constantFrom(...LEAD_KEYS), fc.oneof(jsonValue, plausible), { maxKeys: 8 });
const bodyText = fc.oneof(
  leadLike.map((v) => JSON.stringify(v)),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc.string({ unit: "binary", maxLength: 200 }),
);
// Header values a client can send (visible ASCII and spaces).
const headerValue = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)),
  maxLength: 80,
});
const queryString = fc
  .dictionary(
    fc.oneof(
      fc.constantFrom("search", "stage", "tags", "archived", "limit", "page"),
      fc.string({ maxLength: 8 }),
    ),
    fc.oneof(nasty, fc.integer().map(String), fc.constantFrom("true", "false", "1000", "1001", "0")),
    { maxKeys: 6 },
  )
  .map((params) => new URLSearchParams(params).toString());

describe("fuzzing the public endpoints", () => {
  let key: string;
  let slug: string;

  beforeAll(async () => {
    const tenant = await newTenant();
    key = tenant.key;
    // A form of its own: the hourly limits it fills (kept in KV) touch no other test's form.
    slug = `fuzz-${tenant.company.slug}`;
    await createForm(tenant.company.id, { ...CONTACT_FORM, slug });
  });

  it(
    `POST /open-api/leads: ${RUNS} generated bodies`,
    async () => {
      await fc.assert(
        fc.asyncProperty(bodyText, async (body) => {
          const response = await leadsRoute.POST(
            new Request(`${BASE}/leads`, {
              method: "POST",
              headers: { "x-api-key": key, "content-type": "application/json" },
              body,
            }),
            { params: Promise.resolve({}) } as never,
          );
          await expectContract(response, upsertResponseSchema);
        }),
        { numRuns: RUNS, seed: SEED },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    `GET /open-api/leads and /open-api/leads/{id}: ${RUNS} generated query strings and ids`,
    async () => {
      await fc.assert(
        // A URL carries well-formed text only: a lone surrogate cannot be sent.
        fc.asyncProperty(
          queryString,
          fc.oneof(
            fc.uuid(),
            nasty.map((v) => v.toWellFormed()),
          ),
          async (query, id) => {
            const headers = { "x-api-key": key };
            await expectContract(
              await leadsRoute.GET(new Request(`${BASE}/leads?${query}`, { headers }), {
                params: Promise.resolve({}),
              } as never),
              listResponseSchema,
            );
            await expectContract(
              await leadRoute.GET(
                new Request(`${BASE}/leads/${encodeURIComponent(id)}?${query}`, { headers }),
                {
                  params: Promise.resolve({ id }),
                },
              ),
              leadResponseSchema,
            );
          },
        ),
        { numRuns: RUNS, seed: SEED },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    `every /open-api route: ${RUNS} generated header sets`,
    async () => {
      const routes = [
        (req: Request) => authTestRoute.GET(req, { params: Promise.resolve({}) } as never),
        (req: Request) => leadsRoute.GET(req, { params: Promise.resolve({}) } as never),
        () => catchAll.GET(),
      ];
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(0, 1, 2),
          fc.option(fc.oneof(headerValue, fc.constant(key), fc.constant(`${key}x`))),
          fc.option(fc.oneof(headerValue, fc.constant("1.1.0"), fc.constant(" 1.1.0 "))),
          fc.dictionary(
            fc.constantFrom("content-type", "accept", "x-forwarded-for", "origin", "cookie"),
            headerValue,
            {
              maxKeys: 3,
            },
          ),
          async (route, apiKey, version, extra) => {
            const headers: Record<string, string> = { ...extra };
            if (apiKey !== null) headers["x-api-key"] = apiKey;
            if (version !== null) headers["rotor-api-version"] = version;
            const response = await routes[route]!(new Request(`${BASE}/leads`, { headers }));
            await expectContract(response, z.looseObject({ status: z.literal("success") }));
          },
        ),
        { numRuns: RUNS, seed: SEED },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    `POST /api/intake/{slug}: ${RUNS} generated JSON and form bodies`,
    async () => {
      const field = fc.constantFrom(
        "name",
        "email",
        "phone",
        "notes",
        "service_type",
        "consent",
        TOKEN_FIELD,
        HONEYPOT_FIELD,
        "_page",
        "_ref",
        "x",
      );
      const formBody = fc.dictionary(field, fc.oneof(nasty, plausible), { maxKeys: 6 });
      await fc.assert(
        fc.asyncProperty(
          fc.boolean(),
          fc.oneof(
            formBody.map((v) => JSON.stringify(v)),
            bodyText,
          ),
          formBody,
          async (json, jsonText, fields) => {
            const response = await intake.POST(
              new Request(`${ORIGIN}/api/intake/${slug}`, {
                method: "POST",
                headers: {
                  "content-type": json ? "application/json" : "application/x-www-form-urlencoded",
                  "x-forwarded-for": "203.0.113.9",
                },
                body: json ? jsonText : new URLSearchParams(fields).toString(),
              }),
              { params: Promise.resolve({ slug }) },
            );
            const text = await response.text();
            expect(response.status, text.slice(0, 300)).toBeLessThan(500);
            if (json) {
              const body: unknown = JSON.parse(text);
              if (response.status >= 400) expect(errorBodySchema.safeParse(body).success, text).toBe(true);
              else expect(body).toMatchObject({ status: "success" });
            } else {
              // A page again (422 with the errors), or on to the thank-you page.
              expect([303, 422, 400, 413]).toContain(response.status);
            }
          },
        ),
        { numRuns: RUNS, seed: SEED },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    `sign-in: ${RUNS} generated credentials`,
    async () => {
      const tenant = await newTenant();
      // Several accounts, so that none is tried past the sign-in limit within the client's
      // allowance: attempts past it wait (sign-in.test.ts), which would only slow the fuzzing.
      const emails: string[] = [];
      for (let i = 0; i < 5; i++) emails.push((await newUser(tenant.company.id, "member")).email);
      const csrf = await authRoute.GET(new NextRequest(`${ORIGIN}/api/auth/csrf`));
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      const cookie = csrf.headers
        .getSetCookie()
        .map((c) => c.split(";")[0])
        .join("; ");
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(fc.constantFrom(...emails), fc.emailAddress(), nasty),
          nasty,
          fc.boolean(),
          async (email, password, withCsrf) => {
            const response = await authRoute.POST(
              new NextRequest(`${ORIGIN}/api/auth/callback/credentials`, {
                method: "POST",
                headers: {
                  "content-type": "application/x-www-form-urlencoded",
                  cookie,
                  "x-forwarded-for": "198.51.100.7",
                },
                body: new URLSearchParams({
                  ...(withCsrf ? { csrfToken } : {}),
                  email,
                  password,
                  callbackUrl: "/admin",
                }),
              }),
            );
            await response.arrayBuffer();
            expect(response.status).toBeLessThan(500);
            // Refused every time: a redirect back to sign-in with an error, never a session.
            expect(response.headers.getSetCookie().some((c) => c.startsWith("authjs.session-token="))).toBe(
              false,
            );
          },
        ),
        { numRuns: RUNS, seed: SEED },
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
