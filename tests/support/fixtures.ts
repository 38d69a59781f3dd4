import { randomUUID } from "node:crypto";
import { createApiKey } from "@/lib/auth/api-keys";
import type { Scope } from "@/lib/auth/scopes";
import { ensureCompany } from "@/lib/db/companies";
import * as leadsRoute from "@/app/open-api/leads/route";
import * as leadRoute from "@/app/open-api/leads/[id]/route";
import * as authTestRoute from "@/app/open-api/auth/test/route";

export const BASE = "http://127.0.0.1:3000/open-api";

/** A lead with every field the API accepts filled in; tests override what they look at. */
export function fullLead(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "Jane Doe",
    email: "jane@example.com",
    phone: "(612) 555-0100",
    address_street1: "1 Main St",
    address_street2: "Apt 2",
    address_city: "Minneapolis",
    address_state: "MN",
    address_zip: "55401",
    address_country: "US",
    follow_up_date: "2026-05-01",
    notes: "Call after 5",
    priority: "high",
    projected_value: 1234.56,
    service_type: "roofing",
    source: "website",
    stage: "new",
    tags: ["roof"],
    ...overrides,
  };
}

/** A company of its own for each test, so tests never see each other's leads, on any database. */
export async function newTenant(options: { scopes?: Scope[]; dailyLimit?: number; slug?: string } = {}) {
  const slug = options.slug ?? `t-${randomUUID().slice(0, 12)}`;
  const company = await ensureCompany(slug);
  const { key, id } = await createApiKey({
    companyId: company.id,
    name: "test",
    scopes: options.scopes ?? ["leads:read", "leads:write"],
    dailyLimit: options.dailyLimit ?? 1_000_000,
  });
  return { company, key, keyId: id, api: client(key) };
}

type Json = Record<string, unknown>;

export interface ApiResult<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

async function settle<T>(response: Response): Promise<ApiResult<T>> {
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as T, headers: response.headers };
}

const noParams = { params: Promise.resolve({}) } as { params: Promise<Record<string, never>> };

/** Calls the real route handlers in-process, as Next.js would, with the given key. */
export function client(key: string | null, extraHeaders: Record<string, string> = {}) {
  const headers = (more: Record<string, string> = {}) => ({
    ...(key === null ? {} : { "x-api-key": key }),
    ...extraHeaders,
    ...more,
  });
  return {
    post: async <T = Json>(body: unknown, more: Record<string, string> = {}) =>
      settle<T>(
        await leadsRoute.POST(
          new Request(`${BASE}/leads`, {
            method: "POST",
            headers: headers({ "content-type": "application/json", ...more }),
            body: typeof body === "string" ? body : JSON.stringify(body),
          }),
          noParams,
        ),
      ),
    list: async <T = Json>(query: Record<string, string | number | boolean> = {}) => {
      const qs = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
      return settle<T>(
        await leadsRoute.GET(new Request(`${BASE}/leads?${qs}`, { headers: headers() }), noParams),
      );
    },
    get: async <T = Json>(id: string) =>
      settle<T>(
        await leadRoute.GET(new Request(`${BASE}/leads/${id}`, { headers: headers() }), {
          params: Promise.resolve({ id }),
        }),
      ),
    authTest: async <T = Json>() =>
      settle<T>(await authTestRoute.GET(new Request(`${BASE}/auth/test`, { headers: headers() }), noParams)),
  };
}
