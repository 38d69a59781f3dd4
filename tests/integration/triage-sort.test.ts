import { randomInt } from "node:crypto";
import { eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import * as leadsRoute from "@/app/api/admin/leads/route";
import { getDb } from "@/lib/db/client";
import { type LeadRow, leads, type NewLeadRow } from "@/lib/db/schema";
import { pipeline } from "@/lib/leads/pipeline";
import { valueScore, valueScoreSql } from "@/lib/leads/value-score";
import { newTenant } from "../support/fixtures";
import { call, json, newUser, sessionCookie } from "../support/staff";

type Lead = {
  id: string;
  name: string | null;
  stage: string | null;
  projected_value: number | null;
  value_score: number;
  follow_up_date: string | null;
  created_at: string;
};
type ListBody = { data: Lead[]; pagination: { total: number; has_more: boolean }; marks: object };

let companyId: string;
let cookie: string;
let positions: Map<string, number>;

async function list(query: string): Promise<ListBody> {
  const response = await call(leadsRoute, `/api/admin/leads?${query}`, { cookie });
  expect(response.status, query).toBe(200);
  return json<ListBody>(response);
}

/** Every page of a sorted list, `limit` at a time: the pages put end to end. */
async function allPages(sort: string, limit: number): Promise<Lead[]> {
  const out: Lead[] = [];
  for (let page = 1; ; page++) {
    const body = await list(`sort=${sort}&limit=${limit}&page=${page}`);
    out.push(...body.data);
    if (!body.pagination.has_more) return out;
  }
}

const day = (d: number) => new Date(Date.UTC(2026, 0, 1 + d, 12));

beforeAll(async () => {
  const tenant = await newTenant();
  companyId = tenant.company.id;
  cookie = await sessionCookie(await newUser(companyId, "admin"));
  // Ties on purpose (two "bea", two values of 500, three leads in New counting the one without a
  // stage, two follow-ups on one day, two leads created at the same instant), and empty values.
  const rows: Partial<NewLeadRow>[] = [
    { name: "bea", stage: "Quoted", projectedValue: 500, followUpDate: day(40), priority: "high" },
    { name: "Al", stage: null, projectedValue: null, followUpDate: null, phone: "+16125550101" },
    { name: null, stage: "Won", projectedValue: 25_000, followUpDate: day(30) },
    { name: "cy", stage: "Contacted", projectedValue: 500, followUpDate: day(40), email: "c@example.com" },
    { name: "", stage: "New", projectedValue: 0, followUpDate: day(35), notes: "n" },
    { name: "Bea", stage: "lost", projectedValue: 12.5, followUpDate: null, serviceType: "roof" },
    { name: "dan", stage: "new", projectedValue: 99, followUpDate: day(31) },
  ];
  const db = await getDb();
  await db
    .insert(leads)
    .values(rows.map((row, i) => ({ companyId, ...row, createdAt: day(i === 6 ? 5 : i) })));
  positions = new Map((await pipeline(companyId)).map((s, i) => [s.name.toLowerCase(), i]));
});

const keys: Record<string, (lead: Lead) => number | string | null> = {
  created: (l) => Date.parse(l.created_at),
  name: (l) => l.name?.trim().toLowerCase() || null,
  // A lead without a stage is in the first open stage.
  stage: (l) => positions.get((l.stage ?? "new").toLowerCase()) ?? null,
  value: (l) => l.projected_value,
  score: (l) => l.value_score,
  "follow-up": (l) => (l.follow_up_date ? Date.parse(l.follow_up_date) : null),
};

/** Whether `a` may come before `b`: the key (nulls last either way), then the newest, then id. */
function inOrder(a: Lead, b: Lead, field: string, descending: boolean): boolean {
  const [x, y] = [keys[field]!(a), keys[field]!(b)];
  if (x !== y) {
    if (x === null) return false;
    if (y === null) return true;
    return descending ? x > y : x < y;
  }
  if (a.created_at !== b.created_at) return a.created_at > b.created_at;
  return a.id > b.id;
}

describe("the admin list, sorted", () => {
  for (const field of Object.keys(keys)) {
    for (const descending of [false, true]) {
      const sort = `${descending ? "-" : ""}${field}`;
      it(`sort=${sort}: in order, empty values last, the same leads page by page as at once`, async () => {
        const whole = (await list(`sort=${sort}&limit=100`)).data;
        expect(whole).toHaveLength(7);
        for (let i = 1; i < whole.length; i++) {
          expect(inOrder(whole[i - 1]!, whole[i]!, field, descending), `${sort} at ${i}`).toBe(true);
        }
        const lastKey = keys[field]!(whole.at(-1)!);
        if (field === "name" || field === "value" || field === "follow-up") expect(lastKey).toBeNull();
        expect((await allPages(sort, 2)).map((l) => l.id)).toEqual(whole.map((l) => l.id));
      });
    }
  }

  it("puts the leads without a name after those with one, whichever way", async () => {
    // "Bea" and "bea" tie: the newer first; so do the two without a name.
    expect((await list("sort=-name")).data.map((l) => l.name)).toEqual([
      "dan",
      "cy",
      "Bea",
      "bea",
      "Al",
      "",
      null,
    ]);
    expect((await list("sort=name")).data.map((l) => l.name)).toEqual([
      "Al",
      "Bea",
      "bea",
      "cy",
      "dan",
      "",
      null,
    ]);
  });

  it("orders stages as the pipeline does, not by name", async () => {
    const stages = (await list("sort=stage")).data.map((l) => l.stage);
    expect(stages).toEqual(["new", "New", null, "Contacted", "Quoted", "Won", "lost"]);
  });

  it("without a sort, or with the default one, is the API's newest-first list", async () => {
    const plain = (await list("")).data.map((l) => l.id);
    expect((await list("sort=-created")).data.map((l) => l.id)).toEqual(plain);
    expect((await allPages("-created", 3)).map((l) => l.id)).toEqual(plain);
  });

  it("refuses a column it cannot sort by, naming the parameter; the API's list takes no sort", async () => {
    const response = await call(leadsRoute, "/api/admin/leads?sort=colour", { cookie });
    expect(response.status).toBe(400);
    expect(await json(response)).toMatchObject({ errors: [{ field: "sort" }] });
    // The public API's contract is unchanged: an unknown parameter is ignored there, as before.
    const { api } = await newTenant();
    expect((await api.list({ sort: "colour" })).status).toBe(200);
  });
});

describe("the score as SQL", () => {
  it("gives the same number as valueScore for every lead, including halves and the caps", async () => {
    const { company } = await newTenant();
    const pick = <T>(values: T[]) => values[randomInt(values.length)]!;
    const maybe = (value: string) => pick([null, "", value]);
    const rows = Array.from({ length: 400 }, () => ({
      companyId: company.id,
      projectedValue: pick([null, 0, 0.01, 1, 99, 1000, 24_999.99, 25_000, 1e9, Math.random() * 30_000]),
      priority: pick([null, "low", "medium", "high"] as const),
      phone: maybe("+16125550100"),
      email: maybe("a@example.com"),
      addressStreet1: maybe("1 Main St"),
      addressCity: maybe("Minneapolis"),
      addressZip: maybe("55401"),
      serviceType: maybe("roof"),
      notes: maybe("n"),
      followUpDate: pick([null, day(1)]),
    }));
    const db = await getDb();
    const inserted = await db.insert(leads).values(rows).returning();
    const scored = await db
      .select({ id: leads.id, score: valueScoreSql })
      .from(leads)
      .where(
        inArray(
          leads.id,
          inserted.map((r) => r.id),
        ),
      );
    const bySql = new Map(scored.map((r) => [r.id, Number(r.score)]));
    const mismatches = inserted.filter((row: LeadRow) => bySql.get(row.id) !== valueScore(row));
    expect(mismatches.map((r) => [r.projectedValue, valueScore(r), bySql.get(r.id)])).toEqual([]);
    await db.delete(leads).where(eq(leads.companyId, company.id));
  });
});
