import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { getDb } from "@/lib/db/client";
import { submissions as submissionRows } from "@/lib/db/schema";
import { createForm } from "@/lib/forms/repository";
import { CONTACT_FORM } from "@/lib/forms/schema";
import { newTenant } from "../support/fixtures";
import { submissions } from "../support/people";
import { type AppProcess, spawnApp } from "../support/spawn-app";

// Two processes can only share a database and a KV when both are real servers: this runs in the
// PostgreSQL + Redis pass of the suite (.ci/run sets both), as the embedded PGlite is one process's.
const shared = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);

describe.runIf(shared)("two app processes sharing one PostgreSQL and one Redis", () => {
  const apps: AppProcess[] = [];

  beforeAll(async () => {
    // Every submission below comes from this one address.
    const env = {
      ...process.env,
      NODE_ENV: "test" as const,
      INTAKE_PER_IP_PER_HOUR: "100000",
      INTAKE_PER_FORM_PER_HOUR: "100000",
    };
    apps.push(...(await Promise.all([spawnApp(env), spawnApp(env)])));
  });

  afterAll(() => Promise.all(apps.map((app) => app.stop())));

  it("200 simultaneous submissions for 20 people, split across both, make exactly 20 leads", async () => {
    const { key, api } = await newTenant();
    const bodies = submissions(20, 10, randomUUID().slice(0, 8));
    const statuses = await Promise.all(
      bodies.map(async (body, i) => {
        const response = await fetch(`${apps[i % 2]!.base}/open-api/leads`, {
          method: "POST",
          headers: { "x-api-key": key, "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        await response.arrayBuffer();
        return response.status;
      }),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.filter((s) => s === 200)).toHaveLength(180);

    const list = await api.list<{ data: { name: string; tags: string[] }[]; pagination: { total: number } }>({
      limit: 1000,
    });
    expect(list.body.pagination.total).toBe(20);
    for (let p = 0; p < 20; p++) {
      const lead = list.body.data.find((l) => l.name === `Person ${p}`);
      expect(lead?.tags.slice().sort()).toEqual(Array.from({ length: 10 }, (_, s) => `p${p}-s${s}`).sort());
    }
  });

  it("200 simultaneous form submissions for 20 people make 20 leads and 200 submissions, each on its person's lead", async () => {
    const { company, api } = await newTenant();
    const slug = `two-${randomUUID().slice(0, 8)}`;
    const form = await createForm(company.id, {
      ...CONTACT_FORM,
      slug,
      settings: { ...CONTACT_FORM.settings, consent: null },
    });
    // Each submission says whose it is and which it is in its message.
    const bodies = submissions(20, 10, randomUUID().slice(0, 8)).map(({ tags, ...body }) => ({
      ...body,
      notes: (tags as string[])[0],
    }));
    const statuses = await Promise.all(
      bodies.map(async (body, i) => {
        const response = await fetch(`${apps[i % 2]!.base}/api/intake/${slug}`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        });
        await response.arrayBuffer();
        return response.status;
      }),
    );
    expect(statuses).toEqual(bodies.map(() => 201));

    const list = await api.list<{ data: { id: string; name: string }[]; pagination: { total: number } }>({
      limit: 1000,
    });
    expect(list.body.pagination.total).toBe(20);
    const leadOf = new Map(list.body.data.map((lead) => [lead.name, lead.id]));
    const db = await getDb();
    const kept = await db.select().from(submissionRows).where(eq(submissionRows.formId, form.id));
    expect(kept).toHaveLength(200);
    for (const row of kept) {
      const person = /^p(\d+)-s\d+$/.exec((row.fields as { notes: string }).notes)![1];
      expect(row.leadId).toBe(leadOf.get(`Person ${person}`));
      expect(["lead", "attached"]).toContain(row.status);
    }
    expect(kept.filter((row) => row.status === "lead")).toHaveLength(20);
  });

  it("one daily limit is counted across both processes", async () => {
    const { key } = await newTenant({ dailyLimit: 10 });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const response = await fetch(`${apps[i % 2]!.base}/open-api/auth/test`, {
        headers: { "x-api-key": key },
      });
      await response.arrayBuffer();
      statuses.push(response.status);
    }
    expect(statuses).toEqual([...Array(10).fill(200), 429, 429]);
  });

  it("a write through one process makes the other's cached list stale", async () => {
    const { key } = await newTenant();
    const headers = { "x-api-key": key, "content-type": "application/json" };
    const list = async (base: string) => {
      const response = await fetch(`${base}/open-api/leads`, { headers });
      return { cache: response.headers.get("x-cache"), body: (await response.json()) as { data: unknown[] } };
    };
    await list(apps[0]!.base);
    // The second process now holds its own copy of the list (lib/leads/cache.ts); the write through
    // the first must make that copy stale as well as the shared entry.
    expect((await list(apps[1]!.base)).cache).toBe("HIT");
    expect((await list(apps[1]!.base)).cache).toBe("HIT");
    await fetch(`${apps[0]!.base}/open-api/leads`, {
      method: "POST",
      headers,
      body: JSON.stringify({ name: "New", email: "new@example.com" }),
    }).then((r) => r.arrayBuffer());
    const after = await list(apps[1]!.base);
    expect(after.cache).toBe("MISS");
    expect(after.body.data).toHaveLength(1);
  });
});
