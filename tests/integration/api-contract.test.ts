import { randomBytes, randomUUID } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BASE, client, fullLead, newTenant, type ApiResult } from "../support/fixtures";
import * as leadsRoute from "@/app/open-api/leads/route";
import * as leadRoute from "@/app/open-api/leads/[id]/route";
import * as authTestRoute from "@/app/open-api/auth/test/route";
import * as catchAll from "@/app/open-api/[[...path]]/route";
import { createApiKey, revokeApiKey } from "@/lib/auth/api-keys";
import { errorResponse } from "@/lib/api/respond";
import { setClock } from "@/lib/clock";
import { upsertForApi } from "@/lib/leads";

/**
 * The API contract (/work/shared/CONTRACT.md) checked through the real route handlers, against the
 * real database and KV. Every test has a company and key of its own.
 */

type Json = Record<string, unknown>;
type FieldError = { field: string; message: string };
type ErrorBody = { status: string; message: string; error_code?: string; errors?: FieldError[] };
type Lead = Json & { id: string; name: string | null; phone: string | null; tags: string[] };
type ListBody = { data: Lead[]; pagination: { total: number; has_more: boolean }; status: string };

const noParams = { params: Promise.resolve({}) } as { params: Promise<Record<string, never>> };

const AUTH_REQUIRED = {
  status: "error",
  message: "Authentication required. Provide x-api-key header.",
  error_code: "AUTHENTICATION_REQUIRED",
};
const NOT_FOUND = { status: "error", message: "Not found" };
const INTERNAL = { status: "error", message: "Internal server error" };
const invalidKeyBody = { status: "error", message: expect.any(String), error_code: "INVALID_API_KEY" };
const scopeBody = (scope: string) => ({
  status: "error",
  message: `Forbidden: required scope '${scope}' not granted for this API key`,
  error_code: "INSUFFICIENT_SCOPE",
});
const rateLimitedBody = (limit: number) => ({
  status: "error",
  message: `Daily API key request limit of ${limit} exceeded`,
  error_code: "RATE_LIMIT_EXCEEDED",
});
const validation = (...errors: FieldError[]) => ({ status: "error", message: "Validation failed", errors });

const DATE_MESSAGE = "Invalid date format: use ISO 8601, such as 2026-05-01 or 2026-05-01T15:00:00Z";

/** A well-formed key (same shape as real ones) that was never issued. */
const unknownKey = () => `lip_${randomBytes(32).toString("base64url")}`;

/** Epoch seconds of the UTC midnight after `at`. */
const nextUtcMidnight = (at: Date) =>
  Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate() + 1) / 1000;

function expectJsonAndVersion(headers: Headers) {
  expect(headers.get("rotor-api-version")).toBe("1.1.0");
  expect(headers.get("content-type")).toMatch(/^application\/json\b/);
}

function expectRateLimitHeaders(headers: Headers, limit: number, remaining: number, at: Date = new Date()) {
  expect(headers.get("x-ratelimit-limit")).toBe(String(limit));
  expect(headers.get("x-ratelimit-remaining")).toBe(String(remaining));
  expect(headers.get("x-ratelimit-reset")).toBe(String(nextUtcMidnight(at)));
}

async function settle<T = Json>(response: Response): Promise<ApiResult<T>> {
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as T, headers: response.headers };
}

/** POST /leads with any body, headers exactly as given (no content-type or length added for a stream). */
async function rawPost(body: BodyInit, headers: Record<string, string>) {
  const init: RequestInit & { duplex?: "half" } = { method: "POST", headers, body };
  if (body instanceof ReadableStream) init.duplex = "half";
  return settle<ErrorBody>(await leadsRoute.POST(new Request(`${BASE}/leads`, init), noParams));
}

/** A body sent in chunks with no content-length, as a chunked transfer arrives. */
function chunkedStream(text: string, chunkBytes = 8 * 1024): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.byteLength) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(offset, offset + chunkBytes));
      offset += chunkBytes;
    },
  });
}

/** A POST response without its envelope keys: the lead as GET /leads/{id} shows it. */
function leadOf(body: Json): Json {
  const lead = { ...body };
  delete lead.message;
  delete lead.status;
  return lead;
}

/** A JSON object of exactly `bytes` UTF-8 bytes, padded with a field the API ignores. */
function jsonOfBytes(bytes: number): string {
  const skeleton = JSON.stringify({ name: "Padded", padding: "" });
  return JSON.stringify({ name: "Padded", padding: "x".repeat(bytes - skeleton.length) });
}

afterEach(() => {
  setClock(null);
  vi.restoreAllMocks();
});

describe("authentication", () => {
  it("401 AUTHENTICATION_REQUIRED with Rotor's exact message when x-api-key is missing", async () => {
    const anonymous = client(null);
    for (const res of [await anonymous.authTest(), await anonymous.list(), await anonymous.post({})]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual(AUTH_REQUIRED);
      expectJsonAndVersion(res.headers);
    }
    const get = await anonymous.get(randomUUID());
    expect(get.status).toBe(401);
    expect(get.body).toEqual(AUTH_REQUIRED);
  });

  it("treats an empty or whitespace-only x-api-key as missing", async () => {
    for (const key of ["", "   ", "\t"]) {
      const res = await client(key).authTest();
      expect(res.status).toBe(401);
      expect(res.body).toEqual(AUTH_REQUIRED);
    }
  });

  it("401 INVALID_API_KEY for unknown and malformed keys", async () => {
    for (const key of [unknownKey(), "not-a-key", "lip_short", `${unknownKey()}x`, "Bearer abc"]) {
      const res = await client(key).authTest();
      expect(res.status).toBe(401);
      expect(res.body).toEqual(invalidKeyBody);
      expectJsonAndVersion(res.headers);
      expect(res.headers.get("x-ratelimit-limit")).toBeNull();
    }
  });

  it("401 INVALID_API_KEY once a key is revoked, on every route", async () => {
    const { api, keyId } = await newTenant();
    const created = await api.post<Lead>({ name: "Before revoke" });
    expect(created.status).toBe(201);
    expect((await api.authTest()).status).toBe(200);

    expect(await revokeApiKey(keyId)).toBe(true);

    for (const res of [
      await api.authTest(),
      await api.list(),
      await api.get(created.body.id),
      await api.post({ name: "After revoke" }),
    ]) {
      expect(res.status).toBe(401);
      expect(res.body).toEqual(invalidKeyBody);
    }
    // Revoking twice finds no active key.
    expect(await revokeApiKey(keyId)).toBe(false);
  });
});

describe("rotor-api-version", () => {
  it("absent or 1.1.0 works", async () => {
    const { key, api } = await newTenant();
    expect((await api.authTest()).status).toBe(200);
    const pinned = client(key, { "rotor-api-version": "1.1.0" });
    expect((await pinned.authTest()).status).toBe(200);
    expect((await pinned.list()).status).toBe(200);
    expect((await pinned.post({ name: "Versioned" })).status).toBe(201);
  });

  it("any other version is 400 UNSUPPORTED_API_VERSION", async () => {
    const { key } = await newTenant();
    for (const version of ["2.0.0", "1.0.0", "1.1", "latest"]) {
      const versioned = client(key, { "rotor-api-version": version });
      for (const res of [await versioned.authTest(), await versioned.list(), await versioned.post({})]) {
        expect(res.status).toBe(400);
        expect(res.body).toEqual({
          status: "error",
          message: expect.any(String),
          error_code: "UNSUPPORTED_API_VERSION",
        });
        expectJsonAndVersion(res.headers);
      }
    }
  });

  it("is checked before authentication: a bad version with no key or a bad key is 400, not 401", async () => {
    for (const key of [null, "", unknownKey(), "garbage"]) {
      const res = await client(key, { "rotor-api-version": "2.0.0" }).authTest();
      expect(res.status).toBe(400);
      expect((res.body as ErrorBody).error_code).toBe("UNSUPPORTED_API_VERSION");
    }
  });

  it("a refused version does not create a lead", async () => {
    const { key, api } = await newTenant();
    const res = await client(key, { "rotor-api-version": "2.0.0" }).post({ name: "Nope" });
    expect(res.status).toBe(400);
    const list = await api.list<ListBody>();
    expect(list.body.pagination.total).toBe(0);
  });
});

describe("response headers", () => {
  it("success responses carry rotor-api-version, JSON content-type and X-RateLimit-*", async () => {
    const at = new Date("2031-06-10T12:00:00Z");
    setClock(() => at);
    const { api } = await newTenant({ dailyLimit: 50 });
    const created = await api.post<Lead>({ name: "Header check" });
    expect(created.status).toBe(201);
    expectJsonAndVersion(created.headers);
    expectRateLimitHeaders(created.headers, 50, 49, at);

    const list = await api.list();
    expectJsonAndVersion(list.headers);
    expectRateLimitHeaders(list.headers, 50, 48, at);

    const one = await api.get(created.body.id);
    expect(one.status).toBe(200);
    expectJsonAndVersion(one.headers);
    expectRateLimitHeaders(one.headers, 50, 47, at);

    const auth = await api.authTest();
    expectJsonAndVersion(auth.headers);
    expectRateLimitHeaders(auth.headers, 50, 46, at);
  });

  it("authenticated error responses (403, 400, 404) carry X-RateLimit-* too", async () => {
    const at = new Date("2031-06-10T08:30:00Z");
    setClock(() => at);
    const readOnly = await newTenant({ scopes: ["leads:read"], dailyLimit: 20 });
    const forbidden = await readOnly.api.post({ name: "x" });
    expect(forbidden.status).toBe(403);
    expectJsonAndVersion(forbidden.headers);
    expectRateLimitHeaders(forbidden.headers, 20, 19, at);

    const badQuery = await readOnly.api.list({ limit: 0 });
    expect(badQuery.status).toBe(400);
    expectJsonAndVersion(badQuery.headers);
    expectRateLimitHeaders(badQuery.headers, 20, 18, at);

    const missing = await readOnly.api.get(randomUUID());
    expect(missing.status).toBe(404);
    expectJsonAndVersion(missing.headers);
    expectRateLimitHeaders(missing.headers, 20, 17, at);

    const { api } = await newTenant({ dailyLimit: 20 });
    const badBody = await api.post({ email: "nope" });
    expect(badBody.status).toBe(400);
    expectRateLimitHeaders(badBody.headers, 20, 19, at);
  });

  it("X-RateLimit-Reset is the next UTC midnight in epoch seconds", async () => {
    const at = new Date("2031-12-31T23:30:00Z");
    setClock(() => at);
    const { api } = await newTenant({ dailyLimit: 5 });
    const res = await api.authTest();
    expect(res.headers.get("x-ratelimit-reset")).toBe(String(Date.UTC(2032, 0, 1) / 1000));
  });
});

describe("scopes", () => {
  it("403 naming 'leads:write' when a read-only key posts, and nothing is written", async () => {
    const { key, company } = await newTenant({ scopes: ["leads:read"] });
    const readOnly = client(key);
    const res = await readOnly.post({ name: "Should not exist", phone: "(612) 555-0100" });
    expect(res.status).toBe(403);
    expect(res.body).toEqual(scopeBody("leads:write"));
    expectJsonAndVersion(res.headers);
    // The read-only key can still read, and sees nothing was created.
    const list = await readOnly.list<ListBody>();
    expect(list.status).toBe(200);
    expect(list.body.pagination.total).toBe(0);
    expect((await readOnly.authTest()).body).toMatchObject({ company_id: company.id });
  });

  it("403 naming 'leads:read' when a write-only key lists or gets", async () => {
    const { api } = await newTenant({ scopes: ["leads:write"] });
    const created = await api.post<Lead>({ name: "Write only" });
    expect(created.status).toBe(201);

    const list = await api.list();
    expect(list.status).toBe(403);
    expect(list.body).toEqual(scopeBody("leads:read"));

    const one = await api.get(created.body.id);
    expect(one.status).toBe(403);
    expect(one.body).toEqual(scopeBody("leads:read"));
  });

  it("a write-only key gets back the id, the outcome and what it sent, never what was stored", async () => {
    const { api, company } = await newTenant();
    const stored = await api.post<Lead>(
      fullLead({ phone: "(612) 555-0142", email: "kept@example.com", tags: ["vip"] }),
    );
    expect(stored.status).toBe(201);
    const { key } = await createApiKey({
      companyId: company.id,
      name: "website",
      scopes: ["leads:write"],
      dailyLimit: 100,
    });
    const writeOnly = client(key);

    const matched = await writeOnly.post({ phone: " 612.555.0142 ", tags: ["spring"], notes: "" });
    expect(matched.status).toBe(200);
    expect(matched.body).toEqual({
      id: stored.body.id,
      phone: "612.555.0142",
      tags: ["spring"],
      message: "Lead updated successfully",
      status: "success",
    });
    const created = await writeOnly.post({ name: "New person" });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: "New person",
      message: "Lead created successfully",
      status: "success",
    });
    // The write itself went through as for any key: the tags merged, the rest kept.
    const after = await api.get<{ data: Lead }>(stored.body.id);
    expect(after.body.data).toMatchObject({ email: "kept@example.com", tags: ["vip", "spring"] });
  });

  it("scope is checked before the body: a read-only key with a bad body is 403, not 400", async () => {
    const { api } = await newTenant({ scopes: ["leads:read"] });
    const res = await api.post("{not json");
    expect(res.status).toBe(403);
    expect(res.body).toEqual(scopeBody("leads:write"));
  });

  it("auth/test works with any scope", async () => {
    for (const scopes of [["leads:read"], ["leads:write"], ["leads:read", "leads:write"], []] as const) {
      const { api, company } = await newTenant({ scopes: [...scopes] });
      const res = await api.authTest();
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ authenticated: true, company_id: company.id, scopes: [...scopes] });
    }
  });
});

describe("auth/test", () => {
  it("returns exactly the documented shape", async () => {
    const at = new Date("2031-03-04T10:11:12.345Z");
    setClock(() => at);
    const { api, company } = await newTenant({ scopes: ["leads:read", "leads:write"] });
    const res = await api.authTest();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: "success",
      message: "Authentication successful",
      authenticated: true,
      company_id: company.id,
      user_id: null,
      auth_method: "api_key",
      rotor_api_version: "1.1.0",
      scopes: ["leads:read", "leads:write"],
      timestamp: "2031-03-04T10:11:12.345Z",
    });
    expectJsonAndVersion(res.headers);
  });

  it("timestamp is ISO 8601 UTC on the real clock", async () => {
    const { api } = await newTenant({ scopes: ["leads:read"] });
    const res = await api.authTest<{ timestamp: string; scopes: string[] }>();
    expect(res.body.timestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect(new Date(res.body.timestamp).toISOString()).toBe(res.body.timestamp);
    expect(res.body.scopes).toEqual(["leads:read"]);
  });
});

describe("daily limit", () => {
  it("requests 1..1000 succeed, the 1001st is 429 with Retry-After, and the next UTC day works again", async () => {
    const lastMinute = new Date("2031-03-04T23:59:00Z");
    setClock(() => lastMinute);
    const { api } = await newTenant({ dailyLimit: 1000 });

    const statuses = new Map<number, number>();
    let last: ApiResult | undefined;
    for (let i = 1; i <= 1000; i++) {
      last = await api.authTest();
      statuses.set(last.status, (statuses.get(last.status) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).toEqual({ 200: 1000 });
    expectRateLimitHeaders(last!.headers, 1000, 0, lastMinute);

    const refused = await api.authTest();
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual(rateLimitedBody(1000));
    expectJsonAndVersion(refused.headers);
    const retryAfter = refused.headers.get("retry-after");
    expect(retryAfter).toMatch(/^[1-9]\d*$/);
    // One minute before midnight: the count restarts in 60 seconds.
    expect(Number(retryAfter)).toBe(60);
    expectRateLimitHeaders(refused.headers, 1000, 0, lastMinute);

    // Every route is refused, and a refused POST writes nothing.
    const post = await api.post({ name: "Refused" });
    expect(post.status).toBe(429);
    expect(post.body).toEqual(rateLimitedBody(1000));
    expect((await api.list()).status).toBe(429);
    expect((await api.get(randomUUID())).status).toBe(429);

    const nextDay = new Date("2031-03-05T00:00:30Z");
    setClock(() => nextDay);
    const again = await api.authTest();
    expect(again.status).toBe(200);
    expectRateLimitHeaders(again.headers, 1000, 999, nextDay);
    expect(again.headers.get("retry-after")).toBeNull();
    const list = await api.list<ListBody>();
    expect(list.status).toBe(200);
    expect(list.body.pagination.total).toBe(0);
  });

  it("a small limit is named in the message, and checks after it (body) are not reached", async () => {
    const at = new Date("2031-07-01T06:00:00Z");
    setClock(() => at);
    const { api } = await newTenant({ dailyLimit: 3 });
    expect((await api.authTest()).status).toBe(200);
    expect((await api.list()).status).toBe(200);
    expect((await api.post({ name: "Third" })).status).toBe(201);

    const refused = await api.post("{malformed");
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual(rateLimitedBody(3));
    expect(refused.headers.get("retry-after")).toBe(String(18 * 3600));
    expectRateLimitHeaders(refused.headers, 3, 0, at);
  });

  it("limits are per key: another key is unaffected", async () => {
    const at = new Date("2031-07-01T06:00:00Z");
    setClock(() => at);
    const spent = await newTenant({ dailyLimit: 1 });
    const fresh = await newTenant({ dailyLimit: 1 });
    expect((await spent.api.authTest()).status).toBe(200);
    expect((await spent.api.authTest()).status).toBe(429);
    expect((await fresh.api.authTest()).status).toBe(200);
  });
});

describe("body validation", () => {
  const cases: [string, Json, FieldError][] = [
    ["invalid email", { email: "not-an-email" }, { field: "email", message: "Invalid email format" }],
    ["bad phone", { phone: "12" }, { field: "phone", message: "Invalid phone number" }],
    [
      "bad priority",
      { priority: "urgent" },
      { field: "priority", message: "Must be one of: low, medium, high" },
    ],
    [
      "negative projected_value",
      { projected_value: -1 },
      { field: "projected_value", message: "Must be zero or more" },
    ],
    [
      "string projected_value",
      { projected_value: "100" },
      { field: "projected_value", message: "Must be a number" },
    ],
    [
      "notes over 2000",
      { notes: "n".repeat(2001) },
      { field: "notes", message: "Must be at most 2000 characters" },
    ],
    [
      "service_type over 100",
      { service_type: "s".repeat(101) },
      { field: "service_type", message: "Must be at most 100 characters" },
    ],
    [
      "name over 500",
      { name: "a".repeat(501) },
      { field: "name", message: "Must be at most 500 characters" },
    ],
    [
      "address_city over 500",
      { address_city: "c".repeat(501) },
      { field: "address_city", message: "Must be at most 500 characters" },
    ],
    ["tags not an array", { tags: "roof" }, { field: "tags", message: "Must be an array of strings" }],
    [
      "51 tags",
      { tags: Array.from({ length: 51 }, (_, i) => `t${i}`) },
      { field: "tags", message: "At most 50 tags" },
    ],
    [
      "a tag over 100",
      { tags: ["ok", "t".repeat(101)] },
      { field: "tags", message: "Must be at most 100 characters" },
    ],
    ["a tag that is not a string", { tags: ["ok", 5] }, { field: "tags", message: "Must be a string" }],
    ["name not a string", { name: 42 }, { field: "name", message: "Must be a string" }],
    [
      "bad follow_up_date",
      { follow_up_date: "next tuesday" },
      { field: "follow_up_date", message: DATE_MESSAGE },
    ],
    [
      "impossible follow_up_date",
      { follow_up_date: "2026-02-30" },
      { field: "follow_up_date", message: DATE_MESSAGE },
    ],
    ["bad id format", { id: "not-a-uuid" }, { field: "id", message: "Invalid id format" }],
  ];

  for (const [label, body, error] of cases) {
    it(`400 for ${label}, with nothing written`, async () => {
      const { api } = await newTenant();
      const res = await api.post({ name: "Valid name", ...body });
      expect(res.status).toBe(400);
      expect(res.body).toEqual(validation(error));
      expectJsonAndVersion(res.headers);
      expect((await api.list<ListBody>()).body.pagination.total).toBe(0);
    });
  }

  it("accepts the limits themselves (trimmed): notes 2000, service_type 100, name 500, 50 tags of 100", async () => {
    const { api } = await newTenant();
    const res = await api.post<Lead>({
      name: ` ${"a".repeat(500)} `,
      notes: `${"n".repeat(2000)}   `,
      service_type: "s".repeat(100),
      tags: Array.from({ length: 50 }, (_, i) => `${i}`.padEnd(100, "t")),
      projected_value: 0,
      priority: "high",
      follow_up_date: "2026-05-01T15:00:00Z",
    });
    expect(res.status).toBe(201);
    expect(res.body.name).toBe("a".repeat(500));
    expect(res.body.notes).toBe("n".repeat(2000));
    expect(res.body.tags).toHaveLength(50);
    expect(res.body.follow_up_date).toBe("2026-05-01T15:00:00.000Z");
  });

  it("several bad fields give one entry per field, named in snake_case as sent", async () => {
    const { api } = await newTenant();
    const res = await api.post<ErrorBody>({
      email: "bad",
      phone: "nope",
      projected_value: -5,
      follow_up_date: "soon",
      service_type: "x".repeat(101),
      address_street1: "y".repeat(501),
      tags: "single",
      name: "Fine",
    });
    expect(res.status).toBe(400);
    expect(res.body.status).toBe("error");
    expect(res.body.message).toBe("Validation failed");
    const byField = [...(res.body.errors ?? [])].sort((a, b) => a.field.localeCompare(b.field));
    expect(byField).toEqual([
      { field: "address_street1", message: "Must be at most 500 characters" },
      { field: "email", message: "Invalid email format" },
      { field: "follow_up_date", message: DATE_MESSAGE },
      { field: "phone", message: "Invalid phone number" },
      { field: "projected_value", message: "Must be zero or more" },
      { field: "service_type", message: "Must be at most 100 characters" },
      { field: "tags", message: "Must be an array of strings" },
    ]);
    expect(Object.keys(res.body).sort()).toEqual(["errors", "message", "status"]);
  });

  it("a field with several problems is reported once", async () => {
    const { api } = await newTenant();
    const res = await api.post<ErrorBody>({ tags: Array.from({ length: 60 }, () => "t".repeat(150)) });
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveLength(1);
    expect(res.body.errors![0]!.field).toBe("tags");
  });

  it("malformed JSON is a 400 on field 'body'", async () => {
    const { api } = await newTenant();
    for (const text of ["{", "{name: 'x'}", "", "   ", '{"name":"x",}']) {
      const res = await api.post(text);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(validation({ field: "body", message: "Malformed JSON" }));
    }
    expect((await api.list<ListBody>()).body.pagination.total).toBe(0);
  });

  it("a JSON body that is not an object (array, null, number, string, boolean) is a 400 on 'body'", async () => {
    const { api } = await newTenant();
    for (const text of ["[]", '[{"name":"x"}]', "null", "42", '"name"', "true"]) {
      const res = await api.post(text);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(validation({ field: "body", message: "Body must be a JSON object" }));
    }
    expect((await api.list<ListBody>()).body.pagination.total).toBe(0);
  });

  it("{} creates an empty lead and unknown fields are ignored", async () => {
    const { api } = await newTenant();
    const res = await api.post<Lead>({ unknown_field: "ignored", another: { nested: true } });
    expect(res.status).toBe(201);
    expect(res.body).not.toHaveProperty("unknown_field");
    expect(res.body.name).toBeNull();
  });

  it("a string containing a NUL character is refused as input, not a 500", async () => {
    // PostgreSQL text cannot hold U+0000; the API must not turn that into an internal error.
    const { api } = await newTenant();
    const res = await api.post<ErrorBody>({ name: "Ada\u0000Lovelace" });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ field: "name", message: "Must not contain NUL characters" }]);
  });

  it("a lone UTF-16 surrogate in a string or a tag is a 400 on that field, not a 500", async () => {
    const { api } = await newTenant();
    const res = await api.post<ErrorBody>({ name: "a\ud800", tags: ["ok", "\udc00"] });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([
      { field: "name", message: "Must be valid Unicode text" },
      { field: "tags", message: "Must be valid Unicode text" },
    ]);
    const paired = await api.post({ name: "Ada \ud83d\ude00" });
    expect(paired.status).toBe(201);
  });

  it("a follow_up_date whose offset moves it outside years 1 to 9999 is a 400, not a 500", async () => {
    const { api } = await newTenant();
    for (const value of ["9999-12-31T23:59:59-05:00", "0001-01-01T00:30:00+01:00"]) {
      const res = await api.post<ErrorBody>({ follow_up_date: value });
      expect(res.status).toBe(400);
      expect(res.body.errors?.map((e) => e.field)).toEqual(["follow_up_date"]);
    }
    expect((await api.post({ follow_up_date: "9999-12-31T23:59:59Z" })).status).toBe(201);
  });

  it("a follow_up_date PostgreSQL cannot store (year 0000) is a 400 on follow_up_date, not a 500", async () => {
    const { api } = await newTenant();
    const res = await api.post<ErrorBody>({ follow_up_date: "0000-01-01" });
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.field)).toEqual(["follow_up_date"]);
  });

  it("an empty or padded id is treated like every other string (empty: not given; padded: trimmed)", async () => {
    // CONTRACT.md: "Strings are trimmed; an empty string means 'not given'."
    const { api } = await newTenant();
    const created = await api.post<Lead>({ id: "", name: "Empty id" });
    expect(created.status).toBe(201);
    const updated = await api.post<Lead>({ id: `  ${created.body.id}  `, name: "Padded id" });
    expect(updated.status).toBe(200);
    expect(updated.body.id).toBe(created.body.id);
    expect(updated.body.name).toBe("Padded id");
  });
});

describe("query validation", () => {
  const limitMessage = "Must be an integer from 1 to 1000";
  const pageMessage = "Must be an integer of at least 1";
  const cases: [Record<string, string | number>, FieldError][] = [
    [{ limit: 0 }, { field: "limit", message: limitMessage }],
    [{ limit: 1001 }, { field: "limit", message: limitMessage }],
    [{ limit: "abc" }, { field: "limit", message: limitMessage }],
    [{ limit: "1.5" }, { field: "limit", message: limitMessage }],
    [{ limit: -3 }, { field: "limit", message: limitMessage }],
    [{ page: 0 }, { field: "page", message: pageMessage }],
    [{ page: -1 }, { field: "page", message: pageMessage }],
    [{ page: "two" }, { field: "page", message: pageMessage }],
    [{ archived: "maybe" }, { field: "archived", message: "Must be true or false" }],
  ];

  for (const [query, error] of cases) {
    it(`400 naming ${error.field} for ${JSON.stringify(query)}`, async () => {
      const { api } = await newTenant();
      const res = await api.list(query);
      expect(res.status).toBe(400);
      expect(res.body).toEqual(validation(error));
      expectJsonAndVersion(res.headers);
    });
  }

  it("the bounds themselves are accepted", async () => {
    const { api } = await newTenant();
    const queries: Record<string, string | number>[] = [
      { limit: 1 },
      { limit: 1000 },
      { page: 1 },
      { archived: "true" },
      { archived: "false" },
    ];
    for (const query of queries) {
      const res = await api.list<ListBody>(query);
      expect(res.status).toBe(200);
      expect(res.body.status).toBe("success");
    }
  });

  for (const param of ["stage", "tags", "search"]) {
    it(`a NUL character in the ${param} filter is not a 500`, async () => {
      const { api } = await newTenant();
      const res = await api.list<ErrorBody>({ [param]: "roof\u0000" });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: param, message: "Must not contain NUL characters" }]);
    });
  }

  it("numbers in the query are digits only, and any page from 1 on is served", async () => {
    const { api } = await newTenant();
    for (const limit of ["0x10", "1e2", " 5", "5.0", "-0"]) {
      const res = await api.list<ErrorBody>({ limit });
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([{ field: "limit", message: limitMessage }]);
    }
    const far = await api.list<{ data: unknown[]; pagination: { has_more: boolean; page: number } }>({
      page: "99999999999",
    });
    expect(far.status).toBe(200);
    expect(far.body.data).toEqual([]);
    expect(far.body.pagination).toMatchObject({ has_more: false, page: 99999999999 });
  });

  it("several bad parameters give one entry each", async () => {
    const { api } = await newTenant();
    const res = await api.list<ErrorBody>({ limit: 0, page: 0, archived: "yes" });
    expect(res.status).toBe(400);
    expect(res.body.errors?.map((e) => e.field).sort()).toEqual(["archived", "limit", "page"]);
  });
});

describe("payload size", () => {
  it("413 PAYLOAD_TOO_LARGE with a truthful content-length", async () => {
    const { key, api } = await newTenant();
    const body = jsonOfBytes(70_000);
    const res = await rawPost(body, {
      "x-api-key": key,
      "content-type": "application/json",
      "content-length": String(Buffer.byteLength(body)),
    });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      status: "error",
      message: expect.any(String),
      error_code: "PAYLOAD_TOO_LARGE",
    });
    expectJsonAndVersion(res.headers);
    expect(res.headers.get("x-ratelimit-limit")).not.toBeNull();
    expect((await api.list<ListBody>()).body.pagination.total).toBe(0);
  });

  it("413 for a chunked body with no content-length", async () => {
    const { key, api } = await newTenant();
    const res = await rawPost(chunkedStream(jsonOfBytes(200_000)), {
      "x-api-key": key,
      "content-type": "application/json",
    });
    expect(res.status).toBe(413);
    expect(res.body).toEqual({
      status: "error",
      message: expect.any(String),
      error_code: "PAYLOAD_TOO_LARGE",
    });
    expect((await api.list<ListBody>()).body.pagination.total).toBe(0);
  });

  it("413 when a small content-length understates a large chunked body", async () => {
    const { key } = await newTenant();
    const res = await rawPost(chunkedStream(jsonOfBytes(100_000)), {
      "x-api-key": key,
      "content-length": "10",
    });
    expect(res.status).toBe(413);
    expect(res.body.error_code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("counts bytes, not characters: 22,000 three-byte characters are over 64 KiB", async () => {
    const { key } = await newTenant();
    const body = JSON.stringify({ name: "Euro", padding: "€".repeat(22_000) });
    expect(body.length).toBeLessThan(64 * 1024);
    const res = await rawPost(chunkedStream(body), { "x-api-key": key });
    expect(res.status).toBe(413);
    expect(res.body.error_code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("exactly 64 KiB is accepted, one byte more is not", async () => {
    const { key } = await newTenant();
    const atLimit = jsonOfBytes(64 * 1024);
    expect(Buffer.byteLength(atLimit)).toBe(65_536);
    const ok = await rawPost(chunkedStream(atLimit), { "x-api-key": key });
    expect(ok.status).toBe(201);

    const over = jsonOfBytes(64 * 1024 + 1);
    const refused = await rawPost(chunkedStream(over), { "x-api-key": key });
    expect(refused.status).toBe(413);
  });

  it("authentication comes before the body: a large body without a key is 401", async () => {
    const res = await rawPost(chunkedStream(jsonOfBytes(200_000)), { "content-type": "application/json" });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(AUTH_REQUIRED);
  });
});

describe("not found", () => {
  it("GET /leads/{id} for an unknown uuid and for a non-uuid id", async () => {
    const { api } = await newTenant();
    for (const id of [randomUUID(), "not-a-uuid", "123", "00000000-0000-0000-0000-000000000000"]) {
      const res = await api.get(id);
      expect(res.status).toBe(404);
      expect(res.body).toEqual(NOT_FOUND);
      expectJsonAndVersion(res.headers);
    }
  });

  it("POST with an unknown id is 404 and creates nothing", async () => {
    const { api } = await newTenant();
    const res = await api.post({ id: randomUUID(), name: "Ghost", phone: "(612) 555-0101" });
    expect(res.status).toBe(404);
    expect(res.body).toEqual(NOT_FOUND);
    expect((await api.list<ListBody>()).body.pagination.total).toBe(0);
  });

  it("GET /leads/{id} returns {data, status} for the tenant's own lead", async () => {
    const { api } = await newTenant();
    const created = await api.post<Lead>({ name: "Found", email: "found@example.com" });
    const res = await api.get<{ data: Lead; status: string }>(created.body.id);
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(["data", "status"]);
    expect(res.body.status).toBe("success");
    expect(res.body.data).toEqual(leadOf(created.body));
  });

  it("unknown paths answer 404 in JSON", async () => {
    for (const handler of [catchAll.GET, catchAll.POST, catchAll.PUT, catchAll.PATCH, catchAll.DELETE]) {
      const res = await settle(await handler());
      expect(res.status).toBe(404);
      expect(res.body).toEqual(NOT_FOUND);
      expectJsonAndVersion(res.headers);
    }
  });
});

describe("method not allowed", () => {
  it("405 with a JSON body for PUT/PATCH/DELETE on /open-api/leads", async () => {
    for (const handler of [leadsRoute.PUT, leadsRoute.PATCH, leadsRoute.DELETE]) {
      const res = await settle<ErrorBody>(await handler());
      expect(res.status).toBe(405);
      expect(res.body).toEqual({
        status: "error",
        message: expect.any(String),
        error_code: "METHOD_NOT_ALLOWED",
      });
      expectJsonAndVersion(res.headers);
      expect(res.headers.get("allow")).toBe("GET, POST");
    }
  });

  it("405 for other methods on /leads/{id} and /auth/test", async () => {
    for (const handler of [leadRoute.POST, leadRoute.PUT, leadRoute.DELETE, authTestRoute.POST]) {
      const res = await settle<ErrorBody>(await handler());
      expect(res.status).toBe(405);
      expect(res.body.error_code).toBe("METHOD_NOT_ALLOWED");
      expectJsonAndVersion(res.headers);
      expect(res.headers.get("allow")).toBe("GET");
    }
  });
});

describe("tenant isolation", () => {
  it("tenant B cannot GET tenant A's lead", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const lead = await a.api.post<Lead>({ name: "Alice A", phone: "(612) 555-0110" });
    expect(lead.status).toBe(201);
    expect((await a.api.get(lead.body.id)).status).toBe(200);

    const res = await b.api.get(lead.body.id);
    expect(res.status).toBe(404);
    expect(res.body).toEqual(NOT_FOUND);
  });

  it("tenant B cannot update tenant A's lead by id", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const lead = await a.api.post<Lead>({ name: "Alice A", email: "alice@a.example", tags: ["a"] });

    const res = await b.api.post({ id: lead.body.id, name: "Hijacked", tags: ["b"] });
    expect(res.status).toBe(404);
    expect(res.body).toEqual(NOT_FOUND);

    const after = await a.api.get<{ data: Lead }>(lead.body.id);
    expect(after.body.data).toEqual(leadOf(lead.body));
    expect((await b.api.list<ListBody>()).body.pagination.total).toBe(0);
  });

  it("tenant B's list never includes tenant A's leads", async () => {
    const a = await newTenant();
    const b = await newTenant();
    await a.api.post({ name: "Zebedee Unique", email: "zebedee@a.example", tags: ["shared"], stage: "new" });
    await a.api.post({ name: "Second A", phone: "(612) 555-0111", tags: ["shared"], stage: "new" });
    const own = await b.api.post<Lead>({ name: "Bob B", tags: ["shared"], stage: "new" });

    const queries: Record<string, string | number>[] = [
      {},
      { archived: "true" },
      { search: "zebedee" },
      { search: "555-0111" },
      { tags: "shared" },
      { stage: "new" },
      { limit: 1000 },
    ];
    for (const query of queries) {
      const res = await b.api.list<ListBody>(query);
      expect(res.status).toBe(200);
      expect(res.body.data.every((l) => l.id === own.body.id)).toBe(true);
    }
    const all = await b.api.list<ListBody>();
    expect(all.body.pagination.total).toBe(1);
    expect((await a.api.list<ListBody>()).body.pagination.total).toBe(2);
  });

  it("a B POST with A's lead's phone or email creates a new lead in B and leaves A's alone", async () => {
    const a = await newTenant();
    const b = await newTenant();
    const lead = await a.api.post<Lead>({
      name: "Alice A",
      phone: "(612) 555-0120",
      email: "alice@shared.example",
      tags: ["a"],
    });
    expect(lead.status).toBe(201);

    const byPhone = await b.api.post<Lead>({ name: "Bob B", phone: "612.555.0120", tags: ["b"] });
    expect(byPhone.status).toBe(201);
    expect(byPhone.body.id).not.toBe(lead.body.id);
    expect(byPhone.body.phone).toBe("+16125550120");
    expect(byPhone.body.tags).toEqual(["b"]);

    const byEmail = await b.api.post<Lead>({ name: "Carol B", email: "ALICE@shared.example" });
    expect(byEmail.status).toBe(201);
    expect(byEmail.body.id).not.toBe(lead.body.id);

    const after = await a.api.get<{ data: Lead }>(lead.body.id);
    expect(after.body.data).toEqual(leadOf(lead.body));
    expect((await a.api.list<ListBody>()).body.pagination.total).toBe(1);
    expect((await b.api.list<ListBody>()).body.pagination.total).toBe(2);

    // Within A, the same phone still updates A's lead.
    const again = await a.api.post<Lead>({ phone: "+1 612 555 0120", tags: ["again"] });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(lead.body.id);
    expect(again.body.tags).toEqual(["a", "again"]);
  });
});

describe("internal errors", () => {
  /** A real driver error: an insert for a company that does not exist fails its foreign key. */
  async function realDatabaseFailure(values: { name: string; email: string }): Promise<unknown> {
    try {
      await upsertForApi(randomUUID(), values, { canRead: true, keyId: null });
    } catch (error) {
      return error;
    }
    throw new Error("expected the database to refuse a lead of an unknown company");
  }

  const secrets = () => ({
    name: "Confidential Person",
    email: `leak-${randomUUID().slice(0, 8)}@private.example`,
  });

  it("a real database failure maps to the generic 500, with no detail in the body", async () => {
    const values = secrets();
    const failure = await realDatabaseFailure(values);
    expect(failure).toBeInstanceOf(Error);
    vi.spyOn(console, "error").mockImplementation(() => {});

    const res = await settle(errorResponse(failure, { "x-ratelimit-limit": "7" }));
    expect(res.status).toBe(500);
    expect(res.body).toEqual(INTERNAL);
    expectJsonAndVersion(res.headers);
    expect(res.headers.get("x-ratelimit-limit")).toBe("7");
    const text = JSON.stringify(res.body);
    for (const detail of [values.email, values.name, "insert", "companies", "params", "at "]) {
      expect(text).not.toContain(detail);
    }
  });

  it("the 500's log line carries the kind and stack only, never the stored values", async () => {
    // lib/api/respond.ts: "Unknown errors ... are logged by kind and stack only: their messages can
    // quote stored values, which may be personal."
    const values = secrets();
    const failure = await realDatabaseFailure(values);
    const logged: string[] = [];
    vi.spyOn(console, "error").mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(" "));
    });
    errorResponse(failure);
    expect(logged.length).toBeGreaterThan(0);
    const log = logged.join("\n");
    expect(log).toContain("unhandled");
    expect(log).not.toContain(values.email);
    expect(log).not.toContain(values.name);
  });

  it("a thrown non-Error value is also the generic 500", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const res = await settle(errorResponse("SELECT secret FROM somewhere"));
    expect(res.status).toBe(500);
    expect(res.body).toEqual(INTERNAL);
  });
});
